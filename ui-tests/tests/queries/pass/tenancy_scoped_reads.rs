// Scoped joins, a self-join, a LEFT JOIN, subqueries (in `FROM`, `EXISTS`, `IN`, scalar), a
// common table expression, a compound `SELECT`, a keyed view, and writes with a scoped
// subquery or source compile — and run as tenant `a` on one shared database holding two
// tenants' rows, each reading and changing `a`'s rows only.
use orion::tenant::{Tenancy, TenantKey, TenantStore};
use orion::{Bus, Store};

orion::queries! {
    #![tenant_scoped]

    pub fn add_note(body, parent_id) -> one i64 =
        "INSERT INTO notes (workspace_id, body, parent_id) VALUES (:tenant, :body, :parent_id) RETURNING id";

    pub fn add_comment(note_id, body) -> count =
        "INSERT INTO comments (workspace_id, note_id, body) VALUES (:tenant, :note_id, :body)";

    /// A join: each side constrained (the joined one in its `ON`).
    pub fn commented() -> many (String, String) = "
        SELECT n.body, c.body FROM notes AS n
        JOIN comments AS c ON c.note_id = n.id AND c.workspace_id = :tenant
        WHERE n.workspace_id = :tenant ORDER BY c.id";

    /// A self-join: each alias constrained.
    pub fn children() -> many (String, String) = "
        SELECT parent.body, child.body FROM notes AS parent
        JOIN notes AS child ON child.parent_id = parent.id AND child.workspace_id = :tenant
        WHERE parent.workspace_id = :tenant ORDER BY child.id";

    /// A LEFT JOIN: its right side constrained in its `ON`, its left side in the `WHERE`.
    pub fn with_counts() -> many (String, i64) = "
        SELECT n.body, count(c.id) FROM notes AS n
        LEFT JOIN comments AS c ON c.note_id = n.id AND c.workspace_id = :tenant
        WHERE n.workspace_id = :tenant GROUP BY n.id, n.body ORDER BY n.id";

    /// A subquery in `FROM`, constrained inside.
    pub fn from_subquery() -> many String =
        "SELECT s.body FROM (SELECT id, body FROM notes WHERE workspace_id = :tenant) AS s ORDER BY s.id";

    /// `EXISTS`, constrained inside.
    pub fn with_comments() -> many String = "
        SELECT n.body FROM notes AS n WHERE n.workspace_id = :tenant
        AND EXISTS (SELECT 1 FROM comments AS c WHERE c.note_id = n.id AND c.workspace_id = :tenant)";

    /// `IN`, constrained inside.
    pub fn commented_bodies() -> many String = "
        SELECT body FROM notes WHERE workspace_id = :tenant
        AND id IN (SELECT note_id FROM comments WHERE workspace_id = :tenant) ORDER BY id";

    /// A scalar subquery, constrained inside (and read by position: no alias needed).
    pub fn comment_counts() -> many (String, i64) = "
        SELECT n.body, (SELECT count(*) FROM comments AS c WHERE c.note_id = n.id AND c.workspace_id = :tenant)
        FROM notes AS n WHERE n.workspace_id = :tenant ORDER BY n.id";

    /// A common table expression, constrained where it is defined.
    pub fn tops() -> many String = "
        WITH top AS (SELECT id, body FROM notes WHERE workspace_id = :tenant AND parent_id IS NULL)
        SELECT body FROM top ORDER BY id";

    /// A compound `SELECT`: every branch constrained.
    pub fn texts() -> many String = "
        SELECT body FROM notes WHERE workspace_id = :tenant
        UNION ALL
        SELECT body FROM comments WHERE workspace_id = :tenant
        ORDER BY 1";

    /// A keyed view (`open_notes` keeps the tenant column), constrained like its table.
    pub fn open() -> many String = "SELECT body FROM open_notes WHERE workspace_id = :tenant ORDER BY id";

    /// An update whose `IN` subquery is constrained too.
    pub fn finish_commented() -> count = "
        UPDATE notes SET done = 1 WHERE workspace_id = :tenant
        AND id IN (SELECT note_id FROM comments WHERE workspace_id = :tenant)";

    /// `INSERT … SELECT`: the tenant column copied from a constrained source.
    pub fn copy_tops() -> count = "
        INSERT INTO comments (workspace_id, note_id, body)
        SELECT n.workspace_id, n.id, 'copy of ' || n.body FROM notes AS n
        WHERE n.workspace_id = :tenant AND n.parent_id IS NULL";
}

orion::queries! {
    /// Tenant `b`'s rows, to show that `a`'s queries leave them alone.
    #[unscoped(reason = "the test reads tenant `b`'s rows as they are, whoever runs it")]
    pub fn rows_of_b() -> many (String, i64) = "
        SELECT body, done FROM notes WHERE workspace_id = 'b'
        UNION ALL
        SELECT body, 0 FROM comments WHERE workspace_id = 'b'";
}

/// The same notes and comments in both tenants, each text naming its tenant.
fn fill(tenant: &TenantStore) -> orion::Result<()> {
    let key = tenant.key().as_str().to_owned();
    tenant.transaction(move |tx| {
        let top = add_note(tx, &format!("{key} top"), None)?;
        add_note(tx, &format!("{key} child"), Some(top))?;
        add_comment(tx, top, &format!("{key} comment"))?;
        Ok(())
    })
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-tenancy-reads-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;
    let tenancy = Tenancy::shared(&store)?;
    let a = tenancy.create(&TenantKey::parse("a")?)?;
    let b = tenancy.create(&TenantKey::parse("b")?)?;
    fill(&b)?;
    fill(&a)?;
    let before = rows_of_b(&store)?;
    assert_eq!(before.len(), 3);

    let s = |text: &str| text.to_owned();
    assert_eq!(commented(&a)?, [(s("a top"), s("a comment"))]);
    assert_eq!(children(&a)?, [(s("a top"), s("a child"))]);
    assert_eq!(with_counts(&a)?, [(s("a top"), 1), (s("a child"), 0)]);
    assert_eq!(from_subquery(&a)?, ["a top", "a child"]);
    assert_eq!(with_comments(&a)?, ["a top"]);
    assert_eq!(commented_bodies(&a)?, ["a top"]);
    assert_eq!(comment_counts(&a)?, [(s("a top"), 1), (s("a child"), 0)]);
    assert_eq!(tops(&a)?, ["a top"]);
    assert_eq!(texts(&a)?, ["a child", "a comment", "a top"]);
    assert_eq!(open(&a)?, ["a top", "a child"]);
    // Reads see the same inside a write transaction, through the tenant's `TenantTx`.
    assert_eq!(a.transaction(|tx| tops(tx))?, ["a top"]);

    assert_eq!(a.transaction(finish_commented)?, 1);
    assert_eq!(open(&a)?, ["a child"]);
    assert_eq!(a.transaction(copy_tops)?, 1);
    assert_eq!(texts(&a)?, ["a child", "a comment", "a top", "copy of a top"]);

    // Tenant `b`'s rows are as they were, and `b` sees its own.
    assert_eq!(rows_of_b(&store)?, before);
    assert_eq!(open(&b)?, ["b top", "b child"]);
    assert_eq!(texts(&b)?, ["b child", "b comment", "b top"]);

    tenancy.close()?;
    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
