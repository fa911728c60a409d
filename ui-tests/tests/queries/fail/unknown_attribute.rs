orion::queries! {
    #[tenant_scope]
    pub fn all() -> many i64 = "SELECT id FROM notes WHERE workspace_id = :tenant";
}

fn main() {}
