// The scope attributes must match what the query does: `:tenant` is bound only by a tenant
// store, an opt-out needs a tenant table to opt out of, `#[tenant_scoped]` needs one to scope,
// the two attributes contradict each other, and the tenant is never an argument.
orion::queries! {
    #[unscoped(reason = "admin view")]
    pub fn mine() -> many String = "SELECT body FROM notes WHERE workspace_id = :tenant";

    #[unscoped(reason = "plans are global")]
    pub fn plans() -> many String = "SELECT name FROM plans";

    #[tenant_scoped]
    pub fn todos() -> many String = "SELECT title FROM todos";

    #[tenant_scoped]
    #[unscoped(reason = "both")]
    pub fn both() -> many String = "SELECT body FROM notes WHERE workspace_id = :tenant";

    #[tenant_scoped]
    pub fn by(tenant) -> many String = "SELECT body FROM notes WHERE workspace_id = :tenant";

    pub fn global() -> many String = "SELECT title FROM todos WHERE title = :tenant";

    #[unscoped(reason = "helpers")]
    table comments -> struct Comment;

    #[tenant_scoped]
    table plans -> struct Plan;
}

fn main() {}
