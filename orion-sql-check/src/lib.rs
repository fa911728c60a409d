//! orion-sql-check: checks an app's SQL against its migrations, without a database server.
//!
//! It applies the migrations to an in-memory SQLite (the same files the runtime applies at
//! boot, with the runtime's settings), then checks each named query against it: SQLite
//! prepares it (so a bad table, column, function, parameter or syntax is SQLite's own
//! verdict), and this crate parses and types it, giving each result column a Rust type and
//! an honest nullability and each `:parameter` a type. It is a plain library, so all of it is
//! tested without a compiler; `orion-macros` calls it at compile time and the
//! `orion-sql-check` binary calls it from the command line (see the README).
//!
//! ```no_run
//! use std::path::Path;
//!
//! let schema = orion_sql_check::Schema::load(Path::new("/app/src")).unwrap();
//! match orion_sql_check::check(&schema, "SELECT id, title FROM todos WHERE done = :done") {
//!     Ok(checked) => {
//!         for field in &checked.fields {
//!             println!("{}: {}{}", field.name, field.ty.rust(), if field.nullable { " (nullable)" } else { "" });
//!         }
//!     }
//!     Err(problems) => problems.iter().for_each(|p| eprintln!("{p}")),
//! }
//! ```
//!
//! The rules (migrations layout, annotation syntax, nullability, parameters) are in the
//! crate's README, included here:
//!
#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! - `migrations.rs`: [`discover`], the migrations layout rule (also used by
//!   `orion::migrations!()`).
//! - `schema.rs` (+ `schema/`): [`Schema`], built from the migrations and cached per process
//!   by content hash; the facts about [`Table`]s (with their [`ForeignKey`]s and
//!   [`UniqueKey`]s), [`View`]s and [`Trigger`]s, and the [`TenantTable`] declarations.
//! - `sql/`: the representation: lexer, syntax tree ([`sql::Statement`]), parser, and
//!   [`sql::occurrences`], every table occurrence with its filters (for tenancy).
//! - `check.rs`: [`check`], [`Checked`], [`Field`], [`Param`].
//! - `infer/`: name resolution, types and nullability, parameters, SQLite's functions.
//! - `diagnostic.rs`: [`Diagnostic`], SQLite's errors with spans and "did you mean" hints.
//! - `annotation.rs`: result-column annotations.
//! - `authorizer.rs`: [`accesses`], what SQLite's authorizer reports.
//! - `tenancy/`: [`tenancy::check`], the proof that every occurrence of a tenant-scoped table
//!   is constrained to `:tenant`, cross-checked with the authorizer; [`tenancy::check_raw`],
//!   the same for raw SQL at run time (orion's dev-mode tenancy oracle).
//! - `rebuild.rs`: [`crate_root`] and how edits and new migrations rebuild the crate.
//! - `main.rs`: the `orion-sql-check` command.
//!
//! # Why our own parser (compile cost)
//!
//! This crate is compiled for the proc-macro, on the critical path of every app build:
//! nothing that uses a query macro compiles before it. The SQL representation is a
//! hand-written parser of the SQLite subset named queries use (`sql/`, about 2,700 lines with
//! its docs and the table-occurrence walk). A general SQL parser was measured as the
//! alternative on this machine (2 cores): `sqlparser` 0.63 alone took 100 s to build with the
//! workspace's `opt-level = 2` for dependencies (26 s at `opt-level = 0`), where this whole
//! crate builds in about 7 s. The parser also
//! fails closed: what it does not know is refused, never guessed.
//!
//! # Feature flags
//!
//! None. It uses rusqlite (bundled SQLite) with the workspace's `hooks` and
//! `column_metadata` features, the same features the runtime resolves, so Cargo builds
//! SQLite once for both.

mod annotation;
mod authorizer;
mod check;
mod diagnostic;
mod infer;
mod migrations;
mod rebuild;
mod schema;
pub mod sql;
pub mod tenancy;
mod types;

pub use authorizer::{Access, AccessAction, accesses};
pub use check::{Checked, Field, Origin, Param, StatementKind, check};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use migrations::{DiscoverError, MigrationFile, Problem, discover};
pub use rebuild::crate_root;
pub use schema::{
    CACHE_SIZE, Column, ForeignKey, Generated, Migration, Schema, SchemaError, SchemaProblem, Table, TenantTable,
    Trigger, TriggerEvent, UniqueKey, View,
};
pub use types::SqlType;
