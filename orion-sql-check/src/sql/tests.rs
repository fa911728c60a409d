//! The parser (precedence, every statement form, refusals) and the table-occurrence walk.

use super::*;

/// An expression fully parenthesised, to show how it was grouped.
fn group(sql: &str, expr: &Expr) -> String {
    let text = |e: &Expr| sql[e.span.range()].to_owned();
    match &expr.kind {
        ExprKind::Binary { op, left, right } => format!("({} {op:?} {})", group(sql, left), group(sql, right)),
        ExprKind::Unary { op, expr } => format!("({op:?} {})", group(sql, expr)),
        ExprKind::Like { negated, expr, pattern, escape, .. } => format!(
            "({} {}LIKE {}{})",
            group(sql, expr),
            if *negated { "NOT " } else { "" },
            group(sql, pattern),
            escape.as_ref().map_or_else(String::new, |e| format!(" ESCAPE {}", group(sql, e)))
        ),
        ExprKind::Between { negated, expr, low, high } => format!(
            "({} {}BETWEEN {} AND {})",
            group(sql, expr),
            if *negated { "NOT " } else { "" },
            group(sql, low),
            group(sql, high)
        ),
        ExprKind::IsNull { negated, expr } => {
            format!("({} {})", group(sql, expr), if *negated { "NOTNULL" } else { "ISNULL" })
        }
        ExprKind::InList { negated, expr, list } => format!(
            "({} {}IN [{}])",
            group(sql, expr),
            if *negated { "NOT " } else { "" },
            list.iter().map(|e| group(sql, e)).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Collate { expr, collation } => format!("({} COLLATE {})", group(sql, expr), collation.text),
        _ => text(expr),
    }
}

/// Parses `SELECT <expr>` and shows the grouping of the expression.
fn check_expr(expr: &str, expect: &str) {
    let sql = format!("SELECT {expr}");
    let Statement::Select(query) = parse(&sql).unwrap() else { panic!("not a select") };
    let SelectCore::Select(select) = &query.first else { panic!("not a select core") };
    let ResultColumn::Expr { expr, .. } = &select.columns[0] else { panic!("not an expression") };
    assert_eq!(group(&sql, expr), expect, "{sql}");
}

#[test]
fn operators_group_by_sqlites_precedence() {
    check_expr("a OR b AND c", "(a Or (b And c))");
    check_expr("NOT a = b AND c", "((Not (a Eq b)) And c)");
    check_expr("a = b < c", "(a Eq (b Lt c))");
    check_expr("a + b * c - d", "((a Add (b Mul c)) Sub d)");
    check_expr("a || b + c", "((a Concat b) Add c)");
    check_expr("-a * b", "((Neg a) Mul b)");
    check_expr("a & b + c", "(a BitAnd (b Add c))");
    check_expr("x BETWEEN 1 AND 2 AND y", "((x BETWEEN 1 AND 2) And y)");
    check_expr("x NOT LIKE 'a%' ESCAPE '!' OR y", "((x NOT LIKE 'a%' ESCAPE '!') Or y)");
    check_expr("x IS NOT NULL AND y ISNULL", "((x IsNot NULL) And (y ISNULL))");
    check_expr("x IS NOT DISTINCT FROM y", "(x Is y)");
    check_expr("x IS DISTINCT FROM y", "(x IsNot y)");
    check_expr("x NOT NULL", "(x NOTNULL)");
    check_expr("x NOT IN (1, 2) = 0", "((x NOT IN [1, 2]) Eq 0)");
    check_expr("a COLLATE nocase = b", "((a COLLATE nocase) Eq b)");
    check_expr("t.a -> '$.b' ->> 'c'", "((t.a Extract '$.b') ExtractValue 'c')");
}

#[test]
fn every_expression_form_parses() {
    for expr in [
        "CAST(x AS VARCHAR(10))",
        "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END",
        "CASE x WHEN 1 THEN 'a' END",
        "EXISTS (SELECT 1)",
        "NOT EXISTS (SELECT 1 FROM t)",
        "(SELECT max(a) FROM t)",
        "(a, b) = (1, 2)",
        "x IN (SELECT a FROM t)",
        "x IN t",
        "x IN json_each('[1]')",
        "x IN ()",
        "count(*) FILTER (WHERE a > 1)",
        "group_concat(DISTINCT a ORDER BY a)",
        "row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)",
        "sum(a) OVER w",
        "X'00ff' || 0x1F || 1_000 || 1.5e3 || .5",
        "CURRENT_TIMESTAMP",
        "main.t.a",
        "\"quoted name\" + [bracketed] + `back`",
        "TRUE AND FALSE",
        ":name",
    ] {
        let sql = format!("SELECT {expr}");
        parse(&sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
}

#[test]
fn every_statement_form_parses() {
    for sql in [
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c",
        "WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b",
        "SELECT DISTINCT a.* FROM a NATURAL LEFT OUTER JOIN b CROSS JOIN c INNER JOIN d USING (x, y) RIGHT JOIN e ON 1 FULL JOIN f ON 1",
        "SELECT a FROM t INDEXED BY i WHERE a GROUP BY a HAVING count(*) > 1 WINDOW w AS (ORDER BY a) ORDER BY 1 LIMIT 1, 2",
        "SELECT a FROM (SELECT 1 AS a) s, (t1 JOIN t2 ON 1) LIMIT 5 OFFSET 2",
        "VALUES (1, 2), (3, 4) UNION SELECT 5, 6",
        "INSERT OR IGNORE INTO t (a, b) VALUES (1, 2), (3, 4) RETURNING *",
        "REPLACE INTO t DEFAULT VALUES",
        "INSERT INTO main.t AS x SELECT * FROM u WHERE true ON CONFLICT (a COLLATE nocase) WHERE a > 0 DO UPDATE SET b = excluded.b WHERE x.b <> excluded.b ON CONFLICT DO NOTHING",
        "UPDATE OR REPLACE t AS x SET a = 1, (b, c) = (2, 3) FROM u JOIN v ON 1 WHERE x.id = u.id RETURNING x.a AS \"a: i64\"",
        "DELETE FROM t NOT INDEXED WHERE a IN (SELECT a FROM u) RETURNING a",
        "SELECT a FROM t;",
    ] {
        parse(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
}

#[test]
fn what_cannot_be_checked_is_refused_not_guessed() {
    let refused = |sql: &str| {
        let error = parse(sql).unwrap_err();
        (error.unsupported, error.message)
    };
    assert_eq!(
        refused("PRAGMA foreign_keys"),
        (
            true,
            "`PRAGMA` statements cannot be checked: a named query is one `SELECT`, `INSERT`, `UPDATE` or \
             `DELETE` statement"
                .to_owned()
        )
    );
    assert!(refused("ATTACH 'x' AS y").0);
    assert!(refused("UPDATE t SET a = 1 ORDER BY a LIMIT 1").0);
    assert!(refused("SELECT * FROM (a JOIN b) AS c").0);
    assert_eq!(refused("SELECT a FROM t t2 t3"), (false, "expected the end of the statement, found `t3`".to_owned()));
}

#[test]
fn statements_are_split_at_semicolons() {
    let sql = "SELECT 1; ; -- two\nSELECT ';'; /* end */";
    let spans: Vec<&str> = statement_spans(sql).unwrap().iter().map(|s| &sql[s.range()]).collect();
    assert_eq!(spans, ["SELECT 1", "SELECT ';'"]);
}

#[test]
fn spans_point_at_the_written_text() {
    let sql = "SELECT t.title AS name FROM todos AS t WHERE t.id = :id";
    let Statement::Select(query) = parse(sql).unwrap() else { panic!() };
    let SelectCore::Select(select) = &query.first else { panic!() };
    let ResultColumn::Expr { expr, alias } = &select.columns[0] else { panic!() };
    assert_eq!(&sql[expr.span.range()], "t.title");
    assert_eq!(&sql[alias.as_ref().unwrap().span.range()], "name");
    assert_eq!(&sql[select.from.as_ref().unwrap().first.span().range()], "todos AS t");
    assert_eq!(&sql[select.where_.as_ref().unwrap().span.range()], "t.id = :id");
    assert_eq!(&sql[query.span.range()], sql);
}

/// Every occurrence of `sql` as `name role [nullable] [cte] depth filters`, where filters are
/// the filter texts.
fn check_occurrences(sql: &str, expect: &[&str]) {
    let statement = parse(sql).unwrap();
    let shown: Vec<String> = occurrences(&statement)
        .iter()
        .map(|o| {
            let mut line = format!("{} {:?}", sql[o.span.range()].to_owned(), o.role);
            if o.nullable {
                line.push_str(" nullable");
            }
            if o.cte.is_some() {
                line.push_str(" cte");
            }
            line.push_str(&format!(" @{}", o.depth));
            for filter in &o.filters {
                line.push_str(&match filter {
                    Filter::Where(e) => format!(" where({})", &sql[e.span.range()]),
                    Filter::On(e) => format!(" on({})", &sql[e.span.range()]),
                    Filter::Using(columns) => {
                        format!(" using({})", columns.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(", "))
                    }
                    Filter::Natural => " natural".to_owned(),
                });
            }
            line
        })
        .collect();
    assert_eq!(shown, expect, "{sql}");
}

#[test]
fn occurrences_of_joins_carry_the_filters_that_hold_for_their_rows() {
    check_occurrences(
        "SELECT * FROM a JOIN b ON b.x = a.x LEFT JOIN c ON c.t = 1 WHERE a.t = 1",
        &[
            "a Read @0 on(b.x = a.x) where(a.t = 1)",
            "b Read @0 on(b.x = a.x) where(a.t = 1)",
            "c Read nullable @0 on(c.t = 1) on(b.x = a.x) where(a.t = 1)",
        ],
    );
    // The `ON` of a `LEFT JOIN` does not filter its left side.
    check_occurrences(
        "SELECT * FROM a LEFT JOIN b ON b.x = a.x AND a.t = 1",
        &["a Read @0", "b Read nullable @0 on(b.x = a.x AND a.t = 1)"],
    );
    check_occurrences("SELECT * FROM a RIGHT JOIN b ON a.t = 1", &["a Read nullable @0 on(a.t = 1)", "b Read @0"]);
    check_occurrences("SELECT * FROM a FULL JOIN b ON a.t = b.t", &["a Read nullable @0", "b Read nullable @0"]);
    check_occurrences(
        "SELECT * FROM a AS x, a AS y WHERE x.t = 1",
        &["a AS x Read @0 where(x.t = 1)", "a AS y Read @0 where(x.t = 1)"],
    );
    check_occurrences(
        "SELECT * FROM a JOIN b USING (t) NATURAL JOIN c",
        &["a Read @0 using(t) natural", "b Read @0 using(t) natural", "c Read @0 using(t) natural"],
    );
}

#[test]
fn occurrences_inside_subqueries_have_their_own_filters() {
    check_occurrences(
        "SELECT (SELECT max(x) FROM b WHERE b.t = 2) FROM a WHERE a.t = 1 AND EXISTS (SELECT 1 FROM c) AND a.id IN (SELECT id FROM d WHERE d.t = 3) AND a.id IN e",
        &[
            "a Read @0 where(a.t = 1 AND EXISTS (SELECT 1 FROM c) AND a.id IN (SELECT id FROM d WHERE d.t = 3) AND a.id IN e)",
            "b Read @1 where(b.t = 2)",
            "c Read @1",
            "d Read @1 where(d.t = 3)",
            "e Read @1",
        ],
    );
    check_occurrences(
        "SELECT * FROM (SELECT * FROM a WHERE a.t = 1) AS s JOIN b ON b.id = s.id WHERE b.t = 2",
        &["a Read @1 where(a.t = 1)", "b Read @0 on(b.id = s.id) where(b.t = 2)"],
    );
}

#[test]
fn occurrences_of_ctes_and_compound_branches() {
    check_occurrences(
        "WITH x AS (SELECT * FROM a WHERE t = 1) SELECT * FROM x UNION SELECT * FROM b WHERE t = 2",
        &["a Read @1 where(t = 1)", "x Read cte @0", "b Read @0 where(t = 2)"],
    );
    // A table named like a CTE in another statement's scope is a table.
    check_occurrences("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x), x", &["x Read cte @1", "x Read @0"]);
}

#[test]
fn occurrences_of_writes() {
    check_occurrences(
        "INSERT INTO a (t, v) SELECT t, v FROM b WHERE t = 1",
        &["a Insert @0", "b Read @0 where(t = 1)"],
    );
    check_occurrences("REPLACE INTO a (t) VALUES (1)", &["a Insert @0", "a ReplaceDelete @0"]);
    check_occurrences(
        "INSERT INTO a (t, k) VALUES (1, 2) ON CONFLICT (k) DO UPDATE SET v = 1 WHERE a.t = 1",
        &["a Insert @0", "ON CONFLICT (k) DO UPDATE SET v = 1 WHERE a.t = 1 UpsertUpdate @0 where(a.t = 1)"],
    );
    check_occurrences("INSERT INTO a (t) VALUES (1) ON CONFLICT DO NOTHING", &["a Insert @0"]);
    check_occurrences(
        "UPDATE a SET v = (SELECT v FROM c) FROM b JOIN d ON d.id = b.id WHERE a.t = 1",
        &[
            "a Update @0 on(d.id = b.id) where(a.t = 1)",
            "b Read @0 on(d.id = b.id) where(a.t = 1)",
            "d Read @0 on(d.id = b.id) where(a.t = 1)",
            "c Read @1",
        ],
    );
    check_occurrences("UPDATE OR REPLACE a SET k = 1 WHERE t = 1", &["a Update @0 where(t = 1)", "a ReplaceDelete @0"]);
    check_occurrences(
        "DELETE FROM a WHERE t = 1 RETURNING (SELECT 1 FROM b)",
        &["a Delete @0 where(t = 1)", "b Read @1"],
    );
}

#[test]
fn conjuncts_split_top_level_ands() {
    let sql = "SELECT 1 WHERE a = 1 AND (b = 2 AND c = 3) AND (d OR e)";
    let Statement::Select(query) = parse(sql).unwrap() else { panic!() };
    let SelectCore::Select(select) = &query.first else { panic!() };
    let parts: Vec<&str> = select.where_.as_ref().unwrap().conjuncts().iter().map(|e| &sql[e.span.range()]).collect();
    assert_eq!(parts, ["a = 1", "b = 2", "c = 3", "(d OR e)"]);
}
