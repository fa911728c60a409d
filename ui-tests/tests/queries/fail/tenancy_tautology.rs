// A predicate that holds for every tenant is no predicate: `col = col`, `col IS NOT NULL`, and
// `col IN (:tenant, :other)` each let other tenants' rows through.
orion::queries! {
    #[tenant_scoped]
    pub fn itself() -> many String = "SELECT body FROM notes WHERE workspace_id = workspace_id AND :tenant = :tenant";

    #[tenant_scoped]
    pub fn not_null() -> many String = "SELECT body FROM notes WHERE workspace_id IS NOT NULL AND :tenant IS NOT NULL";

    #[tenant_scoped]
    pub fn either(other) -> many String = "SELECT body FROM notes WHERE workspace_id IN (:tenant, :other)";
}

fn main() {}
