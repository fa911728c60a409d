// Every variant — many, one, optional, count and RETURNING — and every row type — the user's
// struct, a struct the macro writes, a column type, a tuple — run against a real store built
// from the same migrations the queries were checked against.
use orion::Bus;
use orion::store::Store;

/// The user's struct, filled by field name.
#[derive(Debug, PartialEq)]
pub struct Todo {
    pub id: i64,
    pub title: String,
    pub done: bool,
}

orion::queries! {
    /// many, into the user's struct.
    pub fn all() -> many Todo = "SELECT id, title, done FROM todos ORDER BY id";

    /// optional, into a struct the macro writes (nullable columns are `Option`s).
    pub fn get(id) -> optional struct Details = "SELECT id, title, due, score, data FROM todos WHERE id = :id";

    /// one, into the same struct.
    pub fn first() -> one Details = "SELECT id, title, due, score, data FROM todos ORDER BY id LIMIT 1";

    /// one, a column type.
    pub fn total() -> one i64 = "SELECT count(*) FROM todos";

    /// one, a tuple.
    pub fn counts() -> one (i64, i64) =
        "SELECT count(*) FILTER (WHERE done = 0), count(*) FILTER (WHERE done = 1) FROM todos";

    /// RETURNING, one row; `due` is a nullable column, so its argument is an `Option`.
    pub fn insert(title, due) -> one i64 = "INSERT INTO todos (title, due) VALUES (:title, :due) RETURNING id";

    /// RETURNING, every row.
    pub fn finish_all() -> many (i64, bool) = "UPDATE todos SET done = 1 RETURNING id, done";

    /// RETURNING, one row or none.
    pub fn remove(id) -> optional String = "DELETE FROM todos WHERE id = :id RETURNING title";

    /// count; the arguments in the order listed, not the order in the SQL.
    pub fn rename(id, title) -> count = "UPDATE todos SET title = :title WHERE id = :id";

    /// Blobs and reals as arguments.
    pub fn set_data(id, data, score) -> count = "UPDATE todos SET data = :data, score = :score WHERE id = :id";

    /// An annotated column: `meta` has no declared type.
    pub fn metas() -> many Option<i64> = "SELECT meta AS \"meta: i64\" FROM todos ORDER BY id";

    /// A parameter typed by a cast.
    pub fn longer_than(n) -> many String = "SELECT title FROM todos WHERE length(title) > CAST(:n AS INTEGER)";

    /// A keyword as a column and as a parameter.
    pub fn typed(r#type) -> many struct Typed = "SELECT title AS type FROM todos WHERE title = :type";
}

fn main() -> orion::Result<()> {
    let dir = std::env::temp_dir().join(format!("orion-ui-queries-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("app.db"), &Bus::new())?;
    // The migrations the queries were checked against (trybuild builds in `target/tests/`).
    store.migrate(orion::migrations!("../../../../ui-tests/src"))?;

    let milk = store.transaction(|tx| insert(tx, "buy milk", Some("2026-12-01")))?;
    let eggs = store.transaction(|tx| insert(tx, "eggs", None))?;
    assert_eq!(
        all(&store)?,
        [Todo { id: milk, title: "buy milk".into(), done: false }, Todo { id: eggs, title: "eggs".into(), done: false }]
    );
    let details = get(&store, milk)?.unwrap();
    assert_eq!(details, Details { id: milk, title: "buy milk".into(), due: Some("2026-12-01".into()), score: None, data: None });
    assert_eq!(first(&store)?, details);
    assert_eq!(get(&store, 99)?, None);
    assert_eq!((total(&store)?, counts(&store)?), (2, (2, 0)));
    assert_eq!(store.transaction(move |tx| rename(tx, eggs, "six eggs"))?, 1);
    assert_eq!(store.transaction(|tx| rename(tx, 99, "nothing"))?, 0);
    assert_eq!(store.transaction(move |tx| set_data(tx, eggs, Some(&[1, 2][..]), Some(0.5)))?, 1);
    assert_eq!(get(&store, eggs)?.unwrap().data, Some(vec![1, 2]));
    assert_eq!(metas(&store)?, [None, None]);
    assert_eq!(longer_than(&store, 6)?, ["buy milk", "six eggs"]);
    assert_eq!(typed(&store, "eggs")?, []);
    assert_eq!(typed(&store, "six eggs")?, [Typed { r#type: "six eggs".into() }]);
    assert_eq!(store.transaction(finish_all)?, [(milk, true), (eggs, true)]);
    assert_eq!(counts(&store)?, (0, 2));
    // Reads work inside a transaction too (they see its writes).
    let inside = store.transaction(move |tx| {
        remove(tx, milk)?;
        total(tx)
    })?;
    assert_eq!(inside, 1);
    assert_eq!(store.transaction(move |tx| remove(tx, milk))?, None);
    // `one` of nothing is a not-found error naming the query.
    store.transaction(move |tx| remove(tx, eggs))?;
    let error = first(&store).unwrap_err();
    assert_eq!(error.kind(), orion::ErrorKind::NotFound);
    assert!(error.message().contains("query `first` returned no row"), "{error}");

    store.close()?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
