//! Every place a statement names a table, with the predicates that restrict its rows: what a
//! tenancy proof walks.
//!
//! [`occurrences`] visits the whole tree: `FROM` and joins at any depth, subqueries in any
//! expression (`EXISTS`, `IN (SELECT …)`, scalar subqueries, in `SET`, `VALUES`, `RETURNING`,
//! `LIMIT`…), `x IN table`, common table expressions and their references, every branch of a
//! compound `SELECT`, the `INSERT … SELECT` source, the target of `INSERT`/`UPDATE`/`DELETE`,
//! the rows an upsert updates and the rows `OR REPLACE` may delete.
//!
//! What it does not do: it does not look inside views (a view's name is an occurrence; its
//! body is in [`Schema::view`](crate::Schema::view)) or triggers (see
//! [`Schema::triggers`](crate::Schema::triggers) and [`accesses`](crate::accesses), which
//! reports what the triggers a statement fires touch), and a filter is only ever a predicate
//! of the occurrence's own query block: a `WHERE` outside a subquery, or on a common table
//! expression's reference, is not copied onto the tables inside it.

use super::ast::*;

/// One place a statement names a table, view or common table expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence<'a> {
    /// The schema, when written (`main.todos`).
    pub schema: Option<&'a Name>,
    /// The name as written.
    pub name: &'a Name,
    /// The alias, when written; columns of this occurrence are qualified with it.
    pub alias: Option<&'a Name>,
    /// The table reference (for a target, its name; for an upsert, the `ON CONFLICT` clause).
    pub span: Span,
    /// What the statement does with its rows.
    pub role: Role,
    /// The common table expression the name refers to, `None` for a table or view.
    pub cte: Option<&'a Cte>,
    /// The predicates that hold for every row of this occurrence the statement reads or
    /// writes (see [`Filter`]).
    pub filters: Vec<Filter<'a>>,
    /// Whether an outer join can put a row of NULLs in its place (the right side of a
    /// `LEFT JOIN`, the left side of a `RIGHT JOIN`, both sides of a `FULL JOIN`).
    pub nullable: bool,
    /// 0 for the statement's own `FROM` and target; one more for each subquery or common
    /// table expression around it.
    pub depth: usize,
}

/// What a statement does with the rows of an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads them (`FROM`, joins, subqueries, `x IN table`).
    Read,
    /// Inserts into the table (the values are the statement's `source` and `columns`).
    Insert,
    /// Updates the rows that pass the filters (the values are the `SET` assignments).
    Update,
    /// Deletes the rows that pass the filters.
    Delete,
    /// `ON CONFLICT … DO UPDATE`: updates the existing rows an insert conflicts with; the
    /// filters are the `DO UPDATE … WHERE`.
    UpsertUpdate,
    /// `OR REPLACE` (and `REPLACE INTO`): deletes the existing rows a write conflicts with,
    /// whatever they are. Never filtered.
    ReplaceDelete,
}

/// A predicate that holds for every row of an occurrence the statement uses.
///
/// The rules, per query block: the block's `WHERE` filters every occurrence in it (a
/// null-extended row of an outer join is all NULLs, so it carries nothing). The `ON`,
/// `USING` or `NATURAL` of an inner, cross or comma join filters every occurrence of the
/// `FROM` clause it is in; of a `LEFT JOIN`, only the occurrences of its right side; of a
/// `RIGHT JOIN`, only those to its left; of a `FULL JOIN`, none. `HAVING` filters groups,
/// not rows, so it is never a filter. An `UPDATE … FROM` joins the target like a comma join.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filter<'a> {
    /// A `WHERE` clause (of the block, of an `UPDATE`/`DELETE`, or of `DO UPDATE`).
    Where(&'a Expr),
    /// A join's `ON` clause.
    On(&'a Expr),
    /// A join's `USING (columns)`: the named columns equal those of the tables to its left.
    Using(&'a [Name]),
    /// A `NATURAL` join: every column name both sides share is equal.
    Natural,
}

/// Every table occurrence of `statement`, in the order written (common table expressions
/// first).
pub fn occurrences(statement: &Statement) -> Vec<Occurrence<'_>> {
    let mut walk = Walk::default();
    match statement {
        Statement::Select(query) => walk.query(query, 0),
        Statement::Insert(insert) => walk.insert(insert),
        Statement::Update(update) => walk.update(update),
        Statement::Delete(delete) => walk.delete(delete),
    }
    walk.found
}

#[derive(Default)]
struct Walk<'a> {
    found: Vec<Occurrence<'a>>,
    /// The common table expressions in scope, innermost last.
    ctes: Vec<&'a Cte>,
}

