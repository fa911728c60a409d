//! The tenancy oracle: in dev, raw SQL that reaches a tenant-scoped table without the tenant
//! predicate fails, naming the line that ran it.
//!
//! Named queries are proven scoped while compiling (`orion::queries!`); raw SQL given to the
//! store's methods is not. So in debug builds ([`StoreOptions::check_tenancy`]) every
//! statement given to [`Store`](super::Store), [`Db`](super::Db) and [`Tx`](super::Tx) — and
//! so to the tenant-bound handles, which run theirs through them — is first put to the same
//! proof, [`orion_sql_check::tenancy::check_raw`], against the schema of the migrations the
//! store was given by [`Store::migrate`](super::Store::migrate). A statement that reaches a
//! tenant-scoped table without being constrained to `:tenant` fails with [`ErrorKind::Sql`],
//! before it runs, with the caller's file and line (`#[track_caller]`), the statement, what
//! is unscoped, and the three ways to fix it.
//!
//! What it never refuses:
//!
//! - anything, when no migration declares a tenant-scoped table (`-- orion: tenant …`): the
//!   oracle then stays asleep and costs an uncontended read lock per statement;
//! - statements on global tables, and on orion's own tables (`_orion_jobs`, `_orion_tenants`,
//!   `_orion_migrations`, …), which the migrations do not create: a statement SQLite cannot
//!   prepare against the migrations' schema is left to the database when it names no
//!   tenant-scoped table or when all the tables it reaches are orion's, and fails closed
//!   otherwise (it cannot be proven);
//! - maintenance statements (`PRAGMA`, DDL, `VACUUM`) that touch no tenant-scoped table;
//! - the functions `orion::queries!` writes: they hold a [`Proven`] guard while they run,
//!   having been proven (or, with `#[unscoped(reason = "…")]`, opted out) while compiling;
//! - statements run through an opt-out: [`Store::unscoped`](super::Store::unscoped),
//!   [`Tx::unscoped`](super::Tx::unscoped), [`Db::unscoped`](super::Db::unscoped), each with
//!   a reason.
//!
//! # Cost
//!
//! The proof runs once per distinct SQL text and schema (a few hundred microseconds: SQLite
//! prepares the statement against an in-memory copy of the schema, and the statement is
//! parsed and analysed); after that a statement costs a hash lookup under a read lock.
//! The verdicts are shared by every store with the same migrations (each tenant's file under
//! db-per-tenant) and bounded ([`MAX_VERDICTS`]). Release builds skip all of it, unless they
//! turn [`StoreOptions::check_tenancy`] on.

use std::cell::Cell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use orion_sql_check::{DiagnosticKind, Schema, sql, tenancy};

use super::{Migration, StoreOptions};
use crate::{Error, ErrorKind, Result};

/// How many verdicts one schema keeps; past it they are forgotten all at once (SQL built
/// with `format!` would otherwise grow the cache for as long as the process runs).
const MAX_VERDICTS: usize = 4096;

/// How many schemas' verdicts are kept for stores opened later (as the schema cache of
/// `orion-sql-check`).
const MAX_CHECKERS: usize = 8;

/// The checkers of the schemas seen so far, most recently used last.
static CHECKERS: Mutex<Vec<Arc<Checker>>> = Mutex::new(Vec::new());

thread_local! {
    /// Whether the statements this thread runs now are a named query's (see [`proven`]).
    static PROVEN: Cell<bool> = const { Cell::new(false) };
}

/// One store's oracle. Cheap to clone: the store, its writer and its read snapshots share it.
#[derive(Clone)]
pub(crate) struct Oracle {
    /// `None` when the store was opened with [`StoreOptions::check_tenancy`] off.
    state: Option<Arc<State>>,
}

struct State {
    /// Every migration the store was given, in order, each once.
    migrations: Mutex<Vec<Migration>>,
    /// The checker of their schema, once they declare a tenant-scoped table.
    checker: RwLock<Option<Arc<Checker>>>,
}

/// The schema of some migrations, and the verdict on every statement checked against it.
struct Checker {
    schema: Arc<Schema>,
    /// SQL text → `Err(problems)`, one per line, or `Ok` when it may run.
    verdicts: RwLock<HashMap<Box<str>, Verdict>>,
}

type Verdict = std::result::Result<(), Arc<str>>;

impl Oracle {
    pub(super) fn new(options: &StoreOptions) -> Oracle {
        let state = options
            .check_tenancy
            .then(|| Arc::new(State { migrations: Mutex::new(Vec::new()), checker: RwLock::new(None) }));
        Oracle { state }
    }

    /// Learns the tenant-scoped tables from `migrations` (added to those given before).
    ///
    /// A schema the checker cannot build (a migration that only works on the real file) turns
    /// the oracle off, with a warning: the runtime's own `migrate` has already said whether
    /// the migrations apply.
    pub(super) fn learn(&self, migrations: &[Migration]) {
        let Some(state) = &self.state else { return };
        let mut known = lock(&state.migrations);
        let before = known.len();
        for migration in migrations {
            if !known.iter().any(|m| m.name == migration.name) {
                known.push(*migration);
            }
        }
        if known.len() == before && before > 0 {
            return;
        }
        let checker = if known.iter().any(|m| declares_tenancy(m.sql)) { checker(&known) } else { None };
        *state.checker.write().unwrap_or_else(PoisonError::into_inner) = checker;
    }

