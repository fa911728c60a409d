//! The canary harness: runs a statement the tenancy check accepted against a real SQLite
//! database holding two tenants' rows, bound to tenant `a`, and fails if it reads or writes a
//! row of tenant `b`.
//!
//! - Every tenant-scoped table must hold rows of both tenants (checked, so a fixture that
//!   forgets one cannot make a test pass).
//! - The statement runs once per set of arguments: every parameter but `:tenant` takes, in
//!   turn, values that match `b`'s rows, values that match `a`'s, and NULL, so a statement
//!   that relies on an id or a name to find "its" row meets `b`'s.
//! - It never writes a `b` row: every tenant table's `b` rows are the same before and after
//!   (the statement runs in a transaction that is rolled back, on a fresh database).
//! - It never reads one: no returned value is `b`'s key or holds `b`'s marker text (beyond
//!   what the arguments put there), and a
//!   read-only statement returns exactly what it returns on a database without `b`'s rows
//!   (so a count, a sum or an `EXISTS` over `b`'s rows shows too).

use rusqlite::types::Value;
use rusqlite::{Connection, Statement};

use crate::schema::Schema;
use crate::types::SqlType;

/// Text that only `b`'s rows hold.
pub(super) const MARKER: &str = "b-secret";

/// The rows of a canary database.
pub(super) struct Fixture<'a> {
    /// Rows of global tables.
    pub(super) global: &'a str,
    /// Tenant `a`'s rows (inserted first).
    pub(super) a: &'a str,
    /// Tenant `b`'s rows, whose text values hold [`MARKER`] (inserted after `a`'s, with lower
    /// ids, so that new rowids are the same with and without them).
    pub(super) b: &'a str,
}

type Rows = Vec<Vec<Value>>;

/// Runs `sql` (accepted by the tenancy check) against the fixture, as tenant `a`, with every
/// combination of arguments, and fails if it reads or writes a row of `b`.
pub(super) fn assert_isolated(schema: &Schema, fixture: &Fixture<'_>, sql: &str) {
    if let Err(leak) = isolated(schema, fixture, sql) {
        panic!("{leak}");
    }
}

/// What [`assert_isolated`] checks: `Err` says how `sql` reached tenant `b`'s rows.
pub(super) fn isolated(schema: &Schema, fixture: &Fixture<'_>, sql: &str) -> Result<(), String> {
    let params = match crate::check(schema, sql) {
        Ok(checked) => checked.params,
        Err(problems) => panic!("{sql}: an accepted tenancy query must also pass `check`: {problems:?}"),
    };
    let both = database(schema, &[fixture.global, fixture.a, fixture.b]);
    for tenant in ["a", "b"] {
        for (table, rows) in snapshot(&both, schema, tenant) {
            assert!(!rows.is_empty(), "the canary fixture has no rows of tenant `{tenant}` in `{table}`");
        }
    }
    let rounds = 5;
    for round in 0..rounds {
        let arguments: Vec<(String, Value)> = params
            .iter()
            .filter(|p| p.name != super::TENANT)
            .map(|p| (format!(":{}", p.name), argument(p.ty, round)))
            .collect();
        let mut both = database(schema, &[fixture.global, fixture.a, fixture.b]);
        let before = snapshot(&both, schema, "b");
        let (result, readonly, after) = run(&mut both, schema, sql, &arguments);
        if before != after {
            return Err(format!("`{sql}` wrote a row of tenant `b` (arguments {arguments:?})"));
        }
        if let Ok(rows) = &result {
            for value in rows.iter().flatten() {
                if let Value::Text(text) = value {
                    // What the arguments put there is not `b`'s.
                    let own = arguments.iter().fold(text.clone(), |text, (_, argument)| match argument {
                        Value::Text(argument) => text.replace(argument.as_str(), ""),
                        _ => text,
                    });
                    if own == "b" || own.contains(MARKER) {
                        return Err(format!(
                            "`{sql}` returned `{text}`, a value of tenant `b` (arguments {arguments:?})"
                        ));
                    }
                }
            }
        }
        if readonly {
            let mut alone = database(schema, &[fixture.global, fixture.a]);
            let (without_b, ..) = run(&mut alone, schema, sql, &arguments);
            if result != without_b {
                return Err(format!(
                    "`{sql}` answers differently when tenant `b` has rows: it reads them (arguments {arguments:?})"
                ));
            }
        }
    }
    Ok(())
}