impl<'a> Walk<'a> {
    fn cte(&self, schema: Option<&Name>, name: &Name) -> Option<&'a Cte> {
        if schema.is_some() {
            return None;
        }
        self.ctes.iter().rev().find(|cte| cte.name.is(&name.text)).copied()
    }

    /// Walks a `WITH` clause and returns how many names it put in scope.
    fn with(&mut self, with: Option<&'a With>, depth: usize) -> usize {
        let Some(with) = with else { return 0 };
        for cte in &with.ctes {
            // A common table expression sees itself (recursion) and those before it.
            self.ctes.push(cte);
            self.query(&cte.query, depth + 1);
        }
        with.ctes.len()
    }

    fn pop(&mut self, count: usize) {
        self.ctes.truncate(self.ctes.len() - count);
    }

    fn query(&mut self, query: &'a Query, depth: usize) {
        let scoped = self.with(query.with.as_ref(), depth);
        for core in query.cores() {
            self.core(core, depth);
        }
        for term in &query.order_by {
            self.expr(&term.expr, depth);
        }
        self.limit(query.limit.as_ref(), depth);
        self.pop(scoped);
    }

    fn limit(&mut self, limit: Option<&'a Limit>, depth: usize) {
        if let Some(limit) = limit {
            self.expr(&limit.limit, depth);
            if let Some(offset) = &limit.offset {
                self.expr(offset, depth);
            }
        }
    }

    fn core(&mut self, core: &'a SelectCore, depth: usize) {
        match core {
            SelectCore::Values(values) => values.rows.iter().flatten().for_each(|e| self.expr(e, depth)),
            SelectCore::Select(select) => {
                let first = self.found.len();
                if let Some(from) = &select.from {
                    self.from(from, depth);
                }
                self.filter_block(first, depth, select.where_.as_ref());
                for column in &select.columns {
                    self.result_column(column, depth);
                }
                for expr in select.where_.iter().chain(&select.group_by).chain(&select.having) {
                    self.expr(expr, depth);
                }
                for (_, window) in &select.windows {
                    self.window(window, depth);
                }
            }
        }
    }

    /// Adds the block's `WHERE` to the occurrences of the block's own `FROM` (those found
    /// from `first` at the block's depth; deeper ones belong to subqueries).
    fn filter_block(&mut self, first: usize, depth: usize, where_: Option<&'a Expr>) {
        let Some(where_) = where_ else { return };
        for occurrence in self.found[first..].iter_mut().filter(|o| o.depth == depth) {
            occurrence.filters.push(Filter::Where(where_));
        }
    }

    /// Walks a `FROM` clause: its occurrences, with join filters and nullability. Returns the
    /// filters of its inner joins, which hold for every row the clause produces (an
    /// `UPDATE … FROM` gives them to its target too).
    fn from(&mut self, from: &'a FromClause, depth: usize) -> Vec<Filter<'a>> {
        let start = self.found.len();
        let mut clause_wide: Vec<Filter<'a>> = Vec::new();
        self.table_ref(&from.first, depth);
        for join in &from.joins {
            let begin = self.found.len();
            self.table_ref(&join.table, depth);
            let end = self.found.len();
            let filter = match &join.constraint {
                Some(JoinConstraint::On(expr)) => Some(Filter::On(expr)),
                Some(JoinConstraint::Using(columns)) => Some(Filter::Using(columns)),
                None if join.natural => Some(Filter::Natural),
                None => None,
            };
            let (range, nullable, filtered) = match join.kind {
                JoinKind::Left => (begin..end, true, true),
                JoinKind::Right => (start..begin, true, true),
                JoinKind::Full => (start..end, true, false),
                JoinKind::Inner | JoinKind::Cross | JoinKind::Comma => {
                    clause_wide.extend(filter);
                    (start..end, false, false)
                }
            };
            for occurrence in self.found[range].iter_mut().filter(|o| o.depth == depth) {
                occurrence.nullable |= nullable;
                if filtered {
                    occurrence.filters.extend(filter);
                }
            }
            if let Some(JoinConstraint::On(expr)) = &join.constraint {
                self.expr(expr, depth);
            }
        }
        let end = self.found.len();
        for occurrence in self.found[start..end].iter_mut().filter(|o| o.depth == depth) {
            occurrence.filters.extend(clause_wide.iter().copied());
        }
        clause_wide
    }

    fn table_ref(&mut self, table: &'a TableRef, depth: usize) {
        match table {
            TableRef::Table { schema, name, alias, span } => {
                let cte = self.cte(schema.as_ref(), name);
                self.found.push(Occurrence {
                    schema: schema.as_ref(),
                    name,
                    alias: alias.as_ref(),
                    span: *span,
                    role: Role::Read,
                    cte,
                    filters: Vec::new(),
                    nullable: false,
                    depth,
                });
            }
            TableRef::Function { args, .. } => args.iter().for_each(|e| self.expr(e, depth)),
            TableRef::Subquery { query, .. } => self.query(query, depth + 1),
            TableRef::Nested { from, .. } => {
                self.from(from, depth);
            }
        }
    }

    fn result_column(&mut self, column: &'a ResultColumn, depth: usize) {
        if let ResultColumn::Expr { expr, .. } = column {
            self.expr(expr, depth);
        }
    }

    fn window(&mut self, window: &'a WindowSpec, depth: usize) {
        for expr in window.partition_by.iter().chain(window.order_by.iter().map(|t| &t.expr)) {
            self.expr(expr, depth);
        }
        for expr in window.frame.iter().flatten() {
            self.expr(expr, depth);
        }
    }

    /// Finds the subqueries and `IN table`s inside an expression.
    fn expr(&mut self, expr: &'a Expr, depth: usize) {
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::Column { .. } | ExprKind::Raise => {}
            ExprKind::Unary { expr, .. } | ExprKind::Collate { expr, .. } | ExprKind::IsNull { expr, .. } => {
                self.expr(expr, depth)
            }
            ExprKind::Cast { expr, .. } => self.expr(expr, depth),
            ExprKind::Binary { left, right, .. } => {
                self.expr(left, depth);
                self.expr(right, depth);
            }
            ExprKind::Like { expr, pattern, escape, .. } => {
                self.expr(expr, depth);
                self.expr(pattern, depth);
                if let Some(escape) = escape {
                    self.expr(escape, depth);
                }
            }
            ExprKind::Between { expr, low, high, .. } => {
                for e in [expr, low, high] {
                    self.expr(e, depth);
                }
            }
            ExprKind::InList { expr, list, .. } => {
                self.expr(expr, depth);
                list.iter().for_each(|e| self.expr(e, depth));
            }
            ExprKind::InQuery { expr, query, .. } => {
                self.expr(expr, depth);
                self.query(query, depth + 1);
            }
            ExprKind::InTable { expr, schema, table, args, .. } => {
                self.expr(expr, depth);
                match args {
                    Some(args) => args.iter().for_each(|e| self.expr(e, depth)),
                    None => {
                        let cte = self.cte(schema.as_ref(), table);
                        self.found.push(Occurrence {
                            schema: schema.as_ref(),
                            name: table,
                            alias: None,
                            span: table.span,
                            role: Role::Read,
                            cte,
                            filters: Vec::new(),
                            nullable: false,
                            depth: depth + 1,
                        });
                    }
                }
            }
            ExprKind::Exists { query, .. } | ExprKind::Subquery(query) => self.query(query, depth + 1),
            ExprKind::Row(items) => items.iter().for_each(|e| self.expr(e, depth)),
            ExprKind::Case { operand, whens, else_ } => {
                if let Some(operand) = operand {
                    self.expr(operand, depth);
                }
                for (when, then) in whens {
                    self.expr(when, depth);
                    self.expr(then, depth);
                }
                if let Some(else_) = else_ {
                    self.expr(else_, depth);
                }
            }
            ExprKind::Function(call) => {
                call.args.iter().for_each(|e| self.expr(e, depth));
                call.order_by.iter().for_each(|t| self.expr(&t.expr, depth));
                if let Some(filter) = &call.filter {
                    self.expr(filter, depth);
                }
                if let Some(Over::Spec(window)) = &call.over {
                    self.window(window, depth);
                }
            }
        }
    }

    fn target(&mut self, write: Target<'a>, role: Role, span: Span, filters: Vec<Filter<'a>>) {
        self.found.push(Occurrence {
            schema: write.schema,
            name: write.table,
            alias: write.alias,
            span,
            role,
            cte: None,
            filters,
            nullable: false,
            depth: 0,
        });
    }

    fn insert(&mut self, insert: &'a Insert) {
        let scoped = self.with(insert.with.as_ref(), 0);
        let target = Target { schema: insert.schema.as_ref(), table: &insert.table, alias: insert.alias.as_ref() };
        self.target(target, Role::Insert, insert.table.span, Vec::new());
        if insert.or == Some(Conflict::Replace) {
            self.target(target, Role::ReplaceDelete, insert.table.span, Vec::new());
        }
        if let Some(source) = &insert.source {
            // The rows inserted come from a query of their own (`VALUES` or `SELECT`).
            self.query(source, 0);
        }
        for upsert in &insert.upserts {
            upsert.target.iter().chain(&upsert.target_where).for_each(|e| self.expr(e, 0));
            if let Some(update) = &upsert.update {
                let filters = update.where_.iter().map(Filter::Where).collect();
                self.target(target, Role::UpsertUpdate, upsert.span, filters);
                for assignment in &update.assignments {
                    self.expr(&assignment.value, 0);
                }
                if let Some(where_) = &update.where_ {
                    self.expr(where_, 0);
                }
            }
        }
        insert.returning.iter().for_each(|c| self.result_column(c, 0));
        self.pop(scoped);
    }

    fn update(&mut self, update: &'a Update) {
        let scoped = self.with(update.with.as_ref(), 0);
        let target = Target { schema: update.schema.as_ref(), table: &update.table, alias: update.alias.as_ref() };
        let first = self.found.len();
        self.target(target, Role::Update, update.table.span, Vec::new());
        if update.or == Some(Conflict::Replace) {
            self.target(target, Role::ReplaceDelete, update.table.span, Vec::new());
        }
        if let Some(from) = &update.from {
            let clause_wide = self.from(from, 0);
            self.found[first].filters.extend(clause_wide);
        }
        // The `WHERE` filters the target and the `FROM` alike; `OR REPLACE` deletions are not.
        if let Some(where_) = &update.where_ {
            for occurrence in self.found[first..].iter_mut() {
                if occurrence.depth == 0 && occurrence.role != Role::ReplaceDelete {
                    occurrence.filters.push(Filter::Where(where_));
                }
            }
        }
        for assignment in &update.assignments {
            self.expr(&assignment.value, 0);
        }
        if let Some(where_) = &update.where_ {
            self.expr(where_, 0);
        }
        update.returning.iter().for_each(|c| self.result_column(c, 0));
        self.pop(scoped);
    }

    fn delete(&mut self, delete: &'a Delete) {
        let scoped = self.with(delete.with.as_ref(), 0);
        let target = Target { schema: delete.schema.as_ref(), table: &delete.table, alias: delete.alias.as_ref() };
        let filters = delete.where_.iter().map(Filter::Where).collect();
        self.target(target, Role::Delete, delete.table.span, filters);
        if let Some(where_) = &delete.where_ {
            self.expr(where_, 0);
        }
        delete.returning.iter().for_each(|c| self.result_column(c, 0));
        self.pop(scoped);
    }
}

/// The table a write names.
#[derive(Clone, Copy)]
struct Target<'a> {
    schema: Option<&'a Name>,
    table: &'a Name,
    alias: Option<&'a Name>,
}
