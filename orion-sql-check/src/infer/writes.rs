//! Typing writes: the target table, what each value must be (`VALUES`, `SET`, upserts with
//! `excluded`), and the `RETURNING` columns.

use super::params::Evidence;
use super::{Infer, OutColumn, Relation, Scope, Value};
use crate::diagnostic::{DiagnosticKind, suggest};
use crate::schema::Table;
use crate::sql::*;

impl<'s> Infer<'s> {
    /// The target table of a write, or an opaque relation (and a problem) when unknown.
    fn target(&mut self, table: &Name, alias: Option<&Name>) -> (Relation, Option<&'s Table>) {
        let binding = alias.unwrap_or(table).text.clone();
        match self.schema.table(&table.text) {
            Some(found) => (Relation::from_table(found, binding), Some(found)),
            None => (self.named_relation(table, binding), None),
        }
    }

    pub(super) fn insert(&mut self, insert: &Insert) -> Vec<OutColumn> {
        let scoped = self.with(insert.with.as_ref(), None);
        let (relation, table) = self.target(&insert.table, insert.alias.as_ref());
        // The columns the values go to, in order.
        let targets: Vec<Option<(String, Value, bool)>> = match table {
            Some(table) if insert.columns.is_empty() => table
                .columns
                .iter()
                .filter(|c| c.generated.is_none())
                .map(|c| Some((format!("{}.{}", table.name, c.name), column_value(table, &c.name), c.rowid_alias)))
                .collect(),
            Some(table) => insert
                .columns
                .iter()
                .map(|name| match table.column(&name.text) {
                    Some(c) => {
                        Some((format!("{}.{}", table.name, c.name), column_value(table, &c.name), c.rowid_alias))
                    }
                    None => {
                        self.no_such_column_in(table, name);
                        None
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        if let Some(source) = &insert.source {
            for core in source.cores() {
                let exprs: Vec<Vec<&Expr>> = match core {
                    SelectCore::Values(values) => values.rows.iter().map(|row| row.iter().collect()).collect(),
                    SelectCore::Select(select) => vec![
                        select
                            .columns
                            .iter()
                            .filter_map(|c| match c {
                                ResultColumn::Expr { expr, .. } => Some(expr),
                                _ => None,
                            })
                            .collect(),
                    ],
                };
                for row in exprs {
                    for (expr, target) in row.into_iter().zip(&targets) {
                        if let Some((name, value, _)) = target {
                            let why = format!("inserted into `{name}`");
                            self.param_evidence(expr, Evidence::from_value(value, value.nullable, &why));
                        }
                    }
                }
            }
            self.query(source, None);
        }
        let mut scope = Scope::new(None);
        scope.relations.push(relation.clone());
        if !insert.upserts.is_empty() {
            let mut excluded = relation.clone();
            excluded.binding = Some("excluded".to_owned());
            scope.relations.push(excluded);
            for upsert in &insert.upserts {
                for expr in upsert.target.iter().chain(&upsert.target_where) {
                    self.expr(&scope, expr);
                }
                if let Some(update) = &upsert.update {
                    self.assignments(&scope, table, &update.assignments);
                    if let Some(where_) = &update.where_ {
                        self.expr(&scope, where_);
                    }
                }
            }
            scope.relations.pop();
        }
        let columns = self.result_columns(&scope, &insert.returning);
        self.pop_ctes(scoped);
        columns
    }

    fn assignments(&mut self, scope: &Scope<'_>, table: Option<&Table>, assignments: &[Assignment]) {
        for assignment in assignments {
            let mut targets = Vec::new();
            for name in &assignment.columns {
                match table.map(|t| (t, t.column(&name.text))) {
                    Some((table, Some(column))) => targets
                        .push(Some((format!("{}.{}", table.name, column.name), column_value(table, &column.name)))),
                    Some((table, None)) => {
                        self.no_such_column_in(table, name);
                        targets.push(None);
                    }
                    None => targets.push(None),
                }
            }
            match (&assignment.value.kind, targets.as_slice()) {
                (ExprKind::Row(items), _) => {
                    for (item, target) in items.iter().zip(&targets) {
                        if let Some((name, value)) = target {
                            let why = format!("assigned to `{name}`");
                            self.param_evidence(item, Evidence::from_value(value, value.nullable, &why));
                        }
                    }
                }
                (_, [Some((name, value))]) => {
                    let why = format!("assigned to `{name}`");
                    self.param_evidence(&assignment.value, Evidence::from_value(value, value.nullable, &why));
                }
                _ => {}
            }
            self.expr(scope, &assignment.value);
        }
    }

    fn no_such_column_in(&mut self, table: &Table, name: &Name) {
        let candidates: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let help = suggest(&name.text, &candidates).unwrap_or_else(|| {
            format!(
                "`{}` has {}",
                table.name,
                candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            )
        });
        self.problem(
            DiagnosticKind::NoSuchColumn,
            format!("table `{}` has no column named `{}`", table.name, name.text),
            help,
            name.span,
        );
    }

    pub(super) fn update(&mut self, update: &Update) -> Vec<OutColumn> {
        let scoped = self.with(update.with.as_ref(), None);
        let (relation, table) = self.target(&update.table, update.alias.as_ref());
        let mut scope = Scope::new(None);
        scope.relations.push(relation);
        if let Some(from) = &update.from {
            self.from(&mut scope, from);
            self.join_constraints(&scope, from);
        }
        self.assignments(&scope, table, &update.assignments);
        if let Some(where_) = &update.where_ {
            self.expr(&scope, where_);
        }
        scope.relations.truncate(1);
        let columns = self.result_columns(&scope, &update.returning);
        self.pop_ctes(scoped);
        columns
    }

    pub(super) fn delete(&mut self, delete: &Delete) -> Vec<OutColumn> {
        let scoped = self.with(delete.with.as_ref(), None);
        let (relation, _) = self.target(&delete.table, delete.alias.as_ref());
        let mut scope = Scope::new(None);
        scope.relations.push(relation);
        if let Some(where_) = &delete.where_ {
            self.expr(&scope, where_);
        }
        let columns = self.result_columns(&scope, &delete.returning);
        self.pop_ctes(scoped);
        columns
    }
}

/// A table column's value (type, nullability, origin).
fn column_value(table: &Table, name: &str) -> Value {
    let column = table.column(name).expect("the caller found the column");
    Value::column(column.ty, !column.not_null, &table.name, &column.name)
}
