// A view over a tenant-scoped table is scoped by its tenant column, from the query: a keyed
// view without the predicate is refused, and so is a view that drops the tenant column (no
// predicate can scope it).
orion::queries! {
    #[tenant_scoped]
    pub fn open() -> many String = "SELECT body FROM open_notes";

    #[tenant_scoped]
    pub fn bodies() -> many String = "SELECT body FROM note_bodies WHERE id > 0";
}

fn main() {}
