// The fixture holds two features' migrations; the order is global, by file name (timestamp).
// `CARGO_MANIFEST_DIR` is trybuild's `target/tests/trybuild/ui-tests/`: see
// `../fail/misnamed_file.rs`.
const MIGRATIONS: &[orion::store::Migration] =
    orion::migrations!("../../../../ui-tests/tests/migrations/fixtures/ordered");

fn main() {
    let names: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
    assert_eq!(
        names,
        [
            "20261120090000_create_users.sql",
            "20261121120000_create_todos.sql"
        ]
    );
    assert!(MIGRATIONS[1].sql.starts_with("CREATE TABLE todos"));
}
