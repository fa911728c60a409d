// A query on a tenant-scoped table must say how it is scoped: without `#[tenant_scoped]` (or an
// opt-out) it takes the plain store, which binds no tenant — refused, predicate or not. The
// table's helpers too.
pub struct Note {
    pub id: i64,
    pub body: String,
    pub done: bool,
    pub parent_id: Option<i64>,
}

orion::queries! {
    pub fn bodies() -> many String = "SELECT body FROM notes ORDER BY id";

    pub fn mine() -> many String = "SELECT body FROM notes WHERE workspace_id = :tenant";

    table notes -> Note;
}

fn main() {}
