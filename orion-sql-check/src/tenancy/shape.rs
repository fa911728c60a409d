//! Where each table occurrence sits, beyond what [`sql::occurrences`] says: whether it is the
//! only source of its block (so an unqualified column is its column), which common table
//! expression holds it (SQLite's authorizer names that as the accessor), how it is joined,
//! and the clauses near it that do *not* filter it (to explain a near miss).
//!
//! Sites are keyed by the occurrence's span, which is unique within one statement's text.

use std::collections::HashMap;

use crate::sql::*;

/// Where one occurrence sits.
#[derive(Debug, Default, Clone)]
pub(super) struct Site<'a> {
    /// The only source of its block: an unqualified column of its block is its column.
    pub(super) sole: bool,
    /// How it is joined: `None` for the first table of a `FROM` and for a write's target.
    pub(super) join: Option<(JoinKind, bool)>,
    /// `x IN table`.
    pub(super) in_table: bool,
    /// The innermost common table expression whose body holds it.
    pub(super) cte: Option<&'a str>,
    /// Inside a subquery in `FROM` or a common table expression: predicates outside do not
    /// reach its rows.
    pub(super) derived: bool,
    /// Its block's `HAVING`.
    pub(super) having: Option<&'a Expr>,
    /// The `ON` of outer joins in its `FROM` that do not filter it (a `LEFT JOIN`'s `ON` for
    /// the tables to its left, …).
    pub(super) unfiltering_ons: Vec<&'a Expr>,
}

/// The sites of a statement's occurrences, and the names its `FROM` items expose.
#[derive(Debug, Default)]
pub(super) struct Shape<'a> {
    pub(super) sites: HashMap<Span, Site<'a>>,
    /// Every name a `FROM` item or target exposes (alias, or table name), and every common
    /// table expression's name.
    pub(super) exposed: Vec<&'a str>,
}

impl<'a> Shape<'a> {
    /// The site of the occurrence at `span` (a default one if the walk did not see it).
    pub(super) fn site(&self, span: Span) -> Site<'a> {
        self.sites.get(&span).cloned().unwrap_or_default()
    }
}

/// The shape of `statement`.
pub(super) fn of(statement: &Statement) -> Shape<'_> {
    let mut walk = Walk::default();
    match statement {
        Statement::Select(query) => walk.query(query, &Context::default()),
        Statement::Insert(insert) => {
            let context = Context::default();
            walk.with(insert.with.as_ref(), &context);
            walk.target(insert.alias.as_ref(), &insert.table, true);
            if let Some(source) = &insert.source {
                walk.query(source, &context);
            }
            for upsert in &insert.upserts {
                upsert.target.iter().chain(&upsert.target_where).for_each(|e| walk.expr(e, &context));
                if let Some(update) = &upsert.update {
                    update.assignments.iter().for_each(|a| walk.expr(&a.value, &context));
                    update.where_.iter().for_each(|e| walk.expr(e, &context));
                }
            }
            insert.returning.iter().for_each(|c| walk.result_column(c, &context));
        }
        Statement::Update(update) => {
            let context = Context::default();
            walk.with(update.with.as_ref(), &context);
            walk.target(update.alias.as_ref(), &update.table, update.from.is_none());
            if let Some(from) = &update.from {
                let block = Block { having: None, sole_possible: false };
                walk.from(from, &context, &block);
            }
            update.assignments.iter().for_each(|a| walk.expr(&a.value, &context));
            update.where_.iter().for_each(|e| walk.expr(e, &context));
            update.returning.iter().for_each(|c| walk.result_column(c, &context));
        }
        Statement::Delete(delete) => {
            let context = Context::default();
            walk.with(delete.with.as_ref(), &context);
            walk.target(delete.alias.as_ref(), &delete.table, true);
            delete.where_.iter().for_each(|e| walk.expr(e, &context));
            delete.returning.iter().for_each(|c| walk.result_column(c, &context));
        }
    }
    walk.shape
}

#[derive(Default, Clone)]
struct Context<'a> {
    cte: Option<&'a str>,
    derived: bool,
}

