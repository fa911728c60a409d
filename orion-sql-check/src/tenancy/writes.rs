//! The rules for writes: which rows an `INSERT`, `UPDATE`, upsert or `REPLACE` touches, and
//! what proves they are the tenant's.
//!
//! - `INSERT` sets the tenant column to exactly the key in every row: each `VALUES` row, or
//!   the selected value of `INSERT … SELECT` (the key, or the tenant column of a tenant table
//!   the `SELECT` reads — whose own occurrence is proven like any read).
//! - `UPDATE` is proven by its `WHERE` (the rows it changes) and never sets the tenant
//!   column to anything but the key (that would move rows to another tenant).
//! - `ON CONFLICT … DO UPDATE` updates the existing row an insert conflicts with: proven when
//!   the conflict target includes the tenant column (the conflicting row then has the
//!   inserted row's key, compared exactly: tenant columns are `BINARY`), or when its
//!   `DO UPDATE … WHERE` constrains the existing row to the key.
//! - `OR REPLACE` (and a table's own `ON CONFLICT REPLACE`) deletes the rows a write collides
//!   with on any unique key: proven when every unique key of the table includes the tenant
//!   column, and the write does not set the rowid (a rowid is unique without one).

use super::analysis::{Act, Analysis, Place, subject};
use super::effects::Write;
use super::key::Subject;
use super::shape::Site;
use crate::schema::Table;
use crate::sql::{
    Assignment, ExprKind, Filter, Insert, Occurrence, ResultColumn, Select, SelectCore, Span, Statement, TableRef,
    Update, Upsert, lexer_tokens,
};

/// Names of the rowid.
const ROWID: [&str; 3] = ["rowid", "oid", "_rowid_"];

