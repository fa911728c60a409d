//! The helpers `table name -> Row;` writes for one table: `all`, `get`, `insert`, `update` and
//! `delete`, as SQL text. Each is then checked like a query written by hand (and, for a
//! tenant-scoped table, proven scoped), so this module only has to write the text.

use orion_sql_check::{Column, Table};

/// One helper: its function name, its SQL, its parameters in the order the function takes
/// them, and what it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Helper {
    pub(crate) name: &'static str,
    pub(crate) doc: String,
    pub(crate) sql: String,
    pub(crate) params: Vec<String>,
    pub(crate) returns: Returns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Returns {
    /// Every row, as the item's row type.
    Many,
    /// One row or none, as the item's row type.
    Optional,
    /// The inserted row's `INTEGER PRIMARY KEY`.
    Key,
    /// The number of rows changed.
    Count,
}

/// The helpers of `table`; `tenant` is its tenant column when it is tenant-scoped (then every
/// helper constrains it to `:tenant`, and `insert` writes `:tenant` into it).
pub(crate) fn helpers(table: &Table, tenant: Option<&str>) -> Result<Vec<Helper>, String> {
    let name = quote(&table.name);
    let is_tenant = |c: &Column| tenant.is_some_and(|t| c.name.eq_ignore_ascii_case(t));
    let keys: Vec<&Column> = match table.rowid_alias() {
        Some(key) => vec![key],
        None => table.columns.iter().filter(|c| c.primary_key && !is_tenant(c)).collect(),
    };
    if keys.is_empty() {
        return Err(format!(
            "table `{}` has no primary key, and `get`, `update` and `delete` find a row by it: declare one in a \
             migration (e.g. `id INTEGER PRIMARY KEY`), or write the queries as `fn`s",
            table.name
        ));
    }
    let selected: Vec<&Column> = table.columns.iter().filter(|c| !is_tenant(c)).collect();
    let select = list(&selected, |c| quote(&c.name));
    let scope = |joiner: &str| tenant.map_or_else(String::new, |t| format!("{joiner}{} = :tenant", quote(t)));
    let by_key =
        format!("{}{}", list_with(&keys, " AND ", |c| format!("{} = :{}", quote(&c.name), c.name)), scope(" AND "));
    let key_params: Vec<String> = keys.iter().map(|c| c.name.clone()).collect();
    let order = list(&keys, |c| quote(&c.name));
    let whose = if tenant.is_some() { " of the bound tenant" } else { "" };
    let keys_named = list_with(&keys, " and ", |c| format!("`{}`", c.name));

    let mut helpers = vec![
        Helper {
            name: "all",
            doc: format!("Every row of `{}`{whose}, by {keys_named}.", table.name),
            sql: format!("SELECT {select} FROM {name}{} ORDER BY {order}", scope(" WHERE ")),
            params: Vec::new(),
            returns: Returns::Many,
        },
        Helper {
            name: "get",
            doc: format!("The row of `{}`{whose} with this {keys_named}, if there is one.", table.name),
            sql: format!("SELECT {select} FROM {name} WHERE {by_key}"),
            params: key_params.clone(),
            returns: Returns::Optional,
        },
    ];

    // An insert leaves the rowid, generated columns and columns with a default to SQLite.
    let inserted: Vec<&Column> = table
        .columns
        .iter()
        .filter(|c| !c.rowid_alias && c.generated.is_none() && c.default.is_none() && !is_tenant(c))
        .collect();
    let mut columns: Vec<String> = tenant.map(|t| vec![quote(t)]).unwrap_or_default();
    let mut values: Vec<String> = tenant.map(|_| vec![":tenant".to_owned()]).unwrap_or_default();
    columns.extend(inserted.iter().map(|c| quote(&c.name)));
    values.extend(inserted.iter().map(|c| format!(":{}", c.name)));
    let key = table.rowid_alias();
    let mut insert = if columns.is_empty() {
        format!("INSERT INTO {name} DEFAULT VALUES")
    } else {
        format!("INSERT INTO {name} ({}) VALUES ({})", columns.join(", "), values.join(", "))
    };
    if let Some(key) = key {
        insert.push_str(&format!(" RETURNING {}", quote(&key.name)));
    }
    let defaults = if inserted.len() + usize::from(key.is_some()) < selected.len() {
        " Columns with a default, and generated ones, are left to SQLite."
    } else {
        ""
    };
    helpers.push(Helper {
        name: "insert",
        doc: match key {
            Some(key) => format!("Inserts a row into `{}`{whose}; returns its `{}`.{defaults}", table.name, key.name),
            None => format!("Inserts a row into `{}`{whose}; returns how many rows it inserted.{defaults}", table.name),
        },
        sql: insert,
        params: inserted.iter().map(|c| c.name.clone()).collect(),
        returns: if key.is_some() { Returns::Key } else { Returns::Count },
    });

    let updated: Vec<&Column> = table
        .columns
        .iter()
        .filter(|c| !c.primary_key && !c.rowid_alias && c.generated.is_none() && !is_tenant(c))
        .collect();
    if !updated.is_empty() {
        let set = list(&updated, |c| format!("{} = :{}", quote(&c.name), c.name));
        helpers.push(Helper {
            name: "update",
            doc: format!(
                "Sets every column of the row of `{}`{whose} with this {keys_named}; returns how many rows it \
                 changed (0 or 1).",
                table.name
            ),
            sql: format!("UPDATE {name} SET {set} WHERE {by_key}"),
            params: key_params.iter().cloned().chain(updated.iter().map(|c| c.name.clone())).collect(),
            returns: Returns::Count,
        });
    }
    helpers.push(Helper {
        name: "delete",
        doc: format!(
            "Deletes the row of `{}`{whose} with this {keys_named}; returns how many rows it deleted (0 or 1).",
            table.name
        ),
        sql: format!("DELETE FROM {name} WHERE {by_key}"),
        params: key_params,
        returns: Returns::Count,
    });
    Ok(helpers)
}

/// A name as an SQL identifier: bare when it is a plain lowercase word, quoted otherwise.
fn quote(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain && !RESERVED.contains(&name) { name.to_owned() } else { format!("\"{}\"", name.replace('"', "\"\"")) }
}

/// Words that need quoting as names (the ones a column is likely to be called).
const RESERVED: &[&str] = &[
    "order",
    "group",
    "select",
    "from",
    "where",
    "table",
    "index",
    "key",
    "values",
    "default",
    "check",
    "limit",
    "offset",
    "references",
    "to",
    "in",
    "is",
    "as",
    "by",
    "on",
    "and",
    "or",
    "not",
    "null",
    "primary",
    "unique",
];

fn list(columns: &[&Column], f: impl Fn(&Column) -> String) -> String {
    list_with(columns, ", ", f)
}

fn list_with(columns: &[&Column], joiner: &str, f: impl Fn(&Column) -> String) -> String {
    columns.iter().map(|c| f(c)).collect::<Vec<_>>().join(joiner)
}

#[cfg(test)]
mod tests;
