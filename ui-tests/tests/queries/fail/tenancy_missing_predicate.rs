// `#[tenant_scoped]` is a claim the checker proves: a read, an update or a delete of a
// tenant-scoped table without `workspace_id = :tenant` does not compile.
orion::queries! {
    #[tenant_scoped]
    pub fn bodies() -> many String = "SELECT body FROM notes ORDER BY id";

    #[tenant_scoped]
    pub fn get(id) -> optional String = "SELECT body FROM notes WHERE id = :id";

    #[tenant_scoped]
    pub fn finish(id) -> count = "UPDATE notes SET done = 1 WHERE id = :id";

    #[tenant_scoped]
    pub fn remove(id) -> count = "DELETE FROM notes WHERE id = :id";
}

fn main() {}
