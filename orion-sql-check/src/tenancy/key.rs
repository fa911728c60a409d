//! The bound tenant key and the one predicate that proves an occurrence scoped.
//!
//! In a statement the key is the parameter `:tenant`, which a tenant-bound store binds. In
//! the body of a trigger fired by a proven write to a tenant table, it is the tenant column of
//! the triggering row: `NEW.workspace_id` (an insert or update) or `OLD.workspace_id` (an
//! update or delete), which are `:tenant` for every row the trigger sees.
//!
//! An occurrence is proven scoped by a conjunct at the top level (`AND`) of a filter that
//! holds for every real row of it, of the form `<its alias>.<tenant column> = <key>`, either
//! side, written `=`, `==` or `IS`. Nothing else counts: not a predicate under `OR` or `NOT`,
//! not a tautology (`col = col`, `IS NOT NULL`, `IN (:tenant, :other)`, `:tenant = :tenant`),
//! not a `COLLATE` or `CAST` around either side, not another alias's column.

use crate::sql::{BinaryOp, Expr, ExprKind, Filter};

/// The name of the parameter that holds the tenant key (without its `:`), bound by a
/// tenant-bound store (`orion::tenant::TENANT_PARAM` is `":tenant"`).
pub const TENANT: &str = "tenant";

/// What stands for the bound tenant key where a statement is analysed.
#[derive(Debug, Clone, Default)]
pub(super) struct Keys {
    /// `:tenant` is the key (a statement run through a tenant-bound store).
    param: bool,
    /// `NEW.col` / `OLD.col` are the key (a trigger's body): `("new", "workspace_id")`.
    rows: Vec<(&'static str, String)>,
}

impl Keys {
    /// A statement's own SQL: the key is `:tenant`.
    pub(super) fn statement() -> Keys {
        Keys { param: true, rows: Vec::new() }
    }

    /// No key at all: a trigger fired by a write to a global table (or one not proven).
    pub(super) fn none() -> Keys {
        Keys::default()
    }

    /// A trigger's body: the tenant column of the triggering row, as `NEW.` and/or `OLD.`.
    pub(super) fn row(column: &str, new: bool, old: bool) -> Keys {
        let mut rows = Vec::new();
        if new {
            rows.push(("new", column.to_owned()));
        }
        if old {
            rows.push(("old", column.to_owned()));
        }
        Keys { param: false, rows }
    }

    /// Whether any key is available here.
    pub(super) fn any(&self) -> bool {
        self.param || !self.rows.is_empty()
    }

    /// Whether `expr` is the bound key.
    pub(super) fn is_key(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Param(name) => self.param && name == TENANT,
            ExprKind::Column { schema: None, table: Some(table), column } => {
                self.rows.iter().any(|(row, col)| table.is(row) && column.is(col))
            }
            _ => false,
        }
    }

    /// How to write the key here, for messages: `:tenant` or `NEW.workspace_id`.
    pub(super) fn example(&self) -> String {
        if self.param {
            return format!(":{TENANT}");
        }
        match self.rows.first() {
            Some((row, column)) => format!("{}.{column}", row.to_ascii_uppercase()),
            None => format!(":{TENANT}"),
        }
    }
}

/// The tenant column of one occurrence, as a predicate may name it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Subject<'a> {
    /// The name the occurrence exposes: its alias, or its table's name.
    pub(super) exposed: &'a str,
    /// Its tenant column.
    pub(super) column: &'a str,
    /// An unqualified `column` is this occurrence's (it is the only source of its block).
    pub(super) unqualified: bool,
}

impl Subject<'_> {
    /// Whether `expr` is this occurrence's tenant column.
    pub(super) fn is_column(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Column { schema, table, column } => {
                column.is(self.column)
                    && match table {
                        Some(table) => table.is(self.exposed) && schema.as_ref().is_none_or(|s| s.is("main")),
                        None => self.unqualified,
                    }
            }
            _ => false,
        }
    }

    /// Whether the single predicate `expr` says this column equals the key.
    pub(super) fn constrained_by(&self, keys: &Keys, expr: &Expr) -> bool {
        let ExprKind::Binary { op, left, right } = &expr.kind else { return false };
        match (op, &left.kind, &right.kind) {
            // `(a, b) = (x, y)` is `a = x AND b = y`.
            (BinaryOp::Eq, ExprKind::Row(lefts), ExprKind::Row(rights)) if lefts.len() == rights.len() => lefts
                .iter()
                .zip(rights)
                .any(|(l, r)| (self.is_column(l) && keys.is_key(r)) || (self.is_column(r) && keys.is_key(l))),
            (BinaryOp::Eq | BinaryOp::Is, ..) => {
                (self.is_column(left) && keys.is_key(right)) || (self.is_column(right) && keys.is_key(left))
            }
            _ => false,
        }
    }

    /// Whether a conjunct at the top level of one of `filters` constrains this column to the
    /// key.
    pub(super) fn proven(&self, keys: &Keys, filters: &[Filter<'_>]) -> bool {
        filters.iter().any(|filter| match filter {
            Filter::Where(expr) | Filter::On(expr) => {
                expr.conjuncts().into_iter().any(|conjunct| self.constrained_by(keys, conjunct))
            }
            Filter::Using(_) | Filter::Natural => false,
        })
    }

    /// A predicate that would prove this column but sits inside `expr` below its top-level
    /// `AND`s (under `OR`, `NOT`, `CASE`, a function…).
    pub(super) fn buried<'e>(&self, keys: &Keys, expr: &'e Expr) -> Option<&'e Expr> {
        let conjuncts = expr.conjuncts();
        let mut found = None;
        expr.walk(&mut |node| {
            if found.is_none() && self.constrained_by(keys, node) && !conjuncts.iter().any(|c| std::ptr::eq(*c, node)) {
                found = Some(node);
            }
        });
        found
    }
}
