// Global tables (no `-- orion: tenant` declaration) need no attribute: their queries take the
// plain store, next to tenants. A tenant-scoped query may read a global table beside its tenant
// tables: here every plan, with how many of tenant `a`'s notes name it, on one shared database
// holding two tenants' rows.
use orion::tenant::{Tenancy, TenantKey};
use orion::{Bus, Store};

orion::queries! {
    pub fn add_plan(name) -> one i64 = "INSERT INTO plans (name) VALUES (:name) RETURNING id";

    pub fn plans() -> many String = "SELECT name FROM plans ORDER BY id";

    pub fn rename_plan(id, name) -> count = "UPDATE plans SET name = :name WHERE id = :id";
}

orion::queries! {
    #![tenant_scoped]

    pub fn add_note(body) -> count = "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)";

    /// The global table keeps every row (it is the left side); the tenant's notes are
    /// constrained in the `ON` that joins them.
    pub fn plan_mentions() -> many (String, i64) = "
        SELECT p.name, count(n.id) FROM plans AS p
        LEFT JOIN notes AS n ON n.body = p.name AND n.workspace_id = :tenant
        GROUP BY p.id, p.name ORDER BY p.id";
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-tenancy-global-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;
    let tenancy = Tenancy::shared(&store)?;
    let a = tenancy.create(&TenantKey::parse("a")?)?;
    let b = tenancy.create(&TenantKey::parse("b")?)?;

    let free = store.transaction(|tx| add_plan(tx, "free"))?;
    store.transaction(|tx| add_plan(tx, "pro"))?;
    assert_eq!(plans(&store)?, ["free", "pro"]);
    b.transaction(|tx| {
        add_note(tx, "pro")?;
        add_note(tx, "pro")?;
        add_note(tx, "free")
    })?;
    a.transaction(|tx| add_note(tx, "pro"))?;

    let s = |text: &str| text.to_owned();
    assert_eq!(plan_mentions(&a)?, [(s("free"), 0), (s("pro"), 1)]);
    assert_eq!(plan_mentions(&b)?, [(s("free"), 1), (s("pro"), 2)]);
    // A global write is the app's, through the plain store; every tenant sees it.
    assert_eq!(store.transaction(move |tx| rename_plan(tx, free, "starter"))?, 1);
    assert_eq!(plans(&store)?, ["starter", "pro"]);
    assert_eq!(plan_mentions(&a)?, [(s("starter"), 0), (s("pro"), 1)]);

    tenancy.close()?;
    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
