// In a self-join each alias is its own occurrence of the table: the predicate on `parent`
// does not constrain `child`, which may be another tenant's note.
orion::queries! {
    #[tenant_scoped]
    pub fn children(id) -> many String = "
        SELECT child.body
        FROM notes AS parent
        JOIN notes AS child ON child.parent_id = parent.id
        WHERE parent.id = :id AND parent.workspace_id = :tenant";
}

fn main() {}
