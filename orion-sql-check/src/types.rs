//! The value types a checked query exposes, and how declared SQL types map onto them.

use std::fmt;

/// The type of a value, as Rust sees it.
///
/// | SQL | [`SqlType`] | Rust |
/// |---|---|---|
/// | `INTEGER`, `INT`, anything containing `INT` | `Integer` | `i64` |
/// | `REAL`, `FLOAT`, `DOUBLE` | `Real` | `f64` |
/// | `TEXT`, `VARCHAR(n)`, anything containing `CHAR`, `CLOB`, `TEXT` | `Text` | `String` |
/// | `BLOB` | `Blob` | `Vec<u8>` |
/// | `BOOLEAN`/`BOOL`, or `CHECK (col IN (0, 1))` | `Bool` | `bool` |
///
/// Other declared types (none at all, `ANY`, `NUMERIC`, `DATETIME`…) say nothing SQLite
/// enforces, so a column of such a type has no [`SqlType`] and a query must annotate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlType {
    /// A 64-bit integer: `i64`.
    Integer,
    /// A float: `f64`.
    Real,
    /// Text: `String`.
    Text,
    /// Bytes: `Vec<u8>`.
    Blob,
    /// An integer that is 0 or 1: `bool`.
    Bool,
}

impl SqlType {
    /// The Rust type: `i64`, `f64`, `String`, `Vec<u8>` or `bool`.
    pub fn rust(self) -> &'static str {
        match self {
            SqlType::Integer => "i64",
            SqlType::Real => "f64",
            SqlType::Text => "String",
            SqlType::Blob => "Vec<u8>",
            SqlType::Bool => "bool",
        }
    }

    /// Every type, in the order the docs list them.
    pub const ALL: [SqlType; 5] = [SqlType::Integer, SqlType::Real, SqlType::Text, SqlType::Blob, SqlType::Bool];

    /// The type a declared column type (or `CAST` target) means, by SQLite's affinity rules
    /// (<https://sqlite.org/datatype3.html#determination_of_column_affinity>), with `BOOL…`
    /// as [`SqlType::Bool`]. `None` for no type, `ANY` and the other `NUMERIC` types.
    pub fn from_declared(declared: &str) -> Option<SqlType> {
        let upper = declared.to_ascii_uppercase();
        if upper.contains("INT") {
            Some(SqlType::Integer)
        } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
            Some(SqlType::Text)
        } else if upper.contains("BLOB") {
            Some(SqlType::Blob)
        } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
            Some(SqlType::Real)
        } else if upper.trim().starts_with("BOOL") {
            Some(SqlType::Bool)
        } else {
            None
        }
    }

    /// The type an annotation names: its Rust name (`i64`, `f64`, `String`, `Vec<u8>`,
    /// `bool`).
    pub fn from_rust(name: &str) -> Option<SqlType> {
        let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        SqlType::ALL.into_iter().find(|ty| ty.rust() == compact)
    }

    /// Whether a value of this type can be read as `other` by the runtime: the same type, or
    /// a boolean read as an integer.
    pub(crate) fn unify(self, other: SqlType) -> Option<SqlType> {
        match (self, other) {
            (a, b) if a == b => Some(a),
            (SqlType::Bool, SqlType::Integer) | (SqlType::Integer, SqlType::Bool) => Some(SqlType::Integer),
            (SqlType::Integer, SqlType::Real) | (SqlType::Real, SqlType::Integer) => Some(SqlType::Real),
            _ => None,
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rust())
    }
}
