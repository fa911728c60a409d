//! Result-column annotations, written in the column's alias:
//!
//! - `AS "name: Type"` sets the type (`i64`, `f64`, `String`, `Vec<u8>`, `bool`);
//! - `AS "name!"` says the column is never NULL; `AS "name?"` that it may be;
//! - both combine: `AS "name!: i64"`.
//!
//! The alias is a quoted identifier (double quotes are identifiers, since double-quoted
//! string literals are off), so an annotated query is still plain SQLite: the runtime runs
//! the text as written and reads columns by position.

use crate::types::SqlType;

/// What an alias says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Annotation {
    /// The name without the annotation.
    pub(crate) name: String,
    /// `Some(false)` for `!`, `Some(true)` for `?`.
    pub(crate) nullable: Option<bool>,
    /// The type after `:`.
    pub(crate) ty: Option<SqlType>,
}

/// Reads the annotation in a result column's name. An error is the message, for a type
/// that is not one of the five.
pub(crate) fn parse(alias: &str) -> Result<Annotation, String> {
    let (head, ty) = match alias.split_once(':') {
        Some((head, ty)) => {
            let ty = ty.trim();
            let parsed = SqlType::from_rust(ty).ok_or_else(|| {
                format!(
                    "unknown type `{ty}` in the annotation `{alias}`: write one of {}",
                    SqlType::ALL.iter().map(|t| format!("`{}`", t.rust())).collect::<Vec<_>>().join(", ")
                )
            })?;
            (head.trim(), Some(parsed))
        }
        None => (alias, None),
    };
    let (name, nullable) = if let Some(name) = head.strip_suffix('!') {
        (name, Some(false))
    } else if let Some(name) = head.strip_suffix('?') {
        (name, Some(true))
    } else {
        (head, None)
    };
    let name = name.trim();
    if name.is_empty() && (nullable.is_some() || ty.is_some()) {
        return Err(format!("the annotation `{alias}` has no column name: write `name: Type`, `name!` or `name?`"));
    }
    Ok(Annotation { name: name.to_owned(), nullable, ty })
}
