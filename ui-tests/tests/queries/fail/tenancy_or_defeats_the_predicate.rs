// An `OR` defeats the predicate: `workspace_id = :tenant OR …` holds for rows of every tenant.
// Only a conjunct joined with `AND` at the top of the `WHERE` counts.
orion::queries! {
    #[tenant_scoped]
    pub fn search(body) -> many i64 = "SELECT id FROM notes WHERE workspace_id = :tenant OR body = :body";

    #[tenant_scoped]
    pub fn open() -> many i64 = "SELECT id FROM notes WHERE done = 0 AND (workspace_id = :tenant OR parent_id IS NULL)";
}

fn main() {}
