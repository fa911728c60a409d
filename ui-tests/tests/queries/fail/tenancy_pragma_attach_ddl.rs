// Statements that are not queries or writes cannot be proven scoped (`PRAGMA` on a tenant
// table, `ATTACH` another database, DDL on a tenant table): a named query is one `SELECT`,
// `INSERT`, `UPDATE` or `DELETE`, and each says where such a statement belongs instead.
orion::queries! {
    #[tenant_scoped]
    pub fn info() -> count = "PRAGMA table_info(notes)";

    #[tenant_scoped]
    pub fn attach() -> count = "ATTACH DATABASE 'other.db' AS other";

    #[tenant_scoped]
    pub fn drop() -> count = "DROP TABLE notes";

    #[tenant_scoped]
    pub fn alter() -> count = "ALTER TABLE notes ADD COLUMN secret TEXT";

    #[tenant_scoped]
    pub fn index() -> count = "CREATE INDEX notes_by_body ON notes (body)";
}

fn main() {}
