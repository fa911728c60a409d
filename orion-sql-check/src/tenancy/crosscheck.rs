//! Failing closed: what SQLite's authorizer reports the statement touches, against what the
//! analysis proved.
//!
//! SQLite reports every table a statement reads or writes while preparing it — through
//! views, common table expressions, triggers and foreign-key actions — with the view, common
//! table expression or trigger responsible as the *accessor*. Every report of a
//! tenant-scoped table must match an access the analysis proved, with the same accessor; one
//! that does not is a place the analysis did not look, and the statement is refused.
//!
//! It also refuses reads of SQLite's storage-level tables, which show other tenants' bytes
//! without naming their tables.

use std::collections::BTreeSet;

use super::analysis::{Account, Act, Analysis};
use crate::authorizer::{Access, AccessAction};
use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// Tables that expose the database's storage or index samples: every tenant's data, under
/// another name.
const STORAGE: &[&str] = &["dbstat", "sqlite_dbpage", "sqlite_dbdata", "sqlite_dbptr", "sqlite_stat3", "sqlite_stat4"];

impl Analysis<'_> {
    /// Refuses every tenant-scoped access in `accesses` the analysis did not prove.
    pub(super) fn crosscheck(&mut self, accesses: &[Access]) {
        let mut missing = BTreeSet::new();
        for access in accesses {
            let Some(table) = &access.table else { continue };
            if STORAGE.iter().any(|s| s.eq_ignore_ascii_case(table)) {
                self.storage(table);
                continue;
            }
            if self.schema.tenant_column(table).is_none() {
                continue;
            }
            self.touched = true;
            let act = match access.action {
                AccessAction::Read => Act::Read,
                AccessAction::Insert => Act::Insert,
                AccessAction::Update => Act::Update,
                AccessAction::Delete => Act::Delete,
                _ => {
                    missing.insert((table.to_ascii_lowercase(), access.accessor.clone(), None));
                    continue;
                }
            };
            let account = Account {
                accessor: access.accessor.as_deref().map(str::to_ascii_lowercase),
                table: table.to_ascii_lowercase(),
                act,
            };
            if !self.accounted.contains(&account) {
                missing.insert((account.table, access.accessor.clone(), Some(act)));
            }
        }
        for (table, accessor, act) in missing {
            let verb = match act {
                Some(Act::Read) => "reads",
                Some(Act::Insert) => "inserts into",
                Some(Act::Update) => "updates",
                Some(Act::Delete) => "deletes from",
                None => "uses",
            };
            let through = accessor.map_or_else(String::new, |a| format!(" (through `{a}`)"));
            self.problems.push(Diagnostic::new(
                DiagnosticKind::Tenancy,
                format!(
                    "SQLite reports that the statement {verb} tenant-scoped table `{table}`{through}, which the \
                     tenancy analysis did not prove constrained to the tenant"
                ),
                "rewrite the statement with the forms orion-sql-check's README lists (each tenant table read \
                 directly, constrained with `= :tenant`), or opt out with a reason; this may be a gap in the \
                 analysis, so please report it"
                    .to_owned(),
                None,
            ));
        }
    }

    fn storage(&mut self, table: &str) {
        if self.schema.tenant_tables().is_empty() {
            return;
        }
        let problem = Diagnostic::new(
            DiagnosticKind::Tenancy,
            format!("`{table}` shows the database's storage, every tenant's rows included"),
            "read tenant-scoped tables directly, constrained to the tenant; keep storage statistics to \
             maintenance tools"
                .to_owned(),
            None,
        );
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }
}
