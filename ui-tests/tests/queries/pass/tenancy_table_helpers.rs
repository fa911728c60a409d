// The helpers of tenant-scoped tables (`all`, `get`, `insert`, `update`, `delete`) constrain
// every row to the tenant themselves, and run in shared-db mode: as tenant `a`, on one database
// holding two tenants' rows, they read and change `a`'s rows only — `b`'s ids, sent by `a`,
// match nothing.
use orion::tenant::{Tenancy, TenantKey, TenantStore};
use orion::{Bus, Store};

/// The user's struct, filled by field name (the tenant column is not read: it is the tenant).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub body: String,
    pub done: bool,
    pub parent_id: Option<i64>,
}

orion::queries! {
    #![tenant_scoped]

    /// `notes::all(db)`, `get(db, id)`, `insert(tx, body, parent_id)`, `update(tx, id, body,
    /// done, parent_id)`, `delete(tx, id)`.
    table notes -> Note;

    /// A struct the macro writes; the key is the tenant column and `key`.
    table settings -> struct Setting;

    /// Deleting a note cascades to its comments (by a foreign key that holds the tenant column).
    table comments -> struct Comment;
}

/// The same rows in both tenants; returns the ids of the note and the comment.
fn fill(tenant: &TenantStore) -> orion::Result<(i64, i64)> {
    let key = tenant.key().as_str().to_owned();
    tenant.transaction(move |tx| {
        let note = notes::insert(tx, &format!("{key} note"), None)?;
        let comment = comments::insert(tx, note, &format!("{key} comment"))?;
        assert_eq!(settings::insert(tx, "theme", &format!("{key} theme"))?, 1);
        Ok((note, comment))
    })
}

orion::queries! {
    /// Tenant `b`'s rows, to show that `a`'s helpers leave them alone.
    #[unscoped(reason = "the test reads tenant `b`'s rows as they are, whoever runs it")]
    pub fn rows_of_b() -> many (String, String) = "
        SELECT 'note', body FROM notes WHERE workspace_id = 'b'
        UNION ALL SELECT 'comment', body FROM comments WHERE workspace_id = 'b'
        UNION ALL SELECT key, value FROM settings WHERE workspace_id = 'b'";
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-tenancy-helpers-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;
    let tenancy = Tenancy::shared(&store)?;
    let a = tenancy.create(&TenantKey::parse("a")?)?;
    let b = tenancy.create(&TenantKey::parse("b")?)?;
    let (b_note, b_comment) = fill(&b)?;
    let (a_note, a_comment) = fill(&a)?;
    let before = rows_of_b(&store)?;
    assert_eq!(before.len(), 3);

    // all and get see `a`'s rows only.
    let note = Note { id: a_note, body: "a note".into(), done: false, parent_id: None };
    assert_eq!(notes::all(&a)?, [note.clone()]);
    assert_eq!(notes::get(&a, a_note)?, Some(note));
    assert_eq!(notes::get(&a, b_note)?, None);
    assert_eq!(comments::get(&a, b_comment)?, None);
    assert_eq!(settings::all(&a)?, [Setting { key: "theme".into(), value: "a theme".into() }]);
    assert_eq!(settings::get(&a, "theme")?.map(|s| s.value).as_deref(), Some("a theme"));

    // update and delete change `a`'s rows only: `b`'s ids match nothing.
    assert_eq!(a.transaction(move |tx| notes::update(tx, b_note, "taken", true, None))?, 0);
    assert_eq!(a.transaction(move |tx| comments::update(tx, b_comment, a_note, "moved"))?, 0);
    assert_eq!(a.transaction(move |tx| comments::delete(tx, b_comment))?, 0);
    assert_eq!(a.transaction(move |tx| notes::delete(tx, b_note))?, 0);
    assert_eq!(a.transaction(move |tx| notes::update(tx, a_note, "a note, done", true, None))?, 1);
    assert_eq!(notes::get(&a, a_note)?.map(|n| (n.body, n.done)), Some(("a note, done".into(), true)));
    assert_eq!(a.transaction(|tx| settings::update(tx, "theme", "dark"))?, 1);
    assert_eq!(settings::get(&a, "theme")?.map(|s| s.value).as_deref(), Some("dark"));
    assert_eq!(a.transaction(|tx| settings::delete(tx, "theme"))?, 1);
    assert_eq!(comments::all(&a)?.iter().map(|c| c.id).collect::<Vec<_>>(), [a_comment]);
    assert_eq!(a.transaction(move |tx| notes::delete(tx, a_note))?, 1);
    assert_eq!((notes::all(&a)?, comments::all(&a)?, settings::all(&a)?), (vec![], vec![], vec![]));

    // Tenant `b`'s rows are as they were, and `b` sees its own.
    assert_eq!(rows_of_b(&store)?, before);
    assert_eq!(notes::all(&b)?.len(), 1);
    assert_eq!(comments::get(&b, b_comment)?.map(|c| c.body).as_deref(), Some("b comment"));
    assert_eq!(settings::get(&b, "theme")?.map(|s| s.value).as_deref(), Some("b theme"));

    tenancy.close()?;
    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