/// A fresh database with the schema's migrations and `rows`.
fn database(schema: &Schema, rows: &[&str]) -> Connection {
    let conn = schema.fresh_connection();
    for batch in rows {
        conn.execute_batch(batch).unwrap_or_else(|e| panic!("the canary fixture fails: {e}\n{batch}"));
    }
    conn
}

/// An argument of type `ty` for round `round`: values that match `b`'s rows, then `a`'s, then
/// NULL.
fn argument(ty: SqlType, round: usize) -> Value {
    match (ty, round) {
        (_, 4) => Value::Null,
        (SqlType::Integer | SqlType::Bool, _) => Value::Integer([1, 2, 10, 11][round]),
        (SqlType::Real, _) => Value::Real(1.0),
        (SqlType::Text, _) => Value::Text(["shared", "b-secret-one", "a-one", "b"][round].to_owned()),
        (SqlType::Blob, _) => Value::Blob(vec![0]),
    }
}

/// Runs `sql` as tenant `a` in a transaction that is rolled back; its rows (or its error),
/// whether it is read-only, and `b`'s rows as the statement left them (before the rollback).
fn run(
    conn: &mut Connection,
    schema: &Schema,
    sql: &str,
    arguments: &[(String, Value)],
) -> (Result<Rows, String>, bool, Vec<(String, Rows)>) {
    let tx = conn.transaction().unwrap();
    let result: Result<(Result<Rows, String>, bool), String> = (|| {
        let mut statement = tx.prepare(sql).map_err(|e| e.to_string())?;
        let readonly = statement.readonly();
        bind(&mut statement, arguments)?;
        let columns = statement.column_count();
        let mut rows = Vec::new();
        let mut cursor = statement.raw_query();
        loop {
            match cursor.next() {
                Ok(Some(row)) => rows.push((0..columns).map(|i| row.get::<_, Value>(i).unwrap()).collect()),
                Ok(None) => break,
                Err(error) => return Ok((Err(error.to_string()), readonly)),
            }
        }
        Ok((Ok(rows), readonly))
    })();
    let after = snapshot(&tx, schema, "b");
    tx.rollback().unwrap();
    match result {
        Ok((rows, readonly)) => (rows, readonly, after),
        Err(error) => panic!("`{sql}` cannot run on the canary database: {error}"),
    }
}

fn bind(statement: &mut Statement<'_>, arguments: &[(String, Value)]) -> Result<(), String> {
    let tenant = statement.parameter_index(&format!(":{}", super::TENANT)).map_err(|e| e.to_string())?;
    if let Some(index) = tenant {
        statement.raw_bind_parameter(index, "a").map_err(|e| e.to_string())?;
    }
    for (name, value) in arguments {
        if let Some(index) = statement.parameter_index(name).map_err(|e| e.to_string())? {
            statement.raw_bind_parameter(index, value).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Every tenant table's rows of `tenant`, in a fixed order.
fn snapshot(conn: &Connection, schema: &Schema, tenant: &str) -> Vec<(String, Rows)> {
    schema
        .tenant_tables()
        .iter()
        .map(|declared| {
            let count = schema.table(&declared.table).map_or(1, |t| t.columns.len());
            let order: Vec<String> = (1..=count).map(|i| i.to_string()).collect();
            let sql = format!(
                "SELECT * FROM \"{}\" WHERE \"{}\" = ?1 ORDER BY {}",
                declared.table,
                declared.column,
                order.join(", ")
            );
            let mut statement = conn.prepare(&sql).unwrap();
            let rows = statement
                .query_map([tenant], |row| {
                    (0..count).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap()
                .collect::<rusqlite::Result<Rows>>()
                .unwrap();
            (declared.table.clone(), rows)
        })
        .collect()
}