struct Block<'a> {
    having: Option<&'a Expr>,
    /// `false` for an `UPDATE … FROM`, whose target shares the block.
    sole_possible: bool,
}

#[derive(Default)]
struct Walk<'a> {
    shape: Shape<'a>,
}

impl<'a> Walk<'a> {
    fn target(&mut self, alias: Option<&'a Name>, table: &'a Name, sole: bool) {
        self.shape.exposed.push(alias.unwrap_or(table).text.as_str());
        self.shape.sites.insert(table.span, Site { sole, ..Site::default() });
    }

    fn with(&mut self, with: Option<&'a With>, context: &Context<'a>) {
        let Some(with) = with else { return };
        for cte in &with.ctes {
            self.shape.exposed.push(cte.name.text.as_str());
            let inner = Context { cte: Some(cte.name.text.as_str()), derived: true };
            self.query(&cte.query, &inner);
        }
        let _ = context;
    }

    fn query(&mut self, query: &'a Query, context: &Context<'a>) {
        self.with(query.with.as_ref(), context);
        for core in query.cores() {
            match core {
                SelectCore::Values(values) => values.rows.iter().flatten().for_each(|e| self.expr(e, context)),
                SelectCore::Select(select) => self.select(select, context),
            }
        }
        query.order_by.iter().for_each(|t| self.expr(&t.expr, context));
        if let Some(limit) = &query.limit {
            self.expr(&limit.limit, context);
            limit.offset.iter().for_each(|e| self.expr(e, context));
        }
    }

    fn select(&mut self, select: &'a Select, context: &Context<'a>) {
        if let Some(from) = &select.from {
            let block = Block { having: select.having.as_ref(), sole_possible: true };
            self.from(from, context, &block);
        }
        select.columns.iter().for_each(|c| self.result_column(c, context));
        for expr in select.where_.iter().chain(&select.group_by).chain(&select.having) {
            self.expr(expr, context);
        }
        for (_, window) in &select.windows {
            self.window(window, context);
        }
    }

    fn result_column(&mut self, column: &'a ResultColumn, context: &Context<'a>) {
        if let ResultColumn::Expr { expr, .. } = column {
            self.expr(expr, context);
        }
    }

    fn window(&mut self, window: &'a WindowSpec, context: &Context<'a>) {
        for expr in window.partition_by.iter().chain(window.order_by.iter().map(|t| &t.expr)) {
            self.expr(expr, context);
        }
        window.frame.iter().flatten().for_each(|e| self.expr(e, context));
    }