impl Analysis<'_> {
    pub(super) fn insert(
        &mut self,
        insert: &Insert,
        occurrence: &Occurrence<'_>,
        table: &Table,
        column: Option<&str>,
        accessor: Option<&str>,
        place: &Place<'_>,
    ) {
        let proven = match column {
            Some(column) => {
                self.touched = true;
                let proven = self.inserted_key(insert, table, column, place);
                if proven {
                    self.account(accessor, &table.name, Act::Insert);
                    self.account(accessor, &table.name, Act::Read);
                }
                proven
            }
            None => false,
        };
        if insert.or.is_none() && replaces_on_conflict(table) {
            self.replace_rows(insert_sets_rowid(insert, table), table, column, accessor, place, occurrence.span, true);
        }
        let what = format!("the insert into `{}`", table.name);
        self.effects(&table.name, &Write::Insert, proven, accessor, place, occurrence.span, &what);
    }

    /// Whether every row `insert` inserts has the key in `column`; reports each that does not.
    fn inserted_key(&mut self, insert: &Insert, table: &Table, column: &str, place: &Place<'_>) -> bool {
        let key = place.keys.example();
        let position = if insert.columns.is_empty() {
            table.columns.iter().filter(|c| c.generated.is_none()).position(|c| c.name.eq_ignore_ascii_case(column))
        } else {
            insert.columns.iter().position(|c| c.is(column))
        };
        let (Some(position), Some(source)) = (position, &insert.source) else {
            self.problem(
                place,
                insert.table.span,
                format!("the insert into `{}` does not set its tenant column `{column}`", table.name),
                format!("add `{column}` to the inserted columns, with the value `{key}`"),
            );
            return false;
        };
        let mut proven = true;
        for core in source.cores() {
            match core {
                SelectCore::Values(values) => {
                    for row in &values.rows {
                        let Some(value) = row.get(position) else {
                            proven = false;
                            continue;
                        };
                        if !place.keys.is_key(value) {
                            proven = false;
                            self.problem(
                                place,
                                value.span,
                                format!(
                                    "the insert into `{}` sets its tenant column `{column}` to `{}`, not to the tenant",
                                    table.name,
                                    place.fragment(value.span)
                                ),
                                format!("insert `{key}` (the tenant store binds it)"),
                            );
                        }
                    }
                }
                SelectCore::Select(select) => {
                    if !self.selects_key(select, position, column, table, place) {
                        proven = false;
                    }
                }
            }
        }
        proven
    }

    /// Whether the result column at `position` of `select` is the key: `:tenant`, or the
    /// tenant column of a tenant table (or keyed view) it reads.
    fn selects_key(
        &mut self,
        select: &Select,
        position: usize,
        column: &str,
        table: &Table,
        place: &Place<'_>,
    ) -> bool {
        let key = place.keys.example();
        if select.columns.iter().any(|c| !matches!(c, ResultColumn::Expr { .. })) {
            self.problem(
                place,
                select.span,
                format!(
                    "the insert into `{}` selects `*`, so its tenant column `{column}` cannot be checked",
                    table.name
                ),
                format!("list the selected columns, with `{key}` for `{column}`"),
            );
            return false;
        }
        let Some(ResultColumn::Expr { expr, .. }) = select.columns.get(position) else { return false };
        if place.keys.is_key(expr) {
            return true;
        }
        if let ExprKind::Column { schema: None, table: qualifier, column: selected } = &expr.kind
            && let Some(from) = &select.from
        {
            let items = from_items(from);
            let sole = items.len() == 1;
            for item in items {
                let TableRef::Table { name, alias, span, .. } = item else { continue };
                let exposed = alias.as_ref().unwrap_or(name).text.as_str();
                let matches = match qualifier {
                    Some(q) => q.is(exposed),
                    None => sole,
                };
                if !matches {
                    continue;
                }
                let tenant = match self.schema.tenant_column(&name.text) {
                    Some(c) => Some(c.to_owned()),
                    None => self.schema.view(&name.text).and_then(|view| self.view_verdict(view).column()),
                };
                if tenant.is_some_and(|t| selected.is(&t)) {
                    // The source's own occurrence must be proven (it is reported otherwise).
                    return self.proven_reads.contains(span);
                }
            }
        }
        self.problem(
            place,
            expr.span,
            format!(
                "the insert into `{}` sets its tenant column `{column}` to `{}`, which is not the tenant",
                table.name,
                place.fragment(expr.span)
            ),
            format!("select `{key}`, or the tenant column of a tenant-scoped table the query reads"),
        );
        false
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn update(
        &mut self,
        update: &Update,
        occurrence: &Occurrence<'_>,
        table: &Table,
        column: Option<&str>,
        site: &Site<'_>,
        accessor: Option<&str>,
        place: &Place<'_>,
    ) {
        let assigned = assigned(&update.assignments);
        let proven = match column {
            Some(column) => {
                self.touched = true;
                let subject = subject(occurrence, column, site);
                let old = subject.proven(&place.keys, &occurrence.filters);
                if !old {
                    self.unscoped(occurrence, subject, site, place);
                }
                let new = self.keeps_key(&update.assignments, table, column, None, place);
                if old && new {
                    self.account(accessor, &table.name, Act::Update);
                    self.account(accessor, &table.name, Act::Read);
                }
                old && new
            }
            None => false,
        };
        if update.or.is_none() && replaces_on_conflict(table) {
            self.replace_rows(update_sets_rowid(update, table), table, column, accessor, place, occurrence.span, true);
        }
        let what = format!("the update of `{}`", table.name);
        self.effects(&table.name, &Write::Update(assigned), proven, accessor, place, occurrence.span, &what);
    }

    pub(super) fn upsert(
        &mut self,
        insert: &Insert,
        upsert: &Upsert,
        table: &Table,
        column: Option<&str>,
        accessor: Option<&str>,
        place: &Place<'_>,
    ) {
        let Some(update) = &upsert.update else { return };
        let exposed = insert.alias.as_ref().unwrap_or(&insert.table).text.as_str();
        let proven = match column {
            Some(column) => {
                self.touched = true;
                // In `ON CONFLICT` and `DO UPDATE`, an unqualified column is the existing row's.
                let subject = Subject { exposed, column, unqualified: true };
                let target = upsert.target.iter().any(|e| subject.is_column(e));
                let filtered = update.where_.as_ref().is_some_and(|w| subject.proven(&place.keys, &[Filter::Where(w)]));
                if !target && !filtered {
                    let shown = if upsert.target.is_empty() {
                        "`ON CONFLICT DO UPDATE` has no conflict target".to_owned()
                    } else {
                        format!("its conflict target does not include `{column}`")
                    };
                    self.problem(
                        place,
                        upsert.span,
                        format!(
                            "`ON CONFLICT … DO UPDATE` may update a row of another tenant in `{}`: {shown}",
                            table.name
                        ),
                        format!(
                            "name a unique key that includes the tenant column, e.g. `ON CONFLICT ({column}, …)` \
                             with `UNIQUE ({column}, …)` on `{}`, or add `WHERE {column} = {}` to the `DO UPDATE`",
                            table.name,
                            place.keys.example()
                        ),
                    );
                }
                let kept = self.keeps_key(&update.assignments, table, column, Some(column), place);
                let proven = (target || filtered) && kept;
                if proven {
                    self.account(accessor, &table.name, Act::Update);
                    self.account(accessor, &table.name, Act::Read);
                }
                proven
            }
            None => false,
        };
        let what = format!("the upsert into `{}`", table.name);
        self.effects(
            &table.name,
            &Write::Update(assigned(&update.assignments)),
            proven,
            accessor,
            place,
            upsert.span,
            &what,
        );
    }

    /// Whether `assignments` leave the tenant column alone (or set it to the key, or, in an
    /// upsert, to `excluded.<column>`); reports each that moves rows.
    fn keeps_key(
        &mut self,
        assignments: &[Assignment],
        table: &Table,
        column: &str,
        excluded: Option<&str>,
        place: &Place<'_>,
    ) -> bool {
        let mut kept = true;
        for assignment in assignments {
            for (i, assigned) in assignment.columns.iter().enumerate() {
                if !assigned.is(column) {
                    continue;
                }
                let value = if assignment.columns.len() == 1 {
                    Some(&assignment.value)
                } else {
                    match &assignment.value.kind {
                        ExprKind::Row(items) if items.len() == assignment.columns.len() => items.get(i),
                        _ => None,
                    }
                };
                let is_excluded = |e: &crate::sql::Expr| {
                    matches!(&e.kind, ExprKind::Column { schema: None, table: Some(t), column: c }
                        if t.is("excluded") && excluded.is_some_and(|x| c.is(x)))
                };
                if value.is_some_and(|v| place.keys.is_key(v) || is_excluded(v)) {
                    continue;
                }
                kept = false;
                let span = value.map_or(assignment.value.span, |v| v.span);
                self.problem(
                    place,
                    span,
                    format!(
                        "`SET {column} = {}` moves rows of `{}` to another tenant",
                        place.fragment(span),
                        table.name
                    ),
                    format!(
                        "remove the assignment (a row stays with its tenant), or assign `{}`",
                        place.keys.example()
                    ),
                );
            }
        }
        kept
    }

    /// `OR REPLACE`: the rows a write collides with are deleted.
    pub(super) fn replace(
        &mut self,
        statement: &Statement,
        table: &Table,
        column: Option<&str>,
        accessor: Option<&str>,
        place: &Place<'_>,
        span: Span,
    ) {
        let sets_rowid = match statement {
            Statement::Insert(insert) => insert_sets_rowid(insert, table),
            Statement::Update(update) => update_sets_rowid(update, table),
            _ => false,
        };
        self.replace_rows(sets_rowid, table, column, accessor, place, span, false);
    }

    #[allow(clippy::too_many_arguments)]
    fn replace_rows(
        &mut self,
        sets_rowid: bool,
        table: &Table,
        column: Option<&str>,
        accessor: Option<&str>,
        place: &Place<'_>,
        span: Span,
        declared: bool,
    ) {
        let proven = match column {
            Some(column) => {
                self.touched = true;
                match collision_risk(table, column, sets_rowid) {
                    None => {
                        self.account(accessor, &table.name, Act::Delete);
                        true
                    }
                    Some(key) => {
                        let how = if declared {
                            format!("`{}` declares `ON CONFLICT REPLACE`, so this write", table.name)
                        } else {
                            "`OR REPLACE`".to_owned()
                        };
                        self.problem(
                            place,
                            span,
                            format!(
                                "{how} may delete a row of another tenant: the unique key {key} of `{}` does not \
                                 include the tenant column `{column}`",
                                table.name
                            ),
                            format!(
                                "use `ON CONFLICT ({column}, …) DO UPDATE` instead, or make every unique key of `{}` \
                                 include `{column}` (and don't set the rowid)",
                                table.name
                            ),
                        );
                        false
                    }
                }
            }
            None => false,
        };
        let what = format!("the `REPLACE` into `{}`", table.name);
        self.effects(&table.name, &Write::Delete, proven, accessor, place, span, &what);
    }
}

