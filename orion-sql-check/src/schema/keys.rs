//! A table's keys, read back with `pragma_foreign_key_list`, `pragma_index_list` and
//! `pragma_index_xinfo`: its foreign keys (what a write to it makes SQLite read or write in
//! other tables) and its unique keys (which rows an `OR REPLACE` may delete).

use rusqlite::Connection;

/// A foreign key of a table (the child) to another table (the parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The parent table.
    pub parent: String,
    /// The child's columns, in order.
    pub from: Vec<String>,
    /// The parent's columns they reference, in order (the parent's primary key when the
    /// foreign key names none).
    pub to: Vec<String>,
    /// `ON UPDATE`: `NO ACTION`, `RESTRICT`, `SET NULL`, `SET DEFAULT` or `CASCADE`.
    pub on_update: String,
    /// `ON DELETE`, as `on_update`.
    pub on_delete: String,
}

impl ForeignKey {
    /// The parent column `child_column` references, if it is one of the key's columns.
    pub fn references(&self, child_column: &str) -> Option<&str> {
        self.from.iter().position(|c| c.eq_ignore_ascii_case(child_column)).map(|i| self.to[i].as_str())
    }
}

/// A unique key: the primary key of a `WITHOUT ROWID` table, a `PRIMARY KEY` that is not the
/// rowid, a `UNIQUE` constraint or a `CREATE UNIQUE INDEX`. (The rowid and its alias, the
/// `INTEGER PRIMARY KEY`, are unique too, without an index.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey {
    /// The index that enforces it.
    pub index: String,
    /// Its key columns, in order; `None` for an expression.
    pub columns: Vec<Option<String>>,
    /// A partial index (`WHERE …`).
    pub partial: bool,
}

/// The foreign keys of `table`.
pub(super) fn foreign_keys(conn: &Connection, table: &str) -> rusqlite::Result<Vec<ForeignKey>> {
    let rows: Vec<(i64, String, String, Option<String>, String, String)> = conn
        .prepare(
            r#"SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?1)
               ORDER BY id, seq"#,
        )?
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keys: Vec<(i64, ForeignKey)> = Vec::new();
    let mut implicit = Vec::new();
    for (id, parent, from, to, on_update, on_delete) in rows {
        if keys.last().is_none_or(|(last, _)| *last != id) {
            keys.push((id, ForeignKey { parent, from: Vec::new(), to: Vec::new(), on_update, on_delete }));
        }
        let key = &mut keys.last_mut().expect("pushed above").1;
        key.from.push(from);
        match to {
            Some(to) => key.to.push(to),
            None => implicit.push(keys.len() - 1),
        }
    }
    // `REFERENCES parent` without columns references the parent's primary key.
    implicit.dedup();
    for index in implicit {
        let key = &mut keys[index].1;
        key.to = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
            .query_map([&key.parent], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        key.to.resize(key.from.len(), String::new());
    }
    Ok(keys.into_iter().map(|(_, key)| key).collect())
}

/// The unique keys of `table`.
pub(super) fn unique_keys(conn: &Connection, table: &str) -> rusqlite::Result<Vec<UniqueKey>> {
    let indexes: Vec<(String, bool)> = conn
        .prepare(r#"SELECT name, partial FROM pragma_index_list(?1) WHERE "unique" ORDER BY seq"#)?
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keys = Vec::with_capacity(indexes.len());
    for (index, partial) in indexes {
        let columns = conn
            .prepare("SELECT cid, name FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno")?
            .query_map([&index], |row| {
                let cid: i64 = row.get(0)?;
                // -2 is an expression; -1 the rowid.
                Ok(if cid == -2 { None } else { row.get::<_, Option<String>>(1)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        keys.push(UniqueKey { index, columns, partial });
    }
    Ok(keys)
}

/// The collation of each indexed use of `column` in `table`'s indexes: `(index, collation)`.
pub(super) fn index_collations(
    conn: &Connection,
    table: &str,
    column: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM pragma_index_list(?1)")?
        .query_map([table], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    for index in indexes {
        let collations: Vec<String> = conn
            .prepare("SELECT coll FROM pragma_index_xinfo(?1) WHERE key AND name = ?2 COLLATE NOCASE")?
            .query_map([&index, &column.to_owned()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        found.extend(collations.into_iter().map(|c| (index.clone(), c)));
    }
    Ok(found)
}