    /// A `FROM` clause: its items flattened (parenthesised joins are one block with it).
    fn from(&mut self, from: &'a FromClause, context: &Context<'a>, block: &Block<'a>) {
        let mut items: Vec<(&'a TableRef, Option<(JoinKind, bool)>)> = Vec::new();
        let mut ons: Vec<(usize, usize, JoinKind, &'a Expr)> = Vec::new();
        flatten(from, None, &mut items, &mut ons);
        let sole = block.sole_possible && items.len() == 1;
        for (index, (item, join)) in items.iter().enumerate() {
            match item {
                TableRef::Table { name, alias, span, .. } => {
                    self.shape.exposed.push(alias.as_ref().unwrap_or(name).text.as_str());
                    let unfiltering_ons = ons
                        .iter()
                        .filter(|(begin, end, kind, _)| match kind {
                            // A LEFT JOIN's ON filters only the items it joins (begin..end); a
                            // RIGHT JOIN's only the items to its left; a FULL JOIN's none.
                            JoinKind::Left => !(*begin..*end).contains(&index),
                            JoinKind::Right => index >= *begin,
                            JoinKind::Full => true,
                            _ => false,
                        })
                        .map(|(.., on)| *on)
                        .collect();
                    self.shape.sites.insert(
                        *span,
                        Site {
                            sole,
                            join: *join,
                            in_table: false,
                            cte: context.cte,
                            derived: context.derived,
                            having: block.having,
                            unfiltering_ons,
                        },
                    );
                }
                TableRef::Function { args, alias, .. } => {
                    if let Some(alias) = alias {
                        self.shape.exposed.push(alias.text.as_str());
                    }
                    args.iter().for_each(|e| self.expr(e, context));
                }
                TableRef::Subquery { query, alias, .. } => {
                    if let Some(alias) = alias {
                        self.shape.exposed.push(alias.text.as_str());
                    }
                    let inner = Context { cte: context.cte, derived: true };
                    self.query(query, &inner);
                }
                TableRef::Nested { .. } => {}
            }
        }
        for (.., on) in ons {
            self.expr(on, context);
        }
    }

    fn expr(&mut self, expr: &'a Expr, context: &Context<'a>) {
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::Column { .. } | ExprKind::Raise => {}
            ExprKind::Unary { expr, .. }
            | ExprKind::Collate { expr, .. }
            | ExprKind::IsNull { expr, .. }
            | ExprKind::Cast { expr, .. } => self.expr(expr, context),
            ExprKind::Binary { left, right, .. } => {
                self.expr(left, context);
                self.expr(right, context);
            }
            ExprKind::Like { expr, pattern, escape, .. } => {
                self.expr(expr, context);
                self.expr(pattern, context);
                escape.iter().for_each(|e| self.expr(e, context));
            }
            ExprKind::Between { expr, low, high, .. } => {
                for e in [expr, low, high] {
                    self.expr(e, context);
                }
            }
            ExprKind::InList { expr, list, .. } => {
                self.expr(expr, context);
                list.iter().for_each(|e| self.expr(e, context));
            }
            ExprKind::InQuery { expr, query, .. } => {
                self.expr(expr, context);
                self.query(query, context);
            }
            ExprKind::InTable { expr, table, args, .. } => {
                self.expr(expr, context);
                match args {
                    Some(args) => args.iter().for_each(|e| self.expr(e, context)),
                    None => {
                        let site =
                            Site { in_table: true, cte: context.cte, derived: context.derived, ..Site::default() };
                        self.shape.sites.insert(table.span, site);
                    }
                }
            }
            ExprKind::Exists { query, .. } | ExprKind::Subquery(query) => self.query(query, context),
            ExprKind::Row(items) => items.iter().for_each(|e| self.expr(e, context)),
            ExprKind::Case { operand, whens, else_ } => {
                operand.iter().for_each(|e| self.expr(e, context));
                for (when, then) in whens {
                    self.expr(when, context);
                    self.expr(then, context);
                }
                else_.iter().for_each(|e| self.expr(e, context));
            }
            ExprKind::Function(call) => {
                call.args.iter().for_each(|e| self.expr(e, context));
                call.order_by.iter().for_each(|t| self.expr(&t.expr, context));
                call.filter.iter().for_each(|e| self.expr(e, context));
                if let Some(Over::Spec(window)) = &call.over {
                    self.window(window, context);
                }
            }
        }
    }
}

/// The items of a `FROM` clause, parenthesised joins flattened, with how each is joined; and
/// each join's `ON` with the range of items it joins.
fn flatten<'a>(
    from: &'a FromClause,
    join: Option<(JoinKind, bool)>,
    items: &mut Vec<(&'a TableRef, Option<(JoinKind, bool)>)>,
    ons: &mut Vec<(usize, usize, JoinKind, &'a Expr)>,
) {
    item(&from.first, join, items, ons);
    for next in &from.joins {
        let begin = items.len();
        let on = match &next.constraint {
            Some(JoinConstraint::On(expr)) => Some(expr),
            _ => None,
        };
        item(&next.table, Some((next.kind, on.is_some())), items, ons);
        let end = items.len();
        if let Some(on) = on {
            ons.push((begin, end, next.kind, on));
        }
    }
}

fn item<'a>(
    table: &'a TableRef,
    join: Option<(JoinKind, bool)>,
    items: &mut Vec<(&'a TableRef, Option<(JoinKind, bool)>)>,
    ons: &mut Vec<(usize, usize, JoinKind, &'a Expr)>,
) {
    match table {
        TableRef::Nested { from, .. } => flatten(from, join, items, ons),
        other => items.push((other, join)),
    }
}
