//! The durable half of the kernel: the table `_orion_idempotency` and the statements on it.
//!
//! One row per key. While its effect runs, a row is a *claim*: `result` is `NULL`, `owner`
//! names the one call that holds it, and `expires_at` is the end of its lease. Once the effect
//! has finished, `result` holds its bytes and `expires_at` is the end of the retention. Either
//! way an expired row counts as absent: the next claim deletes it first, so a dead process's
//! claim and a forgotten result are both simply gone.
//!
//! Times are milliseconds since the Unix epoch, read from the kernel's [`Clock`](super::Clock).

use bytes::Bytes;

use crate::Result;
use crate::store::{Tx, params};

/// The statements that create the table (idempotent; run when an `Idempotency` is made).
const CREATE: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS _orion_idempotency (
        key TEXT PRIMARY KEY,
        payload_sha256 BLOB NOT NULL,
        owner TEXT NOT NULL,
        result BLOB,
        expires_at INTEGER NOT NULL
    ) STRICT",
    "CREATE INDEX IF NOT EXISTS _orion_idempotency_expires_at ON _orion_idempotency (expires_at)",
];

/// How many expired rows of other keys a claim deletes on its way (bounded, so a claim stays
/// cheap after a long pause; the rest go with later claims).
const PURGE_BATCH: i64 = 64;

/// What an attempt to claim a key found.
#[derive(Debug)]
pub(super) enum Claim {
    /// The key was free; the caller now holds it.
    Claimed,
    /// The key completed with the same payload: its stored result.
    Completed(Bytes),
    /// Someone else holds the key and has not finished.
    InFlight,
    /// The key is held or completed with a different payload.
    Mismatch,
}

/// Creates the table and its index if they are missing.
pub(super) fn create(tx: &Tx<'_>) -> Result<()> {
    for statement in CREATE {
        tx.execute(statement, ())?;
    }
    Ok(())
}

/// Claims `key` for `owner` until `lease_end`, unless a live row holds it.
///
/// The claim itself is one `INSERT … ON CONFLICT DO NOTHING`: there is no window between
/// looking and claiming, in this process or another (they share the file's write lock).
pub(super) fn claim(
    tx: &Tx<'_>,
    key: &str,
    payload: &[u8; 32],
    owner: &str,
    now: i64,
    lease_end: i64,
) -> Result<Claim> {
    tx.execute("DELETE FROM _orion_idempotency WHERE key = ?1 AND expires_at <= ?2", params![key, now])?;
    tx.execute(
        "DELETE FROM _orion_idempotency WHERE rowid IN \
         (SELECT rowid FROM _orion_idempotency WHERE expires_at <= ?1 LIMIT ?2)",
        params![now, PURGE_BATCH],
    )?;
    let inserted = tx.execute(
        "INSERT INTO _orion_idempotency (key, payload_sha256, owner, result, expires_at) \
         VALUES (?1, ?2, ?3, NULL, ?4) ON CONFLICT (key) DO NOTHING",
        params![key, &payload[..], owner, lease_end],
    )?;
    if inserted == 1 {
        return Ok(Claim::Claimed);
    }
    let row: Option<(Vec<u8>, Option<Vec<u8>>)> =
        tx.query_one("SELECT payload_sha256, result FROM _orion_idempotency WHERE key = ?1", params![key])?;
    Ok(match row {
        Some((stored, _)) if stored != payload => Claim::Mismatch,
        Some((_, Some(result))) => Claim::Completed(Bytes::from(result)),
        Some((_, None)) => Claim::InFlight,
        // Unreachable while the conflict that refused the insert holds; answer the safe way.
        None => Claim::InFlight,
    })
}

/// Stores `result` for the claim `owner` holds on `key`, kept until `expires_at`. `false` when
/// the claim was lost (its lease passed and another caller took the key over).
pub(super) fn complete(tx: &Tx<'_>, key: &str, owner: &str, result: &[u8], expires_at: i64) -> Result<bool> {
    let updated = tx.execute(
        "UPDATE _orion_idempotency SET result = ?3, expires_at = ?4 \
         WHERE key = ?1 AND owner = ?2 AND result IS NULL",
        params![key, owner, result, expires_at],
    )?;
    Ok(updated == 1)
}

/// Extends the lease of the claim `owner` holds on `key` to `lease_end`.
pub(super) fn renew(tx: &Tx<'_>, key: &str, owner: &str, lease_end: i64) -> Result<bool> {
    let updated = tx.execute(
        "UPDATE _orion_idempotency SET expires_at = ?3 WHERE key = ?1 AND owner = ?2 AND result IS NULL",
        params![key, owner, lease_end],
    )?;
    Ok(updated == 1)
}

/// Gives up the claim `owner` holds on `key` (its effect failed or was abandoned).
pub(super) fn release(tx: &Tx<'_>, key: &str, owner: &str) -> Result<()> {
    tx.execute("DELETE FROM _orion_idempotency WHERE key = ?1 AND owner = ?2 AND result IS NULL", params![key, owner])?;
    Ok(())
}
