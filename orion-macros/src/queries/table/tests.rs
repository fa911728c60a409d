//! The SQL each table helper is written as.

use orion_sql_check::{Migration, Schema};

use super::{Returns, helpers};

fn schema(sql: &str) -> std::sync::Arc<Schema> {
    let migration = Migration { name: "20260101000000_m.sql".to_owned(), path: None, sql: sql.to_owned() };
    Schema::from_migrations(vec![migration]).unwrap()
}

fn check(sql: &str, table: &str, expect: &[&str]) {
    let schema = schema(sql);
    let helpers = helpers(schema.table(table).unwrap(), schema.tenant_column(table)).unwrap();
    let shown: Vec<String> =
        helpers.iter().map(|h| format!("{}({}) {:?}: {}", h.name, h.params.join(", "), h.returns, h.sql)).collect();
    assert_eq!(shown, expect);
    let _ = Returns::Many;
}

#[test]
fn a_tenant_table_is_constrained_to_the_tenant_in_every_helper() {
    check(
        "-- orion: tenant notes.workspace_id
         CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL,
                             done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))) STRICT;",
        "notes",
        &[
            "all() Many: SELECT id, body, done FROM notes WHERE workspace_id = :tenant ORDER BY id",
            "get(id) Optional: SELECT id, body, done FROM notes WHERE id = :id AND workspace_id = :tenant",
            "insert(body) Key: INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body) RETURNING id",
            "update(id, body, done) Count: UPDATE notes SET body = :body, done = :done WHERE id = :id AND workspace_id = :tenant",
            "delete(id) Count: DELETE FROM notes WHERE id = :id AND workspace_id = :tenant",
        ],
    );
}

#[test]
fn a_global_table_has_no_predicate_and_odd_names_are_quoted() {
    check(
        "CREATE TABLE \"Tags\" (name TEXT PRIMARY KEY NOT NULL, \"order\" INTEGER NOT NULL, note TEXT) STRICT, WITHOUT ROWID;",
        "Tags",
        &[
            "all() Many: SELECT name, \"order\", note FROM \"Tags\" ORDER BY name",
            "get(name) Optional: SELECT name, \"order\", note FROM \"Tags\" WHERE name = :name",
            "insert(name, order, note) Count: INSERT INTO \"Tags\" (name, \"order\", note) VALUES (:name, :order, :note)",
            "update(name, order, note) Count: UPDATE \"Tags\" SET \"order\" = :order, note = :note WHERE name = :name",
            "delete(name) Count: DELETE FROM \"Tags\" WHERE name = :name",
        ],
    );
}

#[test]
fn a_table_without_a_primary_key_has_no_helpers() {
    let schema = schema("CREATE TABLE log (line TEXT) STRICT;");
    let error = helpers(schema.table("log").unwrap(), None).unwrap_err();
    assert!(error.starts_with("table `log` has no primary key"), "{error}");
}
