// Every branch of a compound `SELECT` is its own query: a scoped first branch does not scope
// the others.
orion::queries! {
    #[tenant_scoped]
    pub fn texts() -> many String = "
        SELECT body FROM notes WHERE workspace_id = :tenant
        UNION ALL
        SELECT body FROM comments";
}

fn main() {}
