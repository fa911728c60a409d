// A common table expression is scoped where it is defined: the predicate on its use does not
// reach the rows it read.
orion::queries! {
    #[tenant_scoped]
    pub fn open() -> many String = "
        WITH everything AS (SELECT workspace_id, body, done FROM notes)
        SELECT body FROM everything WHERE workspace_id = :tenant AND done = 0";
}

fn main() {}
