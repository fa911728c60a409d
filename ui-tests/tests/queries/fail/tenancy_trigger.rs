// A scoped write can still reach other tenants' rows through a trigger it fires: deleting a
// label fires `labels_cleanup` (ui-tests/src/queries/migrations/), whose `DELETE FROM notes`
// forgets the triggering row's tenant.
orion::queries! {
    #[tenant_scoped]
    pub fn remove(id) -> count = "DELETE FROM labels WHERE id = :id AND workspace_id = :tenant";
}

fn main() {}
