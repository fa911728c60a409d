// An update that sets the tenant column to anything but the tenant moves the row to another
// tenant: refused, even when the `WHERE` is scoped.
orion::queries! {
    #[tenant_scoped]
    pub fn give_away(id, to) -> count =
        "UPDATE notes SET workspace_id = :to WHERE id = :id AND workspace_id = :tenant";
}

fn main() {}
