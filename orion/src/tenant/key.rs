//! Tenant keys: the opaque, validated name of one tenant.
//!
//! A key names a tenant everywhere: in URLs (`/w/{workspace}`), in host names (a subdomain),
//! in file names (`<dir>/<key>.db` under db-per-tenant) and as the value of the `:tenant`
//! parameter of every tenant-scoped query. So it is checked once, when it is parsed, and a
//! [`TenantKey`] is always safe to use in each of those places.
//!
//! # The alphabet
//!
//! A key is 1 to [`MAX_LEN`] (63) characters long, each one a lowercase ASCII letter `a-z`, a
//! digit `0-9`, `-` or `_`, and it starts with a letter or a digit:
//!
//! - no `/`, `\`, `.`, NUL or any other byte outside the alphabet, so a key is exactly one file
//!   name: `../x`, `a/b`, `a\b`, `.`, `..` and `.hidden` cannot be expressed;
//! - lowercase only, so `Acme` and `acme` never name the same file on a case-insensitive disk
//!   (macOS, Windows) while being two tenants to the app;
//! - at most 63 characters, the length of a DNS label, so a key also works as a subdomain;
//! - not a device name Windows reserves (`con`, `nul`, `com1`, …), which no file can be named.
//!
//! The app decides what a key means (a workspace slug, an organisation id); orion only keeps it
//! safe.

use std::fmt;
use std::str::FromStr;

use rusqlite::ToSql;
use rusqlite::types::ToSqlOutput;

/// The longest tenant key, in characters (= bytes: the alphabet is ASCII).
pub const MAX_LEN: usize = 63;

/// Names Windows reserves for devices, refused as keys (`con.db` cannot be created there).
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The validated key of one tenant; see the [module docs](crate::tenant) for the alphabet.
///
/// ```
/// use orion::tenant::TenantKey;
///
/// let key = TenantKey::parse("acme")?;
/// assert_eq!(key.as_str(), "acme");
/// assert!(TenantKey::parse("../etc").is_err());
/// # Ok::<(), orion::tenant::InvalidTenantKey>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantKey(Box<str>);

impl TenantKey {
    /// Checks `key` against the alphabet; the error says what is wrong and what to do.
    pub fn parse(key: &str) -> Result<TenantKey, InvalidTenantKey> {
        match problem(key) {
            None => Ok(TenantKey(key.into())),
            Some(problem) => Err(InvalidTenantKey { key: shown(key), problem }),
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What is wrong with `key`, if anything.
fn problem(key: &str) -> Option<Problem> {
    let Some(first) = key.chars().next() else {
        return Some(Problem::Empty);
    };
    if key.len() > MAX_LEN {
        return Some(Problem::TooLong { len: key.len() });
    }
    if let Some((at, character)) = key.char_indices().find(|&(_, c)| !allowed(c)) {
        return Some(Problem::Character { character, at });
    }
    if !first.is_ascii_alphanumeric() {
        return Some(Problem::Start { character: first });
    }
    if RESERVED.contains(&key) {
        return Some(Problem::Reserved);
    }
    None
}

fn allowed(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
}

/// The key as an error message may quote it: escaped, and cut after [`MAX_LEN`] characters.
fn shown(key: &str) -> String {
    let mut shown: String = key.chars().take(MAX_LEN).flat_map(char::escape_debug).collect();
    if key.chars().nth(MAX_LEN).is_some() {
        shown.push('…');
    }
    shown
}

impl FromStr for TenantKey {
    type Err = InvalidTenantKey;

    fn from_str(key: &str) -> Result<TenantKey, InvalidTenantKey> {
        TenantKey::parse(key)
    }
}

impl fmt::Display for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TenantKey({:?})", &*self.0)
    }
}

impl AsRef<str> for TenantKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A key binds as its text: the value of `:tenant` and of every tenant column.
impl ToSql for TenantKey {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// A string that is not a valid [`TenantKey`]; a request naming one is answered 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid tenant key `{key}`: {problem}")]
pub struct InvalidTenantKey {
    key: String,
    problem: Problem,
}

impl InvalidTenantKey {
    /// What is wrong with the key.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// What is wrong with a tenant key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The key is empty.
    #[error("it is empty: a tenant key has 1 to 63 characters")]
    Empty,
    /// The key is longer than [`MAX_LEN`] bytes.
    #[error("it is {len} bytes long: a tenant key has at most 63 characters")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A character outside the alphabet (a separator, a dot, an uppercase letter, NUL, …).
    #[error(
        "`{}` at byte {at} is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
        character.escape_debug()
    )]
    Character {
        /// The character.
        character: char,
        /// Its byte offset in the key.
        at: usize,
    },
    /// The key starts with `-` or `_`.
    #[error("it starts with `{character}`: start a tenant key with a lowercase letter or a digit")]
    Start {
        /// The first character.
        character: char,
    },
    /// The key is a device name Windows reserves (`con`, `nul`, `com1`, …).
    #[error("it is a device name Windows reserves, which no file can have: choose another key")]
    Reserved,
}

impl From<InvalidTenantKey> for crate::Error {
    fn from(error: InvalidTenantKey) -> crate::Error {
        crate::Error::bad_request(error.to_string()).with_source(error)
    }
}
