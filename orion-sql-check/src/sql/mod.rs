//! The representation of a statement: a syntax tree of the SQLite subset named queries use,
//! with byte spans, and the walk over its table occurrences.
//!
//! [`parse`] reads one `SELECT` (with `WITH`, compounds, joins of every kind, subqueries,
//! window functions), `INSERT`/`REPLACE` (with `VALUES`, `SELECT`, `DEFAULT VALUES`, upserts,
//! `RETURNING`), `UPDATE` (with `FROM`, row-value assignments, `RETURNING`) or `DELETE`. It
//! is written for this crate rather than taken from a general SQL parser, for two reasons:
//! compile time (the crate is built for the proc-macro before any app code compiles; a
//! general parser costs more than SQLite itself, see the crate docs) and fail-closed
//! behaviour (it refuses what it does not know with a [`ParseError`] marked `unsupported` instead of
//! building a tree with a different meaning).
//!
//! [`occurrences`] lists every place a statement names a table, with its role and the
//! predicates that filter its rows, for the tenancy analysis.

mod ast;
mod lexer;
mod occurrences;
mod parser;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use occurrences::{Filter, Occurrence, Role, occurrences};
pub use parser::{ParseError, parse, statement_spans};

pub(crate) use lexer::{matching_paren, token_at, tokenize as lexer_tokens};
pub(crate) use parser::parse_expr;