    /// `Ok` when `sql` may run; the located error when it reaches a tenant-scoped table
    /// without the tenant predicate.
    pub(super) fn check(&self, sql: &str, caller: &'static Location<'static>) -> Result<()> {
        let Some(state) = &self.state else { return Ok(()) };
        if PROVEN.get() {
            return Ok(());
        }
        let checker = state.checker.read().unwrap_or_else(PoisonError::into_inner).clone();
        let Some(checker) = checker else { return Ok(()) };
        checker.verdict(sql).map_err(|problems| refusal(sql, &problems, caller))
    }
}

impl Checker {
    fn verdict(&self, sql: &str) -> Verdict {
        if let Some(verdict) = self.verdicts.read().unwrap_or_else(PoisonError::into_inner).get(sql) {
            return verdict.clone();
        }
        let verdict = judge(&self.schema, sql);
        let mut verdicts = self.verdicts.write().unwrap_or_else(PoisonError::into_inner);
        if verdicts.len() >= MAX_VERDICTS {
            verdicts.clear();
        }
        verdicts.insert(sql.into(), verdict.clone());
        verdict
    }
}

/// The proof itself: refused only for a tenancy problem. A statement SQLite cannot prepare
/// against the migrations' schema is left for the database to run or refuse when it names no
/// tenant-scoped table (a mistake), or when every table it reaches is one of orion's own.
fn judge(schema: &Schema, sql: &str) -> Verdict {
    match tenancy::check_raw(schema, sql) {
        Ok(_) => Ok(()),
        Err(problems) if problems.iter().any(|p| p.kind == DiagnosticKind::Tenancy) && !orions_own(sql) => {
            let lines: Vec<String> = problems.iter().map(|problem| format!("  {problem}")).collect();
            Err(lines.join("\n").into())
        }
        Err(_) => Ok(()),
    }
}

/// Whether `sql` is a query or write on orion's own tables only (`_orion_jobs`,
/// `_orion_tenants`, …: the runtime's, never created by the migrations). The checker cannot
/// prepare it, and when one of its words is also the name of a tenant-scoped table (a column
/// `key`, a table `key`) it cannot tell it from a statement on that table; its parsed table
/// occurrences can.
fn orions_own(sql: &str) -> bool {
    let Ok(statement) = sql::parse(sql) else { return false };
    let tables = sql::occurrences(&statement);
    !tables.is_empty()
        && tables.iter().all(|table| {
            table.cte.is_some() || table.name.text.get(..ORIONS.len()).is_some_and(|p| p.eq_ignore_ascii_case(ORIONS))
        })
}

/// The prefix of orion's own tables.
const ORIONS: &str = "_orion_";

fn refusal(sql: &str, problems: &str, caller: &Location<'_>) -> Error {
    let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    Error::new(
        ErrorKind::Sql,
        format!(
            "{caller}: this statement is not scoped to the tenant: `{sql}`\n\
             {problems}\n\
             fix it: add the predicate and run it through the tenant's store (`ctx.tenant()?`, which binds \
             `:tenant`), or write it as a `#[tenant_scoped]` query in `orion::queries!`; if it must reach every \
             tenant's rows, opt out with a reason: `store.unscoped(\"…\")`, `tx.unscoped(\"…\")` \
             (checked in debug builds, see `StoreOptions::check_tenancy`)"
        ),
    )
}

/// Whether a migration may declare a tenant-scoped table: a cheap look for the directive's
/// prefix, so that an app without tenancy never builds a schema.
fn declares_tenancy(sql: &str) -> bool {
    const DIRECTIVE: &[u8] = b"orion:";
    sql.as_bytes().windows(DIRECTIVE.len()).any(|w| w.eq_ignore_ascii_case(DIRECTIVE))
}

/// The checker of `migrations`' schema, shared with the stores given the same migrations.
fn checker(migrations: &[Migration]) -> Option<Arc<Checker>> {
    let migrations = migrations
        .iter()
        .map(|m| orion_sql_check::Migration { name: m.name.to_owned(), path: None, sql: m.sql.to_owned() })
        .collect();
    let schema = match Schema::from_migrations(migrations) {
        Ok(schema) => schema,
        Err(error) => {
            tracing::warn!(
                "the tenancy oracle is off for this store: its migrations declare tenant-scoped tables, but \
                 orion-sql-check could not build their schema: {error}"
            );
            return None;
        }
    };
    if schema.tenant_tables().is_empty() {
        return None;
    }
    let mut checkers = lock(&CHECKERS);
    let same = |c: &Arc<Checker>| {
        c.schema.content_hash() == schema.content_hash() && c.schema.migrations() == schema.migrations()
    };
    let checker = match checkers.iter().position(same) {
        Some(index) => checkers.remove(index),
        None => Arc::new(Checker { schema, verdicts: RwLock::new(HashMap::new()) }),
    };
    if checkers.len() == MAX_CHECKERS {
        checkers.remove(0);
    }
    checkers.push(checker.clone());
    Some(checker)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks the statements this thread runs, until the guard is dropped, as a named query's:
/// the oracle lets them through. `orion::queries!` starts every function it writes with it
/// (as `orion::__private::proven`), since the query was proven scoped while compiling, or
/// opted out there with `#[unscoped(reason = "…")]`.
pub fn proven() -> Proven {
    Proven { was: PROVEN.replace(true), _thread: PhantomData }
}

/// What [`proven`] returns; it is dropped on the thread it was made on.
#[derive(Debug)]
pub struct Proven {
    was: bool,
    _thread: PhantomData<*const ()>,
}

impl Drop for Proven {
    fn drop(&mut self) {
        PROVEN.set(self.was);
    }
}
