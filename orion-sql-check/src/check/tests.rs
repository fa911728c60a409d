//! Checking queries: one `check(query, expect)` helper per area. Every query that passes is
//! also run on a database with sample rows (empty, and full of NULLs and unmatched joins) to
//! confirm that no column called NOT NULL ever yields NULL.

use std::sync::Arc;

use rusqlite::types::Value as SqlValue;

use crate::schema::{Schema, test_schema};
use crate::{Checked, Diagnostic, SqlType, StatementKind};

const SCHEMA: &str = "
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score REAL) STRICT;
CREATE TABLE todos (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    due TEXT,
    owner_id INTEGER REFERENCES users (id),
    body BLOB
) STRICT;
CREATE TABLE tags (todo_id INTEGER NOT NULL REFERENCES todos (id), name TEXT NOT NULL, PRIMARY KEY (todo_id, name))
    STRICT, WITHOUT ROWID;
CREATE TABLE notes (id INTEGER PRIMARY KEY, body, created DATETIME, flag BOOLEAN);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT);
CREATE VIEW open_todos AS SELECT id, title, due FROM todos WHERE done = 0;
";

/// Sample rows: NULLs in every nullable column, a todo without owner, a user without todos.
const ROWS: &str = "
INSERT INTO users (id, name, email, score) VALUES (1, 'ann', NULL, NULL), (2, 'bob', 'bob@example.com', 2.5),
    (3, 'cy', NULL, 1.0);
INSERT INTO todos (id, title, done, due, owner_id, body) VALUES (1, 'a', 0, NULL, 1, NULL),
    (2, 'b', 1, '2026-01-01', NULL, x'00'), (3, 'c', 0, NULL, 2, NULL);
INSERT INTO tags (todo_id, name) VALUES (1, 'x'), (1, 'y');
INSERT INTO notes (id, body, created, flag) VALUES (1, NULL, NULL, NULL);
INSERT INTO settings (key, value) VALUES ('a', 'b');
INSERT INTO kv (key, value) VALUES (NULL, 'a');
";

fn schema() -> Arc<Schema> {
    test_schema(&[SCHEMA])
}

/// `kind | field: Type, nullable: Type? | :param: Type`.
fn render(checked: &Checked) -> String {
    let kind = match checked.kind {
        StatementKind::Select => "select",
        StatementKind::Insert => "insert",
        StatementKind::Update => "update",
        StatementKind::Delete => "delete",
    };
    let fields: Vec<String> = checked
        .fields
        .iter()
        .map(|f| format!("{}: {}{}", f.name, f.ty.rust(), if f.nullable { "?" } else { "" }))
        .collect();
    let params: Vec<String> = checked
        .params
        .iter()
        .map(|p| format!(":{}: {}{}", p.name, p.ty.rust(), if p.nullable { "?" } else { "" }))
        .collect();
    let mut out = format!("{kind} | {}", fields.join(", "));
    if !params.is_empty() {
        out.push_str(&format!(" | {}", params.join(", ")));
    }
    out
}

/// Checks `sql`, compares the result with `expect`, and runs it on the sample databases.
fn check(sql: &str, expect: &str) {
    let schema = schema();
    let checked = crate::check(&schema, sql).unwrap_or_else(|problems| panic!("{sql}\n{}", show(sql, &problems)));
    assert_eq!(render(&checked), expect, "{sql}");
    run_on_samples(&schema, sql, &checked);
}

/// Runs `sql` on an empty database and on the sample rows (binding a value of each
/// parameter's type, and NULL to nullable ones in a second run), and fails if a column
/// called NOT NULL yields NULL.
fn run_on_samples(schema: &Schema, sql: &str, checked: &Checked) {
    for rows in ["", ROWS] {
        for null_params in [false, true] {
            let mut conn = schema.fresh_connection();
            conn.execute_batch(rows).unwrap();
            let tx = conn.transaction().unwrap();
            let mut statement = tx.prepare(sql).unwrap();
            for param in &checked.params {
                let value = match (param.ty, null_params && param.nullable) {
                    (_, true) => SqlValue::Null,
                    (SqlType::Integer | SqlType::Bool, _) => SqlValue::Integer(1),
                    (SqlType::Real, _) => SqlValue::Real(1.0),
                    (SqlType::Text, _) => SqlValue::Text("a".to_owned()),
                    (SqlType::Blob, _) => SqlValue::Blob(vec![0]),
                };
                let index = statement.parameter_index(&format!(":{}", param.name)).unwrap().unwrap();
                statement.raw_bind_parameter(index, value).unwrap();
            }
            let mut result = statement.raw_query();
            // A write may fail on a constraint with these values; there is nothing to read then.
            while let Ok(Some(row)) = result.next() {
                for (i, field) in checked.fields.iter().enumerate() {
                    let value: SqlValue = row.get(i).unwrap();
                    assert!(
                        field.nullable || value != SqlValue::Null,
                        "`{}` is called NOT NULL but is NULL in `{sql}` (rows: {}, NULL parameters: {null_params})",
                        field.name,
                        if rows.is_empty() { "none" } else { "samples" },
                    );
                }
            }
        }
    }
}

