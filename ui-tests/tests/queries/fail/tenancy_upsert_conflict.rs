// `ON CONFLICT … DO UPDATE` updates the existing row the insert collides with: on a key without
// the tenant column (`id`), that row may be another tenant's.
orion::queries! {
    #[tenant_scoped]
    pub fn save(id, body) -> count = "
        INSERT INTO notes (id, workspace_id, body) VALUES (:id, :tenant, :body)
        ON CONFLICT (id) DO UPDATE SET body = excluded.body";
}

fn main() {}
