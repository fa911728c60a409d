// Scoped upserts compile — a conflict target that holds the tenant column, a `DO UPDATE`
// filtered to the tenant, `DO NOTHING`, and `REPLACE` where every unique key holds the tenant
// column — and run as tenant `a` on one shared database holding two tenants' rows: the row a
// conflict updates or replaces is always `a`'s, and `b`'s rows never change.
use orion::tenant::{Tenancy, TenantKey};
use orion::{Bus, Store};

orion::queries! {
    #![tenant_scoped]

    /// The conflict target `(workspace_id, key)` holds the tenant column: the row it finds has
    /// the inserted row's tenant.
    pub fn set(key, value) -> count = "
        INSERT INTO settings (workspace_id, key, value) VALUES (:tenant, :key, :value)
        ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value";

    /// Any conflict, but the update is filtered to the tenant's row.
    pub fn set_if_mine(key, value) -> count = "
        INSERT INTO settings (workspace_id, key, value) VALUES (:tenant, :key, :value)
        ON CONFLICT DO UPDATE SET value = excluded.value WHERE settings.workspace_id = :tenant";

    /// A conflict changes nothing.
    pub fn set_default(key, value) -> count = "
        INSERT INTO settings (workspace_id, key, value) VALUES (:tenant, :key, :value) ON CONFLICT DO NOTHING";

    /// `REPLACE`: every unique key of `settings` holds the tenant column.
    pub fn replace(key, value) -> count =
        "REPLACE INTO settings (workspace_id, key, value) VALUES (:tenant, :key, :value)";

    pub fn get(key) -> optional String = "SELECT value FROM settings WHERE workspace_id = :tenant AND key = :key";

    pub fn add_note(body) -> one i64 = "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body) RETURNING id";

    /// A conflict on `id` (another tenant's note, perhaps) updates only the tenant's own row:
    /// otherwise nothing is written, and nothing returned.
    pub fn save_note(id, body) -> optional i64 = "
        INSERT INTO notes (id, workspace_id, body) VALUES (:id, :tenant, :body)
        ON CONFLICT (id) DO UPDATE SET body = excluded.body WHERE notes.workspace_id = :tenant
        RETURNING id";

    pub fn note(id) -> optional String = "SELECT body FROM notes WHERE workspace_id = :tenant AND id = :id";
}

orion::queries! {
    /// Tenant `b`'s settings, to show that `a`'s upserts leave them alone.
    #[unscoped(reason = "the test reads tenant `b`'s rows as they are, whoever runs it")]
    pub fn settings_of_b() -> many (String, String) =
        "SELECT key, value FROM settings WHERE workspace_id = 'b' ORDER BY key";
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-tenancy-upsert-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;
    let tenancy = Tenancy::shared(&store)?;
    let a = tenancy.create(&TenantKey::parse("a")?)?;
    let b = tenancy.create(&TenantKey::parse("b")?)?;
    let b_note = b.transaction(|tx| {
        for key in ["theme", "lang", "tz"] {
            set(tx, key, &format!("b {key}"))?;
        }
        add_note(tx, "b secret")
    })?;
    let before = settings_of_b(&store)?;

    assert_eq!(a.transaction(|tx| set(tx, "theme", "light"))?, 1);
    assert_eq!(a.transaction(|tx| set(tx, "theme", "dark"))?, 1);
    assert_eq!(get(&a, "theme")?.as_deref(), Some("dark"));
    assert_eq!(a.transaction(|tx| set_if_mine(tx, "lang", "en"))?, 1);
    assert_eq!(a.transaction(|tx| set_if_mine(tx, "lang", "fr"))?, 1);
    assert_eq!(get(&a, "lang")?.as_deref(), Some("fr"));
    assert_eq!(a.transaction(|tx| set_default(tx, "lang", "de"))?, 0);
    assert_eq!(get(&a, "lang")?.as_deref(), Some("fr"));
    a.transaction(|tx| replace(tx, "tz", "UTC"))?;
    a.transaction(|tx| replace(tx, "tz", "CET"))?;
    assert_eq!(get(&a, "tz")?.as_deref(), Some("CET"));

    // `b`'s note id, sent by `a`: the conflict path finds `b`'s row and leaves it alone.
    assert_eq!(a.transaction(move |tx| save_note(tx, b_note, "stolen"))?, None);
    assert_eq!(note(&b, b_note)?.as_deref(), Some("b secret"));
    assert_eq!(note(&a, b_note)?, None);
    let mine = a.transaction(|tx| add_note(tx, "a draft"))?;
    assert_eq!(a.transaction(move |tx| save_note(tx, mine, "a final"))?, Some(mine));
    assert_eq!(note(&a, mine)?.as_deref(), Some("a final"));

    // Tenant `b`'s settings are as they were.
    assert_eq!(settings_of_b(&store)?, before);
    assert_eq!(get(&b, "theme")?.as_deref(), Some("b theme"));

    tenancy.close()?;
    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
