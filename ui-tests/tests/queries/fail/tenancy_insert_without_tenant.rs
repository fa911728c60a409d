// An insert into a tenant-scoped table must set its tenant column to the tenant: a row
// without it belongs to no tenant (or fails `NOT NULL` at run time).
orion::queries! {
    #[tenant_scoped]
    pub fn add(body) -> one i64 = "INSERT INTO notes (body) VALUES (:body) RETURNING id";
}

fn main() {}
