// An opt-out with a reason compiles: the query is not checked for tenancy, takes the plain
// store (which binds no tenant), and reaches every tenant's rows — which is what a cross-tenant
// report or a retention job is for. The reason is in the function's docs, and greppable.
use orion::tenant::{Tenancy, TenantKey};
use orion::{Bus, Store};

orion::queries! {
    /// Notes per workspace, for the admin dashboard.
    #[unscoped(reason = "the admin dashboard counts every workspace's notes")]
    pub fn notes_per_workspace() -> many (String, i64) =
        "SELECT workspace_id, count(*) FROM notes GROUP BY workspace_id ORDER BY workspace_id";

    /// Deletes the done notes of every workspace.
    #[unscoped(reason = "the retention job purges done notes in every workspace at once")]
    pub fn purge_done() -> count = "DELETE FROM notes WHERE done = 1";
}

orion::queries! {
    #![tenant_scoped]

    pub fn add_note(body, done) -> count =
        "INSERT INTO notes (workspace_id, body, done) VALUES (:tenant, :body, :done)";

    pub fn bodies() -> many String = "SELECT body FROM notes WHERE workspace_id = :tenant ORDER BY id";
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-tenancy-unscoped-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;
    let tenancy = Tenancy::shared(&store)?;
    let a = tenancy.create(&TenantKey::parse("a")?)?;
    let b = tenancy.create(&TenantKey::parse("b")?)?;
    a.transaction(|tx| {
        add_note(tx, "a open", false)?;
        add_note(tx, "a done", true)
    })?;
    b.transaction(|tx| {
        add_note(tx, "b open", false)?;
        add_note(tx, "b done", true)?;
        add_note(tx, "b done too", true)
    })?;

    assert_eq!(notes_per_workspace(&store)?, [("a".to_owned(), 2), ("b".to_owned(), 3)]);
    assert_eq!(store.transaction(purge_done)?, 3);
    assert_eq!(notes_per_workspace(&store)?, [("a".to_owned(), 1), ("b".to_owned(), 1)]);
    assert_eq!(bodies(&a)?, ["a open"]);
    assert_eq!(bodies(&b)?, ["b open"]);

    tenancy.close()?;
    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