/// One line per problem: `Kind `fragment`: message: help`.
fn show(sql: &str, problems: &[Diagnostic]) -> String {
    problems
        .iter()
        .map(|p| {
            let fragment = p.span.map_or_else(|| "-".to_owned(), |s| format!("`{}`", &sql[s.range()]));
            format!("{:?} {fragment}: {p}", p.kind)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks `sql`, which must fail, and compares its problems with `expect`.
fn check_error(sql: &str, expect: &str) {
    let schema = schema();
    let problems = match crate::check(&schema, sql) {
        Ok(checked) => panic!("{sql}\npassed: {}", render(&checked)),
        Err(problems) => problems,
    };
    assert_eq!(show(sql, &problems), expect.trim(), "{sql}");
}

// ---- diagnostics: each kind, with its fragment and hint ----

#[test]
fn a_misspelt_column_points_at_it_and_suggests_the_column() {
    check_error("SELECT id, titel FROM todos", "NoSuchColumn `titel`: no such column `titel`: did you mean `title`?");
}

#[test]
fn a_misspelt_qualified_column_suggests_a_column_of_that_table() {
    check_error(
        "SELECT u.nme FROM todos t JOIN users u ON u.id = t.owner_id",
        "NoSuchColumn `u.nme`: no such column `u.nme`: did you mean `name`?",
    );
}

#[test]
fn an_unknown_column_without_a_close_name_says_what_to_do() {
    check_error(
        "SELECT zzz FROM todos",
        "NoSuchColumn `zzz`: no such column `zzz`: check the name against the migrations, or add the column in a new migration",
    );
}

#[test]
fn every_unknown_name_is_reported_at_once() {
    check_error(
        "SELECT titel, dne FROM todos WHERE ownr_id = 1",
        "
NoSuchColumn `titel`: no such column `titel`: did you mean `title`?
NoSuchColumn `dne`: no such column `dne`: did you mean `done`?
NoSuchColumn `ownr_id`: no such column `ownr_id`: did you mean `owner_id`?",
    );
}

#[test]
fn a_misspelt_table_suggests_the_table() {
    check_error("SELECT id FROM todo", "NoSuchTable `todo`: no such table `todo`: did you mean `todos`?");
}

#[test]
fn an_unknown_table_and_an_unknown_column_elsewhere_are_both_reported() {
    check_error(
        "SELECT t.titel FROM todos t WHERE EXISTS (SELECT 1 FROM tag WHERE tag.todo_id = t.id)",
        "
NoSuchColumn `t.titel`: no such column `t.titel`: did you mean `title`?
NoSuchTable `tag`: no such table `tag`: did you mean `tags`?",
    );
}

#[test]
fn an_insert_into_an_unknown_column_names_the_table() {
    check_error(
        "INSERT INTO todos (titel) VALUES (:title)",
        "NoSuchColumn `titel`: table `todos` has no column named `titel`: did you mean `title`?",
    );
}

#[test]
fn a_misspelt_function_suggests_the_function() {
    check_error(
        "SELECT lenght(title) FROM todos",
        "NoSuchFunction `lenght`: no such function `lenght`: did you mean `length`?",
    );
}

#[test]
fn a_wrong_number_of_arguments_is_a_function_problem() {
    check_error(
        "SELECT lower(title, 1) FROM todos",
        "NoSuchFunction `lower`: wrong number of arguments to `lower()`: check the name and the arguments against SQLite's functions",
    );
}

#[test]
fn a_syntax_error_points_at_the_token_and_suggests_the_keyword() {
    // `FORM` reads as an alias of `id`, so SQLite stops at `todos`.
    check_error(
        "SELECT id FORM todos",
        "Syntax `todos`: syntax error near `todos`: fix the SQL; SQLite's grammar is at https://sqlite.org/lang.html",
    );
    check_error("SELEC id FROM todos", "Syntax `SELEC`: syntax error near `SELEC`: did you mean `SELECT`?");
}

#[test]
fn incomplete_input_points_at_the_end() {
    check_error(
        "SELECT id FROM todos WHERE",
        "Syntax ``: incomplete input: fix the SQL; SQLite's grammar is at https://sqlite.org/lang.html",
    );
}

#[test]
fn two_statements_are_refused_pointing_at_the_second() {
    check_error(
        "SELECT id FROM todos; DELETE FROM todos",
        "MultipleStatements `DELETE FROM todos`: a named query is exactly one statement, and this one has 2: \
         make each statement a named query of its own (or one statement that does both, e.g. with `RETURNING`)",
    );
}

#[test]
fn a_trailing_semicolon_and_comments_are_one_statement() {
    check("SELECT id FROM todos; -- the ids\n", "select | id: i64");
}

#[test]
fn an_empty_query_is_refused() {
    check_error(
        "  -- nothing\n",
        "Syntax -: the query is empty: write one `SELECT`, `INSERT`, `UPDATE` or `DELETE` statement",
    );
}

#[test]
fn positional_and_other_parameters_are_refused_with_the_named_form() {
    check_error(
        "SELECT id FROM todos WHERE id = ? AND title = ?2 AND due = @due AND owner_id = $owner",
        "
Parameter `?`: positional parameter `?` is not supported: name it, e.g. `:title`: a named parameter becomes a named argument
Parameter `?2`: positional parameter `?2` is not supported: name it, e.g. `:title`: a named parameter becomes a named argument
Parameter `@due`: parameter `@due` is not written with `:`: write `:due`
Parameter `$owner`: parameter `$owner` is not written with `:`: write `:owner`",
    );
}

#[test]
fn other_statements_are_not_named_queries() {
    check_error(
        "PRAGMA table_info(todos)",
        "Unsupported `PRAGMA`: `PRAGMA` statements cannot be checked: a named query is one `SELECT`, `INSERT`, \
         `UPDATE` or `DELETE` statement: the store sets the pragmas it relies on when it opens a connection: run \
         any other one once at boot, through the store, not as a named query",
    );
    check_error(
        "CREATE TABLE x (a)",
        "Unsupported `CREATE`: `CREATE` statements cannot be checked: a named query is one `SELECT`, `INSERT`, \
         `UPDATE` or `DELETE` statement: change the schema in a migration \
         (`src/<feature>/migrations/<YYYYMMDDHHMMSS>_<name>.sql`), which the store applies at boot and the checker \
         reads",
    );
    check_error(
        "ATTACH 'other.db' AS other",
        "Unsupported `ATTACH`: `ATTACH` statements cannot be checked: a named query is one `SELECT`, `INSERT`, \
         `UPDATE` or `DELETE` statement: a named query reaches only the tables the migrations create: declare the \
         data there",
    );
    check_error(
        "BEGIN",
        "Unsupported `BEGIN`: `BEGIN` statements cannot be checked: a named query is one `SELECT`, `INSERT`, \
         `UPDATE` or `DELETE` statement: a named query runs inside the transaction the store opens: call it inside \
         `store.transaction(…)` or `store.write(…)` instead",
    );
}

#[test]
fn a_wrong_number_of_values_is_sqlites_message() {
    check_error(
        "INSERT INTO todos (title, done) VALUES (:title)",
        "Sqlite -: 1 values for 2 columns: fix the query as SQLite says",
    );
}

#[test]
fn double_quoted_strings_are_names_not_strings() {
    check_error(
        "SELECT id FROM todos WHERE title = \"a\"",
        "NoSuchColumn `\"a\"`: no such column `a`: double quotes name a column; write a string in single quotes: `'a'`",
    );
}

// ---- types and annotations ----

#[test]
fn declared_types_map_to_rust_types() {
    check(
        "SELECT t.id, title, done, due, body, score FROM todos t, users",
        "select | id: i64, title: String, done: bool, due: String?, body: Vec<u8>?, score: f64?",
    );
}

#[test]
fn a_boolean_declared_or_checked_is_bool() {
    check("SELECT flag FROM notes", "select | flag: bool?");
    check(
        "SELECT done, NOT done AS undone, done = 1 AS yes FROM todos",
        "select | done: bool, undone: bool, yes: bool",
    );
}

#[test]
fn an_untyped_column_needs_an_annotation() {
    check_error(
        "SELECT body, created FROM notes",
        "
UnknownType `body`: the type of result column `body` cannot be inferred: annotate it in its alias, e.g. `AS \"body: i64\"` (or `f64`, `String`, `Vec<u8>`, `bool`); a STRICT table with declared types makes this unnecessary
UnknownType `created`: the type of result column `created` cannot be inferred: annotate it in its alias, e.g. `AS \"created: i64\"` (or `f64`, `String`, `Vec<u8>`, `bool`); a STRICT table with declared types makes this unnecessary",
    );
}

#[test]
fn annotations_set_the_type_and_the_nullability() {
    check(
        "SELECT notes.body AS \"body: String\", created AS \"created!: String\", title AS \"title?\", due AS \"due!\" FROM notes, todos WHERE due IS NOT NULL AND created IS NOT NULL",
        "select | body: String?, created: String, title: String?, due: String",
    );
    check("SELECT json_extract('{\"a\":1}', '$.a') AS \"a: i64\"", "select | a: i64?");
}

#[test]
fn an_annotation_with_an_unknown_type_lists_the_types() {
    check_error(
        "SELECT id AS \"id: u32\" FROM todos",
        "Annotation `id`: unknown type `u32` in the annotation `id: u32`: write one of `i64`, `f64`, `String`, `Vec<u8>`, `bool`: see the annotation syntax in orion-sql-check's README",
    );
}

#[test]
fn a_null_literal_needs_an_annotation_and_takes_the_type_of_other_branches() {
    check_error(
        "SELECT NULL AS empty",
        "UnknownType `NULL`: the type of result column `empty` cannot be inferred: annotate it in its alias, e.g. `AS \"empty: i64\"` (or `f64`, `String`, `Vec<u8>`, `bool`); a STRICT table with declared types makes this unnecessary",
    );
    check("SELECT title FROM todos UNION ALL SELECT NULL", "select | title: String?");
    check("SELECT CASE WHEN done THEN title ELSE NULL END AS t FROM todos", "select | t: String?");
}

#[test]
fn expressions_are_typed() {
    check(
        "SELECT t.id + 1 AS a, t.id * score AS b, title || '!' AS c, length(title) AS d, upper(title) AS e, \
         CAST(t.id AS TEXT) AS f, -t.id AS g, abs(score) AS h, typeof(due) AS i, t.id & 3 AS j FROM todos t, users",
        "select | a: i64, b: f64?, c: String, d: i64, e: String, f: String, g: i64, h: f64?, i: String, j: i64",
    );
}

#[test]
fn returning_columns_are_typed_like_a_select() {
    check(
        "INSERT INTO todos (title) VALUES (:title) RETURNING id, title, due",
        "insert | id: i64, title: String, due: String? | :title: String",
    );
    check(
        "DELETE FROM todos WHERE id = :id RETURNING *",
        "delete | id: i64, title: String, done: bool, due: String?, owner_id: i64?, body: Vec<u8>? | :id: i64",
    );
}

// ---- nullability: every rule ----

#[test]
fn nullable_and_not_null_columns() {
    check(
        "SELECT id, title, due, owner_id FROM todos",
        "select | id: i64, title: String, due: String?, owner_id: i64?",
    );
}

#[test]
fn integer_primary_key_and_rowid_are_not_null() {
    check("SELECT id, rowid, oid, _rowid_ FROM users", "select | id: i64, id: i64, id: i64, id: i64");
    check("SELECT rowid FROM notes", "select | id: i64");
}

/// sqlx's SQLite inference reads the query plan, so `ORDER BY` or `LIMIT` changed its verdict
/// (launchbadge/sqlx#1126), and a `RETURNING` of the rowid alias became an `Option` (#4322).
/// Nullability here comes from the statement and the schema, never from the plan.
#[test]
fn order_by_limit_and_returning_do_not_change_nullability() {
    let plain = "select | id: i64, title: String, due: String?";
    check("SELECT id, title, due FROM todos", plain);
    check("SELECT id, title, due FROM todos ORDER BY title", plain);
    check("SELECT id, title, due FROM todos ORDER BY due DESC LIMIT 10 OFFSET 5", plain);
    check("SELECT id, title, due FROM todos WHERE done = 0 ORDER BY id LIMIT 1", plain);
    check(
        "INSERT INTO todos (title) VALUES (:title) RETURNING id, title, due",
        "insert | id: i64, title: String, due: String? | :title: String",
    );
}

#[test]
fn a_text_primary_key_may_be_null_unless_strict_or_without_rowid() {
    check("SELECT key FROM kv", "select | key: String?");
    check("SELECT key FROM settings", "select | key: String");
    check("SELECT todo_id, name FROM tags", "select | todo_id: i64, name: String");
}

#[test]
fn the_nullable_side_of_an_outer_join_is_nullable() {
    check(
        "SELECT t.id, u.id AS user_id, u.name FROM todos t LEFT JOIN users u ON u.id = t.owner_id",
        "select | id: i64, user_id: i64?, name: String?",
    );
    check(
        "SELECT t.id, u.name FROM todos t RIGHT JOIN users u ON u.id = t.owner_id",
        "select | id: i64?, name: String",
    );
    check(
        "SELECT t.id, u.name FROM todos t FULL JOIN users u ON u.id = t.owner_id",
        "select | id: i64?, name: String?",
    );
    check(
        "SELECT t.title, u.name FROM todos t JOIN users u ON u.id = t.owner_id",
        "select | title: String, name: String",
    );
    check(
        "SELECT * FROM todos LEFT JOIN tags ON tags.todo_id = todos.id",
        "select | id: i64, title: String, done: bool, due: String?, owner_id: i64?, body: Vec<u8>?, todo_id: i64?, name: String?",
    );
}

#[test]
fn a_left_join_inside_parentheses_and_a_later_inner_join() {
    check(
        "SELECT u.name, t.title, g.name AS tag FROM users u LEFT JOIN (todos t JOIN tags g ON g.todo_id = t.id) ON t.owner_id = u.id",
        "select | name: String, title: String?, tag: String?",
    );
}

#[test]
fn using_columns_appear_once_in_star() {
    check(
        "SELECT * FROM tags JOIN (SELECT id AS todo_id, title FROM todos) USING (todo_id)",
        "select | todo_id: i64, name: String, title: String",
    );
}

#[test]
fn count_is_never_null_and_other_aggregates_are_over_an_empty_set() {
    check(
        "SELECT count(*) AS n, count(due) AS d, sum(id) AS s, total(id) AS t, avg(id) AS a, min(title) AS lo, \
         max(id) AS hi, group_concat(title) AS g FROM todos",
        "select | n: i64, d: i64, s: i64?, t: f64, a: f64?, lo: String?, hi: i64?, g: String?",
    );
}

#[test]
fn aggregates_of_not_null_values_per_group_are_not_null() {
    check(
        "SELECT owner_id, count(*) AS n, sum(id) AS s, max(title) AS m, min(due) AS d FROM todos GROUP BY owner_id",
        "select | owner_id: i64?, n: i64, s: i64, m: String, d: String?",
    );
    check(
        "SELECT done, sum(id) FILTER (WHERE due IS NULL) AS s FROM todos GROUP BY done",
        "select | done: bool, s: i64?",
    );
}

#[test]
fn an_aggregate_of_the_nullable_side_of_a_left_join_is_nullable_per_group() {
    check(
        "SELECT u.id, count(t.id) AS n, max(t.title) AS last FROM users u LEFT JOIN todos t ON t.owner_id = u.id GROUP BY u.id",
        "select | id: i64, n: i64, last: String?",
    );
}

#[test]
fn a_bare_column_of_an_aggregate_without_group_by_is_nullable() {
    check("SELECT title, count(*) AS n FROM todos", "select | title: String?, n: i64");
}

#[test]
fn scalar_subqueries_are_nullable_unless_they_aggregate_to_one_row() {
    check(
        "SELECT (SELECT title FROM todos WHERE id = u.id) AS t, (SELECT count(*) FROM todos WHERE owner_id = u.id) AS n, \
         (SELECT max(id) FROM todos) AS m, (SELECT count(*) FROM todos GROUP BY done) AS g FROM users u",
        "select | t: String?, n: i64, m: i64?, g: i64?",
    );
}

#[test]
fn case_without_else_is_nullable() {
    check(
        "SELECT CASE WHEN done THEN 'done' END AS a, CASE WHEN done THEN 'done' ELSE 'open' END AS b, \
         CASE done WHEN 1 THEN title ELSE due END AS c FROM todos",
        "select | a: String?, b: String, c: String?",
    );
}

#[test]
fn coalesce_with_a_not_null_argument_is_not_null() {
    check(
        "SELECT coalesce(due, 'never') AS a, coalesce(owner_id, t.id) AS b, ifnull(score, 0.0) AS c, coalesce(due, NULL) AS d FROM todos t, users",
        "select | a: String, b: i64, c: f64, d: String?",
    );
}

#[test]
fn division_may_be_null() {
    check(
        "SELECT id / 2 AS a, id / id AS b, id % 3 AS c, id % owner_id AS d FROM todos",
        "select | a: i64, b: i64?, c: i64, d: i64?",
    );
}

#[test]
fn comparisons_with_a_nullable_side_are_nullable_and_is_never_is() {
    check(
        "SELECT due = 'x' AS a, due IS 'x' AS b, due IS NULL AS c, due IN ('a', 'b') AS d, title LIKE 'a%' AS e, \
         EXISTS (SELECT 1 FROM tags) AS f, owner_id BETWEEN 1 AND 2 AS g FROM todos",
        "select | a: bool?, b: bool, c: bool, d: bool?, e: bool, f: bool, g: bool?",
    );
}

#[test]
fn functions_follow_sqlites_null_rules() {
    check(
        "SELECT nullif(title, 'a') AS a, hex(due) AS b, quote(due) AS c, lower(due) AS d, datetime('now') AS e, \
         datetime(due) AS f, iif(done, title, 'x') AS g, concat(due, 'x') AS h, random() AS i, \
         substr(title, 2) AS j, replace(title, 'a', 'b') AS k, instr(title, 'a') AS l, unixepoch() AS m FROM todos",
        "select | a: String?, b: String, c: String, d: String?, e: String, f: String?, g: String, h: String, i: i64, \
         j: String, k: String, l: i64, m: i64",
    );
}

#[test]
fn an_unknown_function_result_needs_an_annotation() {
    check_error(
        "SELECT json_extract(title, '$.a') AS a FROM todos",
        "UnknownType `json_extract(title, '$.a')`: the type of result column `a` cannot be inferred: annotate it in its alias, e.g. `AS \"a: i64\"` (or `f64`, `String`, `Vec<u8>`, `bool`); a STRICT table with declared types makes this unnecessary",
    );
}

#[test]
fn window_functions() {
    check(
        "SELECT row_number() OVER (ORDER BY id) AS n, rank() OVER w AS r, lag(title) OVER w AS prev, \
         lag(title, 1, '') OVER w AS prev_or_empty, sum(id) OVER w AS running FROM todos WINDOW w AS (ORDER BY id)",
        "select | n: i64, r: i64, prev: String?, prev_or_empty: String, running: i64?",
    );
    check("SELECT sum(id) OVER (ORDER BY id) AS running FROM todos", "select | running: i64");
    check(
        "SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS ahead, \
         first_value(title) OVER (ORDER BY id) AS first FROM todos",
        "select | ahead: i64?, first: String",
    );
}

#[test]
fn views_ctes_and_subqueries_keep_nullability() {
    check("SELECT id, title, due FROM open_todos", "select | id: i64, title: String, due: String?");
    check(
        "WITH mine AS (SELECT id, title FROM todos WHERE owner_id = 1) SELECT m.title, u.name FROM users u LEFT JOIN mine m ON m.id = u.id",
        "select | title: String?, name: String",
    );
    check("SELECT s.t FROM (SELECT title AS t FROM todos) AS s", "select | t: String");
}

#[test]
fn recursive_ctes_are_typed_from_both_branches() {
    check(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n",
        "select | i: i64",
    );
    check(
        "WITH RECURSIVE c(id, owner) AS (SELECT id, owner_id FROM todos UNION ALL SELECT c.id, u.id FROM c JOIN users u ON u.id = c.owner WHERE 0) SELECT id, owner FROM c",
        "select | id: i64, owner: i64?",
    );
}

#[test]
fn compound_branches_merge_types_and_nullability() {
    check("SELECT title FROM todos UNION SELECT due FROM todos", "select | title: String?");
    check("SELECT id FROM todos EXCEPT SELECT id FROM users ORDER BY 1 LIMIT 2", "select | id: i64");
    check("VALUES (1, 'a'), (2, NULL)", "select | column1: i64, column2: String?");
}

#[test]
fn json_each_columns() {
    check("SELECT j.key AS \"key: String\", j.type FROM json_each('[1]') AS j", "select | key: String?, type: String");
}

// ---- parameters ----

#[test]
fn a_parameter_takes_the_type_of_the_column_it_is_compared_with() {
    check(
        "SELECT id FROM todos WHERE title = :title AND done = :done AND id > :after AND owner_id IN (:a, :b) AND due LIKE :pattern",
        "select | id: i64 | :title: String, :done: bool, :after: i64, :a: i64, :b: i64, :pattern: String",
    );
    check("SELECT id FROM todos WHERE :title = title", "select | id: i64 | :title: String");
    check(
        "SELECT id FROM todos WHERE (title, done) = (:title, :done)",
        "select | id: i64 | :title: String, :done: bool",
    );
    check(
        "SELECT id FROM todos WHERE id IN (SELECT owner_id FROM todos WHERE title = :t) AND :id IN (SELECT id FROM users)",
        "select | id: i64 | :t: String, :id: i64",
    );
}

#[test]
fn a_parameter_inserted_or_assigned_takes_the_columns_nullability() {
    check(
        "INSERT INTO todos (title, due, owner_id) VALUES (:title, :due, :owner)",
        "insert |  | :title: String, :due: String?, :owner: i64?",
    );
    check(
        "UPDATE todos SET title = :title, due = :due WHERE id = :id",
        "update |  | :title: String, :due: String?, :id: i64",
    );
    check(
        "INSERT INTO todos VALUES (:id, :title, :done, :due, :owner, :body)",
        "insert |  | :id: i64, :title: String, :done: bool, :due: String?, :owner: i64?, :body: Vec<u8>?",
    );
    check("INSERT INTO todos (title) SELECT :title", "insert |  | :title: String");
    check("UPDATE todos SET (title, due) = (:title, :due)", "update |  | :title: String, :due: String?");
}

#[test]
fn a_parameter_tested_for_null_is_nullable() {
    check(
        "SELECT id FROM todos WHERE (:done IS NULL OR done = :done) AND due IS :due",
        "select | id: i64 | :done: bool?, :due: String?",
    );
    check("SELECT id FROM todos WHERE coalesce(:owner, owner_id) = owner_id", "select | id: i64 | :owner: i64?");
}

#[test]
fn limit_and_offset_parameters_are_integers() {
    check("SELECT id FROM todos LIMIT :limit OFFSET :offset", "select | id: i64 | :limit: i64, :offset: i64");
}

#[test]
fn a_cast_says_a_parameters_type() {
    check("SELECT CAST(:n AS INTEGER) + 1 AS n", "select | n: i64 | :n: i64");
    check(
        "SELECT id FROM todos WHERE due > datetime('now', CAST(:offset AS TEXT))",
        "select | id: i64 | :offset: String",
    );
    check("SELECT id FROM todos WHERE substr(title, :start) = 'x'", "select | id: i64 | :start: i64");
}

#[test]
fn a_parameter_in_an_upsert_and_excluded() {
    check(
        "INSERT INTO settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value <> :old",
        "insert |  | :key: String, :value: String, :old: String",
    );
}

#[test]
fn the_tenant_parameter_is_text_wherever_it_is() {
    check("SELECT :tenant AS \"key\"", "select | key: String | :tenant: String");
    check("SELECT id FROM todos WHERE :tenant IS NOT NULL", "select | id: i64 | :tenant: String?");
    check_error(
        "SELECT id FROM todos WHERE id = :tenant",
        "Parameter `:tenant`: parameter `:tenant` is used as `String` (the tenant's key, which a tenant store binds) and as `i64` (compared with `todos.id`): use a parameter of its own for each type",
    );
}

#[test]
fn an_expression_without_an_alias_is_named_by_its_text_and_holds_no_annotation() {
    check(
        "SELECT (SELECT title FROM todos AS t WHERE t.id = :id + 1) FROM todos",
        "select | (SELECT title FROM todos AS t WHERE t.id = :id + 1): String? | :id: i64",
    );
    check(
        "SELECT iif(done = :done, title, NULL) FROM todos",
        "select | iif(done = :done, title, NULL): String? | :done: bool",
    );
}

#[test]
fn a_parameter_whose_type_cannot_be_inferred_is_a_problem() {
    check_error(
        "SELECT id FROM todos WHERE json_extract(title, '$.a') = :x",
        "Parameter `:x`: the type of parameter `:x` cannot be inferred: compare it with a column, or say its type with `CAST(:x AS INTEGER)` (or `REAL`, `TEXT`, `BLOB`, `BOOLEAN`)",
    );
}

#[test]
fn a_parameter_used_as_two_types_is_a_problem() {
    check_error(
        "SELECT id FROM todos WHERE title = :x OR id = :x",
        "Parameter `:x`: parameter `:x` is used as `String` (compared with `todos.title`) and as `i64` (compared with `todos.id`): use a parameter of its own for each type",
    );
}

#[test]
fn parameters_are_in_order_of_first_use_with_every_place() {
    let schema = schema();
    let sql =
        "SELECT id FROM todos WHERE owner_id = :owner AND title = :title AND (owner_id = :owner OR :owner IS NULL)";
    let checked = crate::check(&schema, sql).unwrap();
    let places: Vec<(String, Vec<&str>)> =
        checked.params.iter().map(|p| (p.name.clone(), p.spans.iter().map(|s| &sql[s.range()]).collect())).collect();
    assert_eq!(
        places,
        [("owner".to_owned(), vec![":owner", ":owner", ":owner"]), ("title".to_owned(), vec![":title"])]
    );
    assert!(checked.params[0].nullable);
}

// ---- statement classification ----

#[test]
fn statements_are_classified() {
    let schema = schema();
    let kind = |sql: &str| {
        let checked = crate::check(&schema, sql).unwrap();
        (checked.kind, checked.returns_rows(), checked.readonly)
    };
    assert_eq!(kind("SELECT id FROM todos"), (StatementKind::Select, true, true));
    assert_eq!(kind("WITH x AS (SELECT 1 AS a) SELECT a FROM x"), (StatementKind::Select, true, true));
    assert_eq!(kind("INSERT INTO todos (title) VALUES ('a')"), (StatementKind::Insert, false, false));
    assert_eq!(kind("REPLACE INTO settings (key, value) VALUES ('a', 'b')"), (StatementKind::Insert, false, false));
    assert_eq!(kind("INSERT INTO todos (title) VALUES ('a') RETURNING id"), (StatementKind::Insert, true, false));
    assert_eq!(kind("UPDATE todos SET done = 1"), (StatementKind::Update, false, false));
    assert_eq!(kind("UPDATE todos SET done = 1 RETURNING id"), (StatementKind::Update, true, false));
    assert_eq!(kind("DELETE FROM todos"), (StatementKind::Delete, false, false));
}

#[test]
fn fields_know_their_origin() {
    let schema = schema();
    let checked = crate::check(
        &schema,
        "SELECT t.title, u.name AS owner, 1 AS one FROM todos t JOIN users u ON u.id = t.owner_id",
    )
    .unwrap();
    let origins: Vec<Option<(String, String)>> =
        checked.fields.iter().map(|f| f.origin.as_ref().map(|o| (o.table.clone(), o.column.clone()))).collect();
    assert_eq!(
        origins,
        [Some(("todos".to_owned(), "title".to_owned())), Some(("users".to_owned(), "name".to_owned())), None]
    );
}

#[test]
fn no_prefix_of_a_query_makes_the_checker_panic() {
    let schema = schema();
    let queries = [
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i, (SELECT count(*) FROM todos) AS c FROM n",
        "INSERT INTO settings (key, value) VALUES (:key, 'x') ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key",
        "UPDATE todos SET (title, due) = (SELECT name, email FROM users WHERE id = todos.owner_id) WHERE id IN (SELECT todo_id FROM tags)",
        "SELECT CASE WHEN t.done THEN 'x' END AS \"s?: String\", lag(title) OVER (ORDER BY id) FROM todos t LEFT JOIN users u USING (id)",
    ];
    for sql in queries {
        for end in (0..=sql.len()).filter(|&end| sql.is_char_boundary(end)) {
            let _ = crate::check(&schema, &sql[..end]);
        }
    }
}
