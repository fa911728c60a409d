// An insert that writes a literal (or any other value) into the tenant column writes into
// another tenant: only `:tenant`, bound by the tenant store, is the tenant.
orion::queries! {
    #[tenant_scoped]
    pub fn add(body) -> one i64 = "INSERT INTO notes (workspace_id, body) VALUES ('b', :body) RETURNING id";

    #[tenant_scoped]
    pub fn add_for(workspace, body) -> count =
        "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body), (:workspace, :body)";
}

fn main() {}
