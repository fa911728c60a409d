// `INSERT … SELECT` reads its source like any query, and the tenant column it writes must be
// the tenant: an unscoped source, or another column as the tenant, is refused.
orion::queries! {
    #[tenant_scoped]
    pub fn copy_all() -> count =
        "INSERT INTO comments (workspace_id, note_id, body) SELECT :tenant, id, body FROM notes";

    #[tenant_scoped]
    pub fn copy_as() -> count = "
        INSERT INTO comments (workspace_id, note_id, body)
        SELECT n.body, n.id, n.body FROM notes AS n WHERE n.workspace_id = :tenant";
}

fn main() {}
