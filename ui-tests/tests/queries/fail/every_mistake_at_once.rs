// Every query's problems are reported together; a query that failed still exists (with its
// declared arguments), so its callers report nothing more.
use orion::store::{Store, Tx};

orion::queries! {
    pub fn all() -> many (i64, String) = "SELECT id, titel FROM todos";
    pub fn rename(id, title) -> count = "UPDATE todo SET title = :title WHERE id = :id";
    pub fn fine() -> many i64 = "SELECT id FROM todos";
    pub fn open() -> count = "SELECT id FROM todos";
}

fn caller(store: &Store, tx: &Tx<'_>) -> orion::Result<()> {
    let _: Vec<(i64, String)> = all(store)?;
    let _: usize = rename(tx, 7, "title")?;
    let _: Vec<i64> = fine(store)?;
    Ok(())
}

fn main() {}
