//! orion-sql-check: finds an app's migrations and checks its SQL against them, without a
//! database server.
//!
//! This is a plain library (no proc-macro, no dependencies) so everything it does can be
//! tested without a compiler; `orion-macros` and the CLI call it. Today it finds the
//! migrations; checking named queries against them, typing their rows and proving tenant
//! scoping join as their issues land.
//!
//! # Where migrations live
//!
//! Each feature keeps its migrations in its own `migrations/` folder, next to the code that
//! uses the tables; the order is global, by timestamp:
//!
//! ```text
//! src/
//!   todos/
//!     migrations/
//!       20261121120000_create_todos.sql
//!       20261123093000_add_due_date.sql
//!     sql.rs
//!   users/
//!     migrations/
//!       20261120080000_create_users.sql
//! ```
//!
//! [`discover`] finds every `*.sql` file directly inside any folder named `migrations` under
//! the source folder and orders them by file name, which starts with the UTC time it was
//! written (`YYYYMMDDHHMMSS`): above, `create_users` runs first, then `create_todos`, then
//! `add_due_date`. A migration name is `<14-digit UTC timestamp>_<snake_case_name>.sql`.
//! Anything else inside a `migrations/` folder is a mistake and reported, and so are two
//! features with the same file name (the file name is the key a database records a migration
//! under). All problems are reported at once.
//!
//! ```no_run
//! use std::path::Path;
//!
//! fn main() -> Result<(), orion_sql_check::DiscoverError> {
//!     for migration in orion_sql_check::discover(Path::new("src"))? {
//!         println!("{} ({})", migration.name, migration.path.display());
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Layout
//!
//! - `migrations.rs`: [`discover`], [`MigrationFile`], and the [`DiscoverError`] listing every
//!   [`Problem`].
//!
//! # Feature flags
//!
//! None.

mod migrations;

pub use migrations::{DiscoverError, MigrationFile, Problem, discover};
