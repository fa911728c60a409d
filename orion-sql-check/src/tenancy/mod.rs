//! Tenancy: proving, before a statement ever runs, that it only reads and writes the rows of
//! the tenant bound to it.
//!
//! Tables are tenant-scoped because a migration declares them so
//! (`-- orion: tenant notes.workspace_id`, see [`Schema::tenant_column`]). A tenant-bound
//! store binds the tenant's key to the parameter `:tenant` of every statement it runs.
//! [`check`] proves that **every occurrence** of a tenant-scoped table the statement reaches
//! is constrained to that key, and says [`Scoping::Scoped`]; a statement that reaches no
//! tenant-scoped table is [`Scoping::Global`]. Anything it cannot prove is refused with a
//! [`DiagnosticKind::Tenancy`] diagnostic that names the
//! occurrence (its alias, and its span in the SQL) and says what to write.
//!
//! # What is proven
//!
//! - **Reads**, wherever they are — `FROM`, joins, subqueries, `EXISTS`/`IN`, scalar
//!   subqueries, common table expressions (in their definition), every branch of a compound
//!   `SELECT`, the source of `INSERT … SELECT`, `RETURNING`: a conjunct at the top level of a
//!   filter that holds for every real row of that occurrence ([`sql::Filter`]: its block's
//!   `WHERE`, the `ON` of an inner join, the `ON` of a `LEFT JOIN` for its right side only),
//!   of the form `<alias>.<tenant column> = :tenant` (`==`, `IS`, either side; an
//!   unqualified column when the table is the block's only source). Predicates do not travel
//!   into or out of subqueries: each occurrence carries its own.
//! - **Writes** (`writes.rs`): an `INSERT` sets the tenant column to `:tenant` in every row;
//!   `UPDATE` and `DELETE` are filtered like reads, and `UPDATE` never sets the tenant column
//!   to anything else; `ON CONFLICT … DO UPDATE` names the tenant column in its conflict
//!   target (or filters the existing row); `OR REPLACE` only where every unique key includes
//!   the tenant column.
//! - **Views** (`views.rs`): a view cannot hold `:tenant`, so a view over tenant tables must
//!   pass rows through one by one and select the tenant column, and the query constrains that
//!   column of the view.
//! - **Triggers and foreign keys** (`effects.rs`): the statements of every trigger a write
//!   fires, scoped by the triggering row (`NEW.workspace_id`); the parent and child rows
//!   foreign keys make SQLite look up, delete or update, proven when the foreign key includes
//!   the tenant column.
//! - **Fail closed** (`crosscheck.rs`): SQLite's authorizer lists what the statement touches;
//!   a tenant-scoped table it reports that the analysis did not prove is refused.
//! - **Other statements** (`PRAGMA`, `ATTACH`, DDL, `VACUUM`…) are refused when they touch a
//!   tenant-scoped table, and `ATTACH`, `DETACH`, `VACUUM`, `CREATE TRIGGER`, `CREATE VIEW`
//!   and `PRAGMA x = y` always (they reach rows later, or outside the declared tables) —
//!   except by [`check_raw`], for raw SQL at run time, which refuses them only when they touch
//!   a tenant-scoped table.
//!
//! # Opting out
//!
//! This module has no switch to skip the proof: a query that must not be proven (a
//! cross-tenant report, an admin tool) is simply not checked — the named-query macro's
//! `#[unscoped(reason = "…")]` does not call [`check`], and makes the query take the plain
//! store, which does not bind `:tenant`.

mod analysis;
mod crosscheck;
mod effects;
mod key;
mod shape;
mod views;
mod writes;

#[cfg(test)]
mod canary;
#[cfg(test)]
mod tests;

pub use key::TENANT;

use analysis::{Analysis, Place};

use crate::authorizer::{Access, AccessAction, accesses};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::schema::Schema;
use crate::sql::{self, ParseError, Span};

/// Whether a statement touches tenant-scoped tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoping {
    /// It touches only global tables: it needs no `:tenant` and runs through any store.
    Global,
    /// It touches tenant-scoped tables, and every occurrence is proven constrained to
    /// `:tenant`: it must run through a tenant-bound store, which binds `:tenant`.
    Scoped,
}

/// Proves that every occurrence of a tenant-scoped table `sql` reaches is constrained to the
/// bound tenant key `:tenant`. Returns whether it touches tenant-scoped tables at all, or
/// every problem found.
///
/// `sql` is usually one statement; each of several is proven. A statement SQLite refuses
/// against the schema is an error of SQLite's kind (plus a tenancy error when it names a
/// tenant-scoped table, since it cannot be proven).
pub fn check(schema: &Schema, sql: &str) -> Result<Scoping, Vec<Diagnostic>> {
    prove(schema, sql, Source::NamedQuery)
}

/// [`check`] for raw SQL an app runs through the plain store, at run time: what the
/// runtime's dev-mode oracle asks (see `orion::store`).
///
/// Queries and writes are proven exactly as by [`check`]. A statement of another kind
/// (`PRAGMA`, DDL, `VACUUM`, `ATTACH`, …) is refused only when SQLite reports that it touches
/// a tenant-scoped table: at run time such statements are maintenance, not feature code
/// (`PRAGMA defer_foreign_keys = ON` is how a write defers its foreign keys, `VACUUM INTO` a
/// backup), whereas a named query never has a reason to be one.
pub fn check_raw(schema: &Schema, sql: &str) -> Result<Scoping, Vec<Diagnostic>> {
    prove(schema, sql, Source::RawSql)
}

