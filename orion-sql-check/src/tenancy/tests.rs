//! The tenancy proof: every accepted form (each also run through the canary harness, which
//! confirms on a real database that it never reads or writes the other tenant's rows), and
//! every trick, refused with its message, its fix and the span it points at.

use std::sync::Arc;

use super::canary::{self, Fixture};
use super::{Scoping, check as tenancy, check_raw};
use crate::Diagnostic;
use crate::schema::{Schema, test_schema};

const SCHEMA: &str = "
-- orion: tenant notes.workspace_id
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (workspace_id, slug),
    UNIQUE (workspace_id, id)
) STRICT;

-- orion: tenant comments.workspace_id
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    note_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    FOREIGN KEY (workspace_id, note_id) REFERENCES notes (workspace_id, id) ON DELETE CASCADE
) STRICT;

-- orion: tenant tags.workspace_id
CREATE TABLE tags (
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    PRIMARY KEY (workspace_id, name)
) STRICT, WITHOUT ROWID;

-- orion: tenant audit.workspace_id
CREATE TABLE audit (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, what TEXT NOT NULL) STRICT;

CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;

-- orion: tenant members.workspace_id
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    plan_id INTEGER REFERENCES plans (id)
) STRICT;

CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN
    INSERT INTO audit (workspace_id, what) VALUES (NEW.workspace_id, 'added ' || NEW.slug);
END;

CREATE TRIGGER notes_renamed AFTER UPDATE OF slug ON notes BEGIN
    UPDATE comments SET body = body || ' (moved)' WHERE workspace_id = NEW.workspace_id AND note_id = NEW.id;
END;

CREATE VIEW note_bodies AS SELECT id, workspace_id, body FROM notes;
CREATE VIEW commented AS
    SELECT n.workspace_id AS ws, n.slug, c.body
    FROM notes AS n JOIN comments AS c ON c.note_id = n.id AND c.workspace_id = n.workspace_id;
CREATE TRIGGER tags_cleanup AFTER DELETE ON tags BEGIN
    DELETE FROM notes WHERE workspace_id = OLD.workspace_id AND slug = OLD.name;
END;

CREATE TRIGGER note_bodies_delete INSTEAD OF DELETE ON note_bodies BEGIN
    DELETE FROM notes WHERE id = OLD.id AND workspace_id = OLD.workspace_id;
END;
CREATE VIEW plan_names AS SELECT name FROM plans;
CREATE VIEW per_tenant AS SELECT workspace_id, count(*) AS notes FROM notes GROUP BY workspace_id;
CREATE VIRTUAL TABLE search USING fts5(body);
";

const GLOBAL_ROWS: &str = "INSERT INTO plans (id, name) VALUES (1, 'free'), (2, 'pro');";

const A_ROWS: &str = "
INSERT INTO notes (id, workspace_id, slug, body) VALUES (10, 'a', 'a-one', 'a-body-1'), (11, 'a', 'shared', 'a-body-2');
INSERT INTO comments (id, workspace_id, note_id, body) VALUES (10, 'a', 10, 'a-comment-1'), (11, 'a', 11, 'a-comment-2');
INSERT INTO tags (workspace_id, name, color) VALUES ('a', 'red', 'a-red'), ('a', 'shared', 'a-shared');
INSERT INTO members (id, workspace_id, name, plan_id) VALUES (10, 'a', 'a-ann', 1);
";

const B_ROWS: &str = "
INSERT INTO notes (id, workspace_id, slug, body) VALUES
    (1, 'b', 'b-secret-one', 'b-secret-body-1'), (2, 'b', 'shared', 'b-secret-body-2');
INSERT INTO comments (id, workspace_id, note_id, body) VALUES
    (1, 'b', 1, 'b-secret-comment-1'), (2, 'b', 2, 'b-secret-comment-2');
INSERT INTO tags (workspace_id, name, color) VALUES ('b', 'red', 'b-secret-red'), ('b', 'shared', 'b-secret-shared');
INSERT INTO members (id, workspace_id, name, plan_id) VALUES (1, 'b', 'b-secret-bob', 2);
";

fn schema() -> Arc<Schema> {
    test_schema(&[SCHEMA])
}

/// `sql` is accepted as `scoping`, and never reads or writes tenant `b`'s rows.
fn accepted(sql: &str, scoping: Scoping) {
    accepted_in(&schema(), &Fixture { global: GLOBAL_ROWS, a: A_ROWS, b: B_ROWS }, sql, scoping);
}

fn accepted_in(schema: &Schema, fixture: &Fixture<'_>, sql: &str, scoping: Scoping) {
    match tenancy(schema, sql) {
        Ok(found) => assert_eq!(found, scoping, "{sql}"),
        Err(problems) => panic!("`{sql}` was refused:\n{}", show(sql, &problems)),
    }
    canary::assert_isolated(schema, fixture, sql);
}

/// `sql` is refused with exactly these problems, each shown as `` `fragment`: message: help ``
/// (the fragment is the text the problem's span covers, `-` for none).
fn refused(sql: &str, expect: &[&str]) {
    refused_in(&schema(), sql, expect);
}

