// `REPLACE` deletes the rows a write collides with on any unique key: setting `id`, whose key
// has no tenant column, may delete another tenant's note.
orion::queries! {
    #[tenant_scoped]
    pub fn put(id, body) -> count = "REPLACE INTO notes (id, workspace_id, body) VALUES (:id, :tenant, :body)";

    #[tenant_scoped]
    pub fn put_too(id, body) -> count =
        "INSERT OR REPLACE INTO notes (id, workspace_id, body) VALUES (:id, :tenant, :body)";
}

fn main() {}