/// Where the SQL being proven comes from, which decides what is made of statements that are
/// not queries or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A named query: refused unless provably harmless.
    NamedQuery,
    /// Raw SQL at run time: refused only when it touches a tenant-scoped table.
    RawSql,
}

fn prove(schema: &Schema, sql: &str, source: Source) -> Result<Scoping, Vec<Diagnostic>> {
    let spans = match sql::statement_spans(sql) {
        Ok(spans) => spans,
        Err(error) => {
            return Err(vec![Diagnostic::new(
                DiagnosticKind::Syntax,
                error.message,
                "fix the SQL; SQLite's grammar is at https://sqlite.org/lang.html".to_owned(),
                Some(error.span),
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut scoping = Scoping::Global;
    for span in spans {
        match statement(schema, &sql[span.range()], source) {
            Ok(Scoping::Scoped) => scoping = Scoping::Scoped,
            Ok(Scoping::Global) => {}
            Err(found) => problems.extend(found.into_iter().map(|mut problem| {
                problem.span = problem.span.map(|s| Span::new(s.start + span.start, s.end + span.start));
                problem
            })),
        }
    }
    if problems.is_empty() {
        Ok(scoping)
    } else {
        problems.sort_by_key(|p| p.span.map_or(usize::MAX, |s| s.start));
        Err(problems)
    }
}

/// One statement.
fn statement(schema: &Schema, text: &str, source: Source) -> Result<Scoping, Vec<Diagnostic>> {
    let mut analysis = Analysis::new(schema);
    let reported = match accesses(schema, text) {
        Ok(reported) => reported,
        Err(problem) => {
            let mut problems = vec![problem];
            if analysis.mentions_tenant_table(text) {
                problems.push(Diagnostic::new(
                    DiagnosticKind::Tenancy,
                    "the statement cannot be proven scoped to the tenant: SQLite refuses it against the \
                     migrations, and it names a tenant-scoped table"
                        .to_owned(),
                    "fix what SQLite says; a statement on tables the migrations do not create cannot be checked"
                        .to_owned(),
                    None,
                ));
            }
            return Err(problems);
        }
    };
    match sql::parse(text) {
        Ok(parsed) => {
            analysis.statement(&parsed, &Place::statement(text));
            if analysis.problems.is_empty() {
                analysis.crosscheck(&reported);
            }
            if analysis.problems.is_empty() {
                Ok(if analysis.touched { Scoping::Scoped } else { Scoping::Global })
            } else {
                Err(analysis.problems)
            }
        }
        Err(error) => other(schema, text, &reported, &error, source),
    }
}

/// A statement the parser does not take: another kind (`PRAGMA`, DDL, …), or a query or
/// write in a form it does not know.
fn other(
    schema: &Schema,
    text: &str,
    reported: &[Access],
    error: &ParseError,
    source: Source,
) -> Result<Scoping, Vec<Diagnostic>> {
    let tokens = sql::lexer_tokens(text).unwrap_or_default();
    let word = |i: usize| tokens.get(i).map_or(String::new(), |t| text[t.span.range()].to_ascii_uppercase());
    let first = word(0);
    let keyword_span = tokens.first().map_or(error.span, |t| t.span);
    let tenant_table = |name: &str| {
        let name = name.rsplit('.').next().unwrap_or(name);
        schema.tenant_column(name).map(|_| name.to_owned())
    };
    let touched: Option<String> = reported.iter().find_map(|access| {
        let by_table = access.table.as_deref().and_then(tenant_table);
        let by_argument = match access.action {
            AccessAction::Pragma => {
                access.detail.as_deref().and_then(|d| d.split_once('=')).and_then(|(_, value)| tenant_table(value))
            }
            _ => None,
        };
        by_table.or(by_argument)
    });
    let is_query = matches!(first.as_str(), "SELECT" | "VALUES" | "WITH" | "INSERT" | "REPLACE" | "UPDATE" | "DELETE");
    if is_query {
        // A query or write the parser cannot read: unprovable, unless it touches no tenant table.
        return match touched {
            None => Ok(Scoping::Global),
            Some(table) => Err(vec![Diagnostic::new(
                DiagnosticKind::Tenancy,
                format!(
                    "the statement touches tenant-scoped table `{table}`, and orion-sql-check cannot analyse it: {}",
                    error.message
                ),
                "rewrite it with the forms orion-sql-check's README lists, or opt out with a reason".to_owned(),
                Some(error.span),
            )]),
        };
    }
    let creates_code = first == "CREATE" && (1..=2).any(|i| matches!(word(i).as_str(), "TRIGGER" | "VIEW"));
    let assigns_pragma = first == "PRAGMA" && tokens.iter().any(|t| &text[t.span.range()] == "=");
    let unsure = matches!(first.as_str(), "ATTACH" | "DETACH" | "VACUUM") || creates_code || assigns_pragma;
    let why = match (&touched, unsure) {
        (Some(table), _) => format!("this one touches tenant-scoped table `{table}`"),
        (None, true) if source == Source::RawSql => return Ok(Scoping::Global),
        (None, true) if creates_code => "its body would run later, unchecked".to_owned(),
        (None, true) if assigns_pragma => "it changes how every later statement runs".to_owned(),
        (None, true) => "it reaches data outside the tables the migrations declare".to_owned(),
        (None, false) => return Ok(Scoping::Global),
    };
    Err(vec![Diagnostic::new(
        DiagnosticKind::Tenancy,
        format!("`{first}` statements cannot be proven scoped to the tenant: {why}"),
        "change the schema in a migration, and run maintenance outside tenant code (through the plain store, \
         with a reason)"
            .to_owned(),
        Some(keyword_span),
    )])
}