/// The columns `assignments` set.
fn assigned(assignments: &[Assignment]) -> Vec<String> {
    assignments.iter().flat_map(|a| a.columns.iter().map(|c| c.text.clone())).collect()
}

/// Whether `insert` sets the rowid (an implicit column list includes the `INTEGER PRIMARY KEY`).
fn insert_sets_rowid(insert: &Insert, table: &Table) -> bool {
    if insert.columns.is_empty() {
        table.rowid_alias().is_some()
    } else {
        insert.columns.iter().any(|c| is_rowid(table, &c.text))
    }
}

fn update_sets_rowid(update: &Update, table: &Table) -> bool {
    update.assignments.iter().flat_map(|a| &a.columns).any(|c| is_rowid(table, &c.text))
}

/// Whether `name` is the rowid of `table` (or its `INTEGER PRIMARY KEY`).
fn is_rowid(table: &Table, name: &str) -> bool {
    ROWID.iter().any(|r| r.eq_ignore_ascii_case(name))
        || table.rowid_alias().is_some_and(|c| c.name.eq_ignore_ascii_case(name))
}

/// The first unique key of `table` a colliding row of another tenant could match, if any.
fn collision_risk(table: &Table, column: &str, sets_rowid: bool) -> Option<String> {
    if sets_rowid && !table.without_rowid {
        return Some(match table.rowid_alias() {
            Some(alias) => format!("`{}` (the `INTEGER PRIMARY KEY`, which the write sets)", alias.name),
            None => "`rowid` (which the write sets)".to_owned(),
        });
    }
    table
        .unique_keys
        .iter()
        .find(|key| !key.columns.iter().any(|c| c.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(column))))
        .map(|key| {
            let columns: Vec<&str> = key.columns.iter().map(|c| c.as_deref().unwrap_or("<expression>")).collect();
            format!("`{}` ({})", key.index, columns.join(", "))
        })
}

/// Whether the table's own constraints say `ON CONFLICT REPLACE`.
pub(super) fn replaces_on_conflict(table: &Table) -> bool {
    let Ok(tokens) = lexer_tokens(&table.sql) else { return true };
    tokens.windows(3).any(|w| w[0].is_word("ON") && w[1].is_word("CONFLICT") && w[2].is_word("REPLACE"))
}

/// The tables and subqueries of a `FROM` clause, parenthesised joins flattened.
pub(super) fn from_items(from: &crate::sql::FromClause) -> Vec<&TableRef> {
    let mut items = Vec::new();
    for item in from.tables() {
        match item {
            TableRef::Nested { from, .. } => items.extend(from_items(from)),
            other => items.push(other),
        }
    }
    items
}
