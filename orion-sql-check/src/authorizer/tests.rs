//! What SQLite's authorizer reports, with triggers and views.

use super::{AccessAction, accesses};
use crate::schema::test_schema;

const SCHEMA: &str = "
CREATE TABLE notes (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, body TEXT NOT NULL) STRICT;
CREATE TABLE audit (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, note_id INTEGER NOT NULL) STRICT;
CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN
    INSERT INTO audit (tenant, note_id) VALUES (NEW.tenant, NEW.id);
END;
CREATE VIEW bodies AS SELECT body FROM notes;
";

/// Every access as `action table.column [detail] <accessor>`.
fn check(sql: &str, expect: &[&str]) {
    let schema = test_schema(&[SCHEMA]);
    let shown: Vec<String> = accesses(&schema, sql)
        .unwrap()
        .iter()
        .map(|a| {
            let mut line = format!("{:?}", a.action);
            if let Some(table) = &a.table {
                line.push_str(&format!(" {table}"));
                if let Some(column) = &a.column {
                    line.push_str(&format!(".{column}"));
                }
            }
            if let Some(detail) = &a.detail {
                line.push_str(&format!(" [{detail}]"));
            }
            if let Some(accessor) = &a.accessor {
                line.push_str(&format!(" <{accessor}>"));
            }
            line
        })
        .collect();
    assert_eq!(shown, expect, "{sql}");
}

#[test]
fn reads_report_every_column_and_function() {
    check(
        "SELECT id, upper(body) FROM notes WHERE tenant = :t",
        &["Select", "Read notes.id", "Function [upper]", "Read notes.body", "Read notes.tenant"],
    );
}

#[test]
fn an_insert_reports_what_its_trigger_does() {
    check(
        "INSERT INTO notes (tenant, body) VALUES (:t, :b)",
        &[
            "Insert notes",
            "Insert audit <notes_audit>",
            "Read notes.tenant <notes_audit>",
            "Read notes.id <notes_audit>",
        ],
    );
}

#[test]
fn a_view_reports_its_table_with_the_view_as_accessor() {
    check("SELECT body FROM bodies", &["Select", "Read notes.body <bodies>", "Read bodies.body", "Select <bodies>"]);
}

#[test]
fn a_pragma_is_reported() {
    let schema = test_schema(&[SCHEMA]);
    let found = accesses(&schema, "PRAGMA table_info(notes)").unwrap();
    assert!(found.iter().any(|a| a.action == AccessAction::Pragma), "{found:?}");
}

#[test]
fn a_statement_sqlite_refuses_is_a_diagnostic() {
    let schema = test_schema(&[SCHEMA]);
    let problem = accesses(&schema, "SELECT nope FROM notes").unwrap_err();
    assert_eq!(problem.message, "no such column `nope`");
}