fn refused_in(schema: &Schema, sql: &str, expect: &[&str]) {
    let problems = match tenancy(schema, sql) {
        Ok(scoping) => panic!("`{sql}` was accepted as {scoping:?}"),
        Err(problems) => problems,
    };
    assert!(problems.iter().all(|p| p.kind == crate::DiagnosticKind::Tenancy), "{problems:?}");
    assert_eq!(show(sql, &problems), expect.join("\n"), "{sql}");
}

fn show(sql: &str, problems: &[Diagnostic]) -> String {
    problems
        .iter()
        .map(|p| {
            let fragment = p.span.map_or("-", |s| &sql[s.range()]);
            format!("`{fragment}`: {}: {}", p.message, p.help)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- accepted: reads ----

#[test]
fn a_filtered_table_is_scoped_in_every_spelling_of_the_predicate() {
    accepted("SELECT id, body FROM notes WHERE workspace_id = :tenant ORDER BY id", Scoping::Scoped);
    accepted("SELECT n.id FROM notes AS n WHERE n.workspace_id = :tenant AND n.slug = :slug", Scoping::Scoped);
    accepted("SELECT id FROM notes WHERE :tenant == workspace_id", Scoping::Scoped);
    accepted(
        "SELECT id FROM notes WHERE notes.workspace_id IS :tenant AND (slug = :slug OR body = :slug)",
        Scoping::Scoped,
    );
    accepted("SELECT id FROM notes WHERE (workspace_id, slug) = (:tenant, :slug)", Scoping::Scoped);
    accepted("SELECT count(*) AS \"n: i64\" FROM notes WHERE workspace_id = :tenant", Scoping::Scoped);
}

#[test]
fn joins_and_self_joins_are_scoped_when_each_alias_is() {
    accepted(
        "SELECT n.slug, c.body FROM notes n JOIN comments c ON c.note_id = n.id AND c.workspace_id = :tenant \
         WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "SELECT n1.slug, n2.body FROM notes n1 JOIN notes n2 ON n2.slug = n1.slug AND n2.workspace_id = :tenant \
         WHERE n1.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "SELECT n.slug, c.body FROM notes n LEFT JOIN comments c ON c.note_id = n.id AND c.workspace_id = :tenant \
         WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "SELECT n.slug, p.name FROM notes n, plans p WHERE n.workspace_id = :tenant AND p.id = n.id",
        Scoping::Scoped,
    );
}

#[test]
fn subqueries_exists_and_in_are_scoped_by_their_own_predicates() {
    accepted("SELECT s.slug FROM (SELECT slug FROM notes WHERE workspace_id = :tenant) AS s", Scoping::Scoped);
    accepted(
        "SELECT slug FROM notes n WHERE n.workspace_id = :tenant \
         AND EXISTS (SELECT 1 FROM comments c WHERE c.note_id = n.id AND c.workspace_id = :tenant)",
        Scoping::Scoped,
    );
    accepted(
        "SELECT slug FROM notes WHERE workspace_id = :tenant \
         AND id IN (SELECT note_id FROM comments WHERE workspace_id = :tenant AND body LIKE :pattern)",
        Scoping::Scoped,
    );
    accepted(
        "SELECT slug, (SELECT count(*) FROM comments c WHERE c.note_id = n.id AND c.workspace_id = :tenant) AS \
         \"comments: i64\" FROM notes n WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
}

#[test]
fn common_table_expressions_are_scoped_in_their_definition() {
    accepted(
        "WITH mine AS (SELECT id, slug FROM notes WHERE workspace_id = :tenant) SELECT slug FROM mine WHERE id > :after",
        Scoping::Scoped,
    );
    accepted(
        "WITH a AS (SELECT id FROM notes WHERE workspace_id = :tenant), b AS (SELECT id FROM a) \
         SELECT c.body FROM comments c JOIN b ON b.id = c.note_id WHERE c.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n",
        Scoping::Global,
    );
}

#[test]
fn writes_with_subqueries_and_views_are_scoped_occurrence_by_occurrence() {
    accepted(
        "UPDATE notes SET body = (SELECT c.body FROM comments c WHERE c.note_id = notes.id AND c.workspace_id = \
         :tenant) WHERE workspace_id = :tenant RETURNING id, body",
        Scoping::Scoped,
    );
    accepted(
        "SELECT n.slug, v.body FROM notes n LEFT JOIN commented v ON v.slug = n.slug AND v.ws = :tenant \
         WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "INSERT INTO comments (workspace_id, note_id, body) \
         SELECT v.workspace_id, v.id, v.body FROM note_bodies v WHERE v.workspace_id = :tenant",
        Scoping::Scoped,
    );
}

#[test]
fn every_branch_of_a_compound_select_is_scoped() {
    accepted(
        "SELECT slug FROM notes WHERE workspace_id = :tenant UNION SELECT name FROM tags WHERE workspace_id = :tenant \
         UNION ALL SELECT name FROM plans",
        Scoping::Scoped,
    );
}

#[test]
fn a_keyed_view_is_scoped_by_its_tenant_column() {
    accepted("SELECT id, body FROM note_bodies WHERE workspace_id = :tenant", Scoping::Scoped);
    accepted("SELECT v.slug, v.body FROM commented AS v WHERE v.ws = :tenant", Scoping::Scoped);
    accepted("SELECT name FROM plan_names", Scoping::Global);
}

#[test]
fn global_tables_are_global() {
    accepted("SELECT id, name FROM plans WHERE id = :id", Scoping::Global);
    accepted("INSERT INTO plans (name) VALUES (:name)", Scoping::Global);
    assert_eq!(tenancy(&schema(), "SELECT name FROM sqlite_schema WHERE type = 'table'"), Ok(Scoping::Global));
}

// ---- accepted: writes ----

#[test]
fn inserts_set_the_tenant_column_to_the_key() {
    // Fires `notes_audit`, which scopes its insert by `NEW.workspace_id`.
    accepted("INSERT INTO notes (workspace_id, slug, body) VALUES (:tenant, :slug, :body)", Scoping::Scoped);
    accepted(
        "INSERT INTO tags (workspace_id, name, color) VALUES (:tenant, 'x', 'y'), (:tenant, 'z', :color)",
        Scoping::Scoped,
    );
    accepted("INSERT INTO audit VALUES (NULL, :tenant, :what)", Scoping::Scoped);
    accepted(
        "INSERT INTO members (workspace_id, name, plan_id) VALUES (:tenant, :name, :plan) RETURNING id, name",
        Scoping::Scoped,
    );
}

#[test]
fn insert_select_takes_the_key_or_a_scoped_sources_tenant_column() {
    accepted(
        "INSERT INTO comments (workspace_id, note_id, body) \
         SELECT :tenant, id, 'first' FROM notes WHERE workspace_id = :tenant AND slug = :slug",
        Scoping::Scoped,
    );
    accepted(
        "INSERT INTO comments (workspace_id, note_id, body) \
         SELECT n.workspace_id, n.id, n.body FROM notes n WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
}

#[test]
fn updates_and_deletes_are_filtered_and_keep_rows_with_their_tenant() {
    accepted("UPDATE notes SET body = :body WHERE workspace_id = :tenant AND id = :id", Scoping::Scoped);
    // Fires `notes_renamed`, which scopes its update by `NEW.workspace_id`.
    accepted("UPDATE notes SET slug = :slug WHERE id = :id AND workspace_id = :tenant", Scoping::Scoped);
    accepted(
        "UPDATE notes AS n SET workspace_id = :tenant, body = :body WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "UPDATE comments SET body = n.body FROM notes n \
         WHERE n.id = comments.note_id AND n.workspace_id = :tenant AND comments.workspace_id = :tenant",
        Scoping::Scoped,
    );
    // Cascades to `comments` through a foreign key that includes the tenant column.
    accepted("DELETE FROM notes WHERE workspace_id = :tenant AND id = :id", Scoping::Scoped);
    accepted("DELETE FROM comments WHERE workspace_id = :tenant AND id = :id RETURNING body", Scoping::Scoped);
}

#[test]
fn triggers_that_scope_by_the_triggering_row_are_followed_through_cascades() {
    // `tags_cleanup` deletes the tenant's note of the same name (by `OLD.workspace_id`), which
    // cascades to its comments through a foreign key that includes the tenant column.
    accepted("DELETE FROM tags WHERE workspace_id = :tenant AND name = :name", Scoping::Scoped);
}

#[test]
fn upserts_are_scoped_by_their_conflict_target_or_their_where() {
    accepted(
        "INSERT INTO notes (workspace_id, slug, body) VALUES (:tenant, :slug, :body) \
         ON CONFLICT (workspace_id, slug) DO UPDATE SET body = excluded.body",
        Scoping::Scoped,
    );
    accepted(
        "INSERT INTO notes (id, workspace_id, slug, body) VALUES (:id, :tenant, :slug, :body) \
         ON CONFLICT (id) DO UPDATE SET body = excluded.body WHERE workspace_id = :tenant",
        Scoping::Scoped,
    );
    accepted(
        "INSERT INTO tags (workspace_id, name, color) VALUES (:tenant, :name, :color) \
         ON CONFLICT DO UPDATE SET color = excluded.color WHERE tags.workspace_id = :tenant",
        Scoping::Scoped,
    );
}

#[test]
fn replace_is_scoped_when_every_unique_key_holds_the_tenant_column() {
    accepted("REPLACE INTO tags (workspace_id, name, color) VALUES (:tenant, :name, :color)", Scoping::Scoped);
    accepted("INSERT OR REPLACE INTO notes (workspace_id, slug, body) VALUES (:tenant, :slug, :body)", Scoping::Scoped);
}

// ---- refused: the tricks ----

#[test]
fn a_table_without_the_predicate_is_refused() {
    refused(
        "SELECT id FROM notes",
        &["`notes`: `notes` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
    refused(
        "SELECT id FROM notes WHERE slug = :slug",
        &["`notes`: `notes` is not constrained to the tenant: add `AND workspace_id = :tenant` to the `WHERE`"],
    );
}

#[test]
fn an_or_defeats_the_predicate() {
    refused(
        "SELECT id FROM notes WHERE workspace_id = :tenant OR 1",
        &["`notes`: `notes` is not constrained to the tenant: `workspace_id = :tenant` does not hold for every row \
           (it is inside `OR`, `NOT` or another expression; only a conjunct joined with `AND` counts): add `AND \
           workspace_id = :tenant` to the `WHERE`"],
    );
    refused(
        "SELECT id FROM notes WHERE slug = :slug AND (workspace_id = :tenant OR slug = 'shared')",
        &["`notes`: `notes` is not constrained to the tenant: `workspace_id = :tenant` does not hold for every row \
           (it is inside `OR`, `NOT` or another expression; only a conjunct joined with `AND` counts): add `AND \
           workspace_id = :tenant` to the `WHERE`"],
    );
    refused(
        "SELECT id FROM notes WHERE NOT (workspace_id != :tenant)",
        &["`notes`: `notes` is not constrained to the tenant: `NOT (workspace_id != :tenant)` does not constrain it \
           to the tenant (only `workspace_id = :tenant` does, with nothing around either side): add `AND \
           workspace_id = :tenant` to the `WHERE`"],
    );
}

#[test]
fn the_predicate_on_the_wrong_alias_of_a_self_join_is_refused() {
    refused(
        "SELECT n2.body FROM notes n1 JOIN notes n2 ON n2.slug = n1.slug WHERE n1.workspace_id = :tenant",
        &["`notes n2`: `notes AS n2` is not constrained to the tenant: `n1.workspace_id = :tenant` constrains `n1`, \
           not `n2`: add `AND n2.workspace_id = :tenant` to the `ON` of the join of `notes AS n2`"],
    );
}

#[test]
fn a_left_joins_on_does_not_filter_the_table_to_its_left() {
    refused(
        "SELECT n.body, c.body FROM notes n LEFT JOIN comments c \
         ON c.note_id = n.id AND n.workspace_id = :tenant AND c.workspace_id = :tenant",
        &["`notes n`: `notes AS n` is not constrained to the tenant: `n.workspace_id = :tenant` is in the `ON` of an \
           outer join that keeps rows of `n` it does not match: add `WHERE n.workspace_id = :tenant`"],
    );
    refused(
        "SELECT c.body FROM notes n FULL JOIN comments c ON c.note_id = n.id AND c.workspace_id = :tenant \
         AND n.workspace_id = :tenant",
        &[
            "`notes n`: `notes AS n` is not constrained to the tenant: `n.workspace_id = :tenant` is in the `ON` of \
             an outer join that keeps rows of `n` it does not match: add `WHERE n.workspace_id = :tenant`",
            "`comments c`: `comments AS c` is not constrained to the tenant: `c.workspace_id = :tenant` is in the \
             `ON` of an outer join that keeps rows of `c` it does not match: a `FULL JOIN` keeps the rows of \
             `comments AS c` that match nothing: join a scoped subquery instead, `(SELECT * FROM comments WHERE \
             workspace_id = :tenant) AS c`",
        ],
    );
}

#[test]
fn a_right_joins_on_does_not_filter_the_table_it_joins() {
    refused(
        "SELECT n.body FROM comments c RIGHT JOIN notes n \
         ON c.note_id = n.id AND n.workspace_id = :tenant AND c.workspace_id = :tenant",
        &["`notes n`: `notes AS n` is not constrained to the tenant: `n.workspace_id = :tenant` is in the `ON` of an \
           outer join that keeps rows of `n` it does not match: add `WHERE n.workspace_id = :tenant`"],
    );
    accepted(
        "SELECT n.body, c.body FROM comments c RIGHT JOIN notes n ON c.note_id = n.id AND c.workspace_id = :tenant \
         WHERE n.workspace_id = :tenant",
        Scoping::Scoped,
    );
}

#[test]
fn tautologies_do_not_scope() {
    for predicate in [
        "workspace_id = workspace_id",
        "workspace_id IS NOT NULL",
        "workspace_id IN (:tenant, :other)",
        "workspace_id = :tenant COLLATE NOCASE",
        "CAST(workspace_id AS TEXT) = :tenant",
        "workspace_id = :workspace",
    ] {
        refused(
            &format!("SELECT id FROM notes WHERE slug = :slug AND {predicate}"),
            &[&format!(
                "`notes`: `notes` is not constrained to the tenant: `{predicate}` does not constrain it to the tenant \
                 (only `workspace_id = :tenant` does, with nothing around either side): add `AND workspace_id = \
                 :tenant` to the `WHERE`"
            )],
        );
    }
    refused(
        "SELECT id FROM notes WHERE :tenant = :tenant",
        &["`notes`: `notes` is not constrained to the tenant: add `AND workspace_id = :tenant` to the `WHERE`"],
    );
}

#[test]
fn a_predicate_in_having_or_outside_a_subquery_does_not_reach_the_rows() {
    refused(
        "SELECT workspace_id, count(*) FROM notes GROUP BY workspace_id HAVING workspace_id = :tenant",
        &["`notes`: `notes` is not constrained to the tenant: `workspace_id = :tenant` is in `HAVING`, which filters \
           groups, not rows: add `WHERE workspace_id = :tenant`"],
    );
    refused(
        "SELECT s.body FROM (SELECT workspace_id, body FROM notes) AS s WHERE s.workspace_id = :tenant",
        &["`notes`: `notes` is not constrained to the tenant: a predicate outside the subquery does not reach the \
           rows it reads: add `WHERE workspace_id = :tenant` inside the subquery, where it reads `notes`"],
    );
    refused(
        "WITH everything AS (SELECT * FROM notes) SELECT body FROM everything WHERE workspace_id = :tenant",
        &["`notes`: `notes` is not constrained to the tenant: a predicate outside the common table expression \
           `everything` does not reach the rows it reads: add `WHERE workspace_id = :tenant` inside the common \
           table expression `everything`, where it reads `notes`"],
    );
}

#[test]
fn a_common_table_expression_named_like_a_table_cannot_hide_it() {
    let problems =
        tenancy(&schema(), "WITH notes AS (SELECT * FROM notes) SELECT body FROM notes WHERE workspace_id = :tenant")
            .unwrap_err();
    // SQLite calls it a circular reference; it is refused either way.
    assert!(problems.iter().any(|p| p.kind == crate::DiagnosticKind::Tenancy), "{problems:?}");
}

#[test]
fn a_virtual_table_is_refused_when_tenants_exist() {
    refused(
        "SELECT body FROM search WHERE search MATCH :query",
        &["`search`: `search` is a virtual table, whose rows may be any tenant's: orion-sql-check cannot prove a \
           virtual table scoped: opt out with a reason, and constrain its rows yourself"],
    );
}

#[test]
fn every_branch_and_every_subquery_needs_its_own_predicate() {
    refused(
        "SELECT slug FROM notes WHERE workspace_id = :tenant UNION SELECT name FROM tags",
        &["`tags`: `tags` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
    refused(
        "SELECT slug FROM notes n WHERE n.workspace_id = :tenant AND EXISTS (SELECT 1 FROM comments c WHERE c.note_id = n.id)",
        &["`comments c`: `comments AS c` is not constrained to the tenant: add `AND c.workspace_id = :tenant` to the \
           `WHERE`"],
    );
    refused(
        "SELECT slug FROM notes WHERE workspace_id = :tenant AND id IN (SELECT note_id FROM comments)",
        &["`comments`: `comments` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
}

#[test]
fn writes_that_leave_the_tenant_are_refused() {
    refused(
        "UPDATE notes SET workspace_id = :other WHERE workspace_id = :tenant",
        &["`:other`: `SET workspace_id = :other` moves rows of `notes` to another tenant: remove the assignment (a \
           row stays with its tenant), or assign `:tenant`"],
    );
    refused(
        "UPDATE notes SET (body, workspace_id) = (:body, 'b') WHERE workspace_id = :tenant",
        &["`'b'`: `SET workspace_id = 'b'` moves rows of `notes` to another tenant: remove the assignment (a row \
           stays with its tenant), or assign `:tenant`"],
    );
    refused(
        "UPDATE notes SET body = :body WHERE id = :id",
        &["`notes`: the update of `notes` is not constrained to the tenant: add `AND workspace_id = :tenant` to the \
           `WHERE`"],
    );
    refused(
        "DELETE FROM notes WHERE id = :id",
        &["`notes`: the delete from `notes` is not constrained to the tenant: add `AND workspace_id = :tenant` to \
           the `WHERE`"],
    );
}

#[test]
fn inserts_without_the_key_are_refused() {
    refused(
        "INSERT INTO notes (slug, body) VALUES (:slug, :body)",
        &["`notes`: the insert into `notes` does not set its tenant column `workspace_id`: add `workspace_id` to the \
           inserted columns, with the value `:tenant`"],
    );
    refused(
        "INSERT INTO notes (workspace_id, slug, body) VALUES ('b', :slug, :body)",
        &["`'b'`: the insert into `notes` sets its tenant column `workspace_id` to `'b'`, not to the tenant: insert \
           `:tenant` (the tenant store binds it)"],
    );
    refused(
        "INSERT INTO tags (workspace_id, name, color) VALUES (:tenant, 'x', 'y'), (:other, 'z', 'w')",
        &["`:other`: the insert into `tags` sets its tenant column `workspace_id` to `:other`, not to the tenant: \
           insert `:tenant` (the tenant store binds it)"],
    );
    refused(
        "INSERT INTO tags DEFAULT VALUES",
        &["`tags`: the insert into `tags` does not set its tenant column `workspace_id`: add `workspace_id` to the \
           inserted columns, with the value `:tenant`"],
    );
    refused(
        "INSERT INTO comments (workspace_id, note_id, body) SELECT :tenant, id, body FROM notes",
        &["`notes`: `notes` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
    refused(
        "INSERT INTO comments (workspace_id, note_id, body) SELECT n.slug, n.id, n.body FROM notes n \
         WHERE n.workspace_id = :tenant",
        &["`n.slug`: the insert into `comments` sets its tenant column `workspace_id` to `n.slug`, which is not the \
           tenant: select `:tenant`, or the tenant column of a tenant-scoped table the query reads"],
    );
}

#[test]
fn upserts_and_replaces_that_may_touch_another_tenant_are_refused() {
    refused(
        "INSERT INTO notes (id, workspace_id, slug, body) VALUES (:id, :tenant, :slug, :body) \
         ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        &["`ON CONFLICT (id) DO UPDATE SET body = excluded.body`: `ON CONFLICT … DO UPDATE` may update a row of \
           another tenant in `notes`: its conflict target does not include `workspace_id`: name a unique key that \
           includes the tenant column, e.g. `ON CONFLICT (workspace_id, …)` with `UNIQUE (workspace_id, …)` on \
           `notes`, or add `WHERE workspace_id = :tenant` to the `DO UPDATE`"],
    );
    refused(
        "INSERT OR REPLACE INTO notes (id, workspace_id, slug, body) VALUES (:id, :tenant, :slug, :body)",
        &["`notes`: `OR REPLACE` may delete a row of another tenant: the unique key `id` (the `INTEGER PRIMARY KEY`, \
           which the write sets) of `notes` does not include the tenant column `workspace_id`: use `ON CONFLICT \
           (workspace_id, …) DO UPDATE` instead, or make every unique key of `notes` include `workspace_id` (and \
           don't set the rowid)"],
    );
}

#[test]
fn views_that_cannot_be_scoped_from_outside_are_refused() {
    refused(
        "SELECT body FROM note_bodies",
        &["`note_bodies`: `note_bodies` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
    refused(
        "SELECT notes FROM per_tenant WHERE workspace_id = :tenant",
        &["`per_tenant`: view `per_tenant` reads tenant-scoped tables in a way a predicate outside it cannot scope: \
           it groups rows (`GROUP BY`, `HAVING` or `WINDOW`): read its tables directly, each constrained to the \
           tenant"],
    );
    refused(
        "DELETE FROM note_bodies WHERE workspace_id = :tenant",
        &["`note_bodies`: writes through view `note_bodies` cannot be proven scoped to the tenant: write to its \
           tables, each write constrained to `:tenant`"],
    );
}

#[test]
fn a_global_write_that_reaches_tenant_rows_is_refused() {
    refused(
        "DELETE FROM plans WHERE id = :id",
        &["`plans`: the delete from `plans` makes SQLite look up rows of tenant-scoped `members` of every tenant \
           through the foreign key `members (plan_id) REFERENCES plans (id)` to global table `plans`: don't \
           reference global rows that are deleted or re-keyed from tenant-scoped tables, or opt out with a reason"],
    );
}

#[test]
fn statements_that_are_not_queries_or_writes_are_refused_when_they_touch_tenants() {
    refused(
        "PRAGMA table_info(notes)",
        &["`PRAGMA`: `PRAGMA` statements cannot be proven scoped to the tenant: this one touches tenant-scoped \
           table `notes`: change the schema in a migration, and run maintenance outside tenant code (through the \
           plain store, with a reason)"],
    );
    for (sql, first, why) in [
        ("DROP TABLE notes", "DROP", "this one touches tenant-scoped table `notes`"),
        ("CREATE INDEX notes_body ON notes (body)", "CREATE", "this one touches tenant-scoped table `notes`"),
        ("ATTACH 'other.db' AS other", "ATTACH", "it reaches data outside the tables the migrations declare"),
        ("VACUUM INTO 'copy.db'", "VACUUM", "it reaches data outside the tables the migrations declare"),
        ("CREATE VIEW everything AS SELECT * FROM plans", "CREATE", "its body would run later, unchecked"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA", "it changes how every later statement runs"),
    ] {
        refused(
            sql,
            &[&format!(
                "`{first}`: `{first}` statements cannot be proven scoped to the tenant: {why}: change the schema in \
                 a migration, and run maintenance outside tenant code (through the plain store, with a reason)"
            )],
        );
    }
    assert_eq!(tenancy(&schema(), "PRAGMA user_version"), Ok(Scoping::Global));
    assert_eq!(tenancy(&schema(), "CREATE TABLE scratch (x INTEGER)"), Ok(Scoping::Global));
}

#[test]
fn raw_sql_is_proven_the_same_but_maintenance_that_touches_no_tenant_table_passes() {
    let schema = schema();
    for sql in [
        "ATTACH 'other.db' AS other",
        "VACUUM INTO 'copy.db'",
        "PRAGMA foreign_keys = OFF",
        "PRAGMA defer_foreign_keys = ON",
        "CREATE TABLE scratch (x INTEGER)",
    ] {
        assert_eq!(check_raw(&schema, sql), Ok(Scoping::Global), "{sql}");
    }
    for sql in [
        "PRAGMA table_info(notes)",
        "DROP TABLE notes",
        "CREATE INDEX notes_body ON notes (body)",
        "SELECT body FROM notes",
        "UPDATE notes SET body = 'x' WHERE id = :id",
        "SELECT nope FROM notes",
    ] {
        let raw = check_raw(&schema, sql);
        assert!(raw.is_err(), "{sql}");
        assert_eq!(raw, tenancy(&schema, sql), "{sql}");
    }
    let scoped = "SELECT body FROM notes WHERE workspace_id = :tenant";
    assert_eq!(check_raw(&schema, scoped), Ok(Scoping::Scoped));
    assert_eq!(check_raw(&schema, "SELECT name FROM plans"), Ok(Scoping::Global));
}

#[test]
fn several_statements_are_each_proven_with_spans_into_the_whole_text() {
    let schema = schema();
    assert_eq!(tenancy(&schema, "SELECT 1; SELECT id FROM notes WHERE workspace_id = :tenant"), Ok(Scoping::Scoped));
    refused(
        "SELECT id FROM notes WHERE workspace_id = :tenant; SELECT body FROM comments",
        &["`comments`: `comments` is not constrained to the tenant: add `WHERE workspace_id = :tenant`"],
    );
}

#[test]
fn a_statement_sqlite_refuses_is_its_error_plus_a_tenancy_error_when_it_names_a_tenant_table() {
    let problems = tenancy(&schema(), "SELECT nope FROM notes").unwrap_err();
    let kinds: Vec<_> = problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [crate::DiagnosticKind::NoSuchColumn, crate::DiagnosticKind::Tenancy]);
    let problems = tenancy(&schema(), "SELECT nope FROM plans").unwrap_err();
    assert_eq!(problems.iter().map(|p| p.kind).collect::<Vec<_>>(), [crate::DiagnosticKind::NoSuchColumn]);
}

// ---- triggers, foreign keys, declared conflict resolution ----

const RISKY: &str = "
-- orion: tenant notes.workspace_id
CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;
-- orion: tenant comments.workspace_id
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    body TEXT NOT NULL
) STRICT;
-- orion: tenant audit.workspace_id
CREATE TABLE audit (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, what TEXT NOT NULL) STRICT;
CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT NOT NULL) STRICT;
-- orion: tenant kv.workspace_id
CREATE TABLE kv (key TEXT PRIMARY KEY ON CONFLICT REPLACE, workspace_id TEXT NOT NULL, value TEXT NOT NULL) STRICT;
-- orion: tenant counters.workspace_id
CREATE TABLE counters (workspace_id TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
CREATE TRIGGER notes_purge AFTER DELETE ON notes BEGIN
    DELETE FROM audit WHERE what = 'note ' || OLD.id;
END;
CREATE TRIGGER log_spill AFTER INSERT ON log BEGIN
    INSERT INTO audit (workspace_id, what) SELECT workspace_id, NEW.what FROM notes;
END;
CREATE TRIGGER audit_count AFTER INSERT ON audit WHEN (SELECT count(*) FROM counters) > 0 BEGIN
    UPDATE counters SET n = n + 1 WHERE workspace_id = NEW.workspace_id;
END;
";

fn risky() -> Arc<Schema> {
    test_schema(&[RISKY])
}

#[test]
fn a_trigger_that_does_not_scope_by_the_triggering_row_is_refused() {
    refused_in(
        &risky(),
        "DELETE FROM notes WHERE workspace_id = :tenant AND id = :id",
        &[
            "`notes`: trigger `notes_purge` (fired by the delete from `notes`): the delete from `audit` is not \
             constrained to the tenant: add `AND workspace_id = OLD.workspace_id` to the `WHERE` in the trigger \
             (drop and recreate it in a new migration)",
            "`notes`: the delete from `notes` makes SQLite look up `comments` rows of every tenant through the \
             foreign key `comments (note_id) REFERENCES notes (id)`, which does not include the tenant column: make \
             it include the tenant column, `FOREIGN KEY (workspace_id, note_id) REFERENCES notes (workspace_id, \
             id)` (with `UNIQUE (workspace_id, id)` on `notes`), in `comments`",
        ],
    );
    refused_in(
        &risky(),
        "INSERT INTO log (what) VALUES (:what)",
        &["`log`: trigger `log_spill` (fired by the insert into `log`): `notes` is tenant-scoped, but the row that \
           fired the trigger is not a tenant's (a write to a global table, or one not proven scoped): scope the \
           write that fires the trigger, or keep tenant-scoped tables out of triggers on global tables"],
    );
    refused_in(
        &risky(),
        "INSERT INTO audit (workspace_id, what) VALUES (:tenant, :what)",
        &["`audit`: trigger `audit_count` (fired by the insert into `audit`): `counters` is not constrained to the \
           tenant: add `WHERE workspace_id = NEW.workspace_id` in the trigger (drop and recreate it in a new \
           migration)"],
    );
}

#[test]
fn a_foreign_key_without_the_tenant_column_is_refused_when_a_write_uses_it() {
    refused_in(
        &risky(),
        "INSERT INTO comments (workspace_id, note_id, body) VALUES (:tenant, :note, :body)",
        &["`comments`: the insert into `comments` makes SQLite look up `notes` rows of every tenant through the \
           foreign key `comments (note_id) REFERENCES notes (id)`, which does not include the tenant column: make \
           it include the tenant column, `FOREIGN KEY (workspace_id, note_id) REFERENCES notes (workspace_id, id)` \
           (with `UNIQUE (workspace_id, id)` on `notes`), in `comments`"],
    );
    // Changing a comment's text does not use the foreign key.
    let schema = risky();
    let rows = Fixture {
        global: "INSERT INTO log (id, what) VALUES (1, 'x');",
        a: "INSERT INTO notes VALUES (10, 'a', 'a-n'); INSERT INTO comments VALUES (10, 'a', 10, 'a-c'); \
            INSERT INTO audit VALUES (10, 'a', 'a-x'); INSERT INTO kv VALUES ('a-k', 'a', 'a-v'); \
            INSERT INTO counters VALUES ('a', 1);",
        b: "INSERT INTO notes VALUES (1, 'b', 'b-secret-n'); INSERT INTO comments VALUES (1, 'b', 1, 'b-secret-c'); \
            INSERT INTO audit VALUES (1, 'b', 'b-secret-x'); INSERT INTO kv VALUES ('b-secret-k', 'b', 'b-secret-v'); \
            INSERT INTO counters VALUES ('b', 1);",
    };
    accepted_in(
        &schema,
        &rows,
        "UPDATE comments SET body = :body WHERE workspace_id = :tenant AND id = :id",
        Scoping::Scoped,
    );
    accepted_in(&schema, &rows, "UPDATE counters SET n = n + 1 WHERE workspace_id = :tenant", Scoping::Scoped);
}

#[test]
fn a_tables_own_on_conflict_replace_is_refused_unless_every_unique_key_holds_the_tenant() {
    refused_in(
        &risky(),
        "INSERT INTO kv (key, workspace_id, value) VALUES (:key, :tenant, :value)",
        &["`kv`: `kv` declares `ON CONFLICT REPLACE`, so this write may delete a row of another tenant: the unique \
           key `sqlite_autoindex_kv_1` (key) of `kv` does not include the tenant column `workspace_id`: use `ON \
           CONFLICT (workspace_id, …) DO UPDATE` instead, or make every unique key of `kv` include `workspace_id` \
           (and don't set the rowid)"],
    );
}

// ---- failing closed ----

#[test]
fn an_access_sqlite_reports_that_the_analysis_did_not_prove_is_refused() {
    let schema = schema();
    let mut analysis = super::Analysis::new(&schema);
    let text = "SELECT id FROM plans";
    analysis.statement(&crate::sql::parse(text).unwrap(), &super::Place::statement(text));
    assert!(analysis.problems.is_empty());
    // What SQLite would report if `plans` were secretly a view over `notes`.
    let reported = vec![crate::Access {
        action: crate::AccessAction::Read,
        table: Some("notes".to_owned()),
        column: Some("body".to_owned()),
        detail: None,
        accessor: Some("plans".to_owned()),
    }];
    analysis.crosscheck(&reported);
    assert_eq!(
        show(text, &analysis.problems),
        "`-`: SQLite reports that the statement reads tenant-scoped table `notes` (through `plans`), which the \
         tenancy analysis did not prove constrained to the tenant: rewrite the statement with the forms \
         orion-sql-check's README lists (each tenant table read directly, constrained with `= :tenant`), or opt \
         out with a reason; this may be a gap in the analysis, so please report it"
    );
}

#[test]
fn storage_tables_are_refused() {
    refused(
        "SELECT name, payload FROM dbstat",
        &["`-`: `dbstat` shows the database's storage, every tenant's rows included: read tenant-scoped tables \
           directly, constrained to the tenant; keep storage statistics to maintenance tools"],
    );
}

// ---- the canary harness itself ----

#[test]
fn the_canary_harness_catches_statements_that_reach_the_other_tenant() {
    let schema = schema();
    let fixture = Fixture { global: GLOBAL_ROWS, a: A_ROWS, b: B_ROWS };
    for (leaky, how) in [
        ("SELECT body FROM notes WHERE workspace_id = :tenant OR slug = :slug", "returned `b-secret-body-2`"),
        ("SELECT count(*) FROM comments", "answers differently when tenant `b` has rows"),
        (
            "SELECT EXISTS (SELECT 1 FROM tags WHERE name = :name AND workspace_id != :tenant) AS found",
            "answers differently",
        ),
        ("UPDATE notes SET body = 'x' WHERE slug = :slug", "wrote a row of tenant `b`"),
        ("DELETE FROM tags WHERE name = :name", "wrote a row of tenant `b`"),
        ("INSERT OR REPLACE INTO notes (id, workspace_id, slug, body) VALUES (:id, :tenant, 'x', 'y')", "wrote a row"),
    ] {
        let leak = canary::isolated(&schema, &fixture, leaky).expect_err(leaky);
        assert!(leak.contains(how), "{leaky}: {leak}");
    }
}
