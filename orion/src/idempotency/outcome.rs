//! [`Outcome`]: how a call of [`once`](super::Idempotency::once) got its result.

use bytes::Bytes;

/// The result of an idempotent call, and whether this call produced it.
///
/// Whichever the variant, the bytes are the same for every caller of the same key: the
/// result of the one run of the effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This call ran the effect.
    Ran(Bytes),
    /// A concurrent call in this process ran it; this one waited and shares its result.
    Joined(Bytes),
    /// The key had already completed (in this process or another): the stored result.
    Replayed(Bytes),
}

impl Outcome {
    /// The effect's result.
    pub fn result(&self) -> &Bytes {
        match self {
            Outcome::Ran(bytes) | Outcome::Joined(bytes) | Outcome::Replayed(bytes) => bytes,
        }
    }

    /// The effect's result, owned.
    pub fn into_result(self) -> Bytes {
        match self {
            Outcome::Ran(bytes) | Outcome::Joined(bytes) | Outcome::Replayed(bytes) => bytes,
        }
    }

    /// Whether another call ran the effect (this one joined it or replayed it).
    pub fn is_repeat(&self) -> bool {
        !matches!(self, Outcome::Ran(_))
    }
}
