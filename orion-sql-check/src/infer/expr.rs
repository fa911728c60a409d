//! The type and nullability of an expression, and what it says about the parameters in it.

use super::params::Evidence;
use super::{Infer, Scope, Value, functions, merge};
use crate::sql::*;
use crate::types::SqlType;

impl Infer<'_> {
    /// Types `expr` in `scope`.
    pub(crate) fn expr(&mut self, scope: &Scope<'_>, expr: &Expr) -> Value {
        match &expr.kind {
            ExprKind::Literal(literal) => literal_value(literal),
            ExprKind::Param(name) => self.param(name, expr.span),
            ExprKind::Column { table, column, .. } => self.resolve(scope, table.as_ref(), column, expr.span),
            ExprKind::Unary { op, expr: operand } => {
                let value = self.expr(scope, operand);
                match op {
                    UnaryOp::Not => Value::new(Some(SqlType::Bool), value.nullable),
                    UnaryOp::BitNot => Value::new(Some(SqlType::Integer), value.nullable),
                    UnaryOp::Neg => {
                        let ty = value.ty.map(|t| if t == SqlType::Bool { SqlType::Integer } else { t });
                        Value::new(ty, value.nullable)
                    }
                    UnaryOp::Plus => Value { origin: None, ..value },
                }
            }
            ExprKind::Binary { op, left, right } => self.binary(scope, *op, left, right),
            ExprKind::Collate { expr, .. } => {
                let value = self.expr(scope, expr);
                Value { origin: None, ..value }
            }
            ExprKind::Like { expr: operand, pattern, escape, .. } => {
                let left = self.compare(scope, operand, pattern, "matched against");
                let mut nullable = left;
                if let Some(escape) = escape {
                    self.param_evidence(escape, Evidence::typed(SqlType::Text, false, "an `ESCAPE`"));
                    nullable |= self.expr(scope, escape).nullable;
                }
                Value::new(Some(SqlType::Bool), nullable)
            }
            ExprKind::Between { expr: operand, low, high, .. } => {
                let a = self.compare(scope, operand, low, "compared with");
                let b = self.compare(scope, operand, high, "compared with");
                Value::new(Some(SqlType::Bool), a || b)
            }
            ExprKind::InList { expr: operand, list, .. } => {
                let mut nullable = false;
                for item in list {
                    nullable |= self.compare(scope, operand, item, "compared with");
                }
                if list.is_empty() {
                    nullable = false;
                    self.expr(scope, operand);
                }
                Value::new(Some(SqlType::Bool), nullable)
            }
            ExprKind::InQuery { expr: operand, query, .. } => {
                let columns = self.query(query, Some(scope));
                let left = self.expr(scope, operand);
                if let Some(column) = columns.first() {
                    self.param_evidence(
                        operand,
                        Evidence::from_value(&column.value, false, "compared with a subquery"),
                    );
                }
                let nullable = left.nullable || columns.iter().any(|c| c.value.nullable);
                Value::new(Some(SqlType::Bool), nullable)
            }
            ExprKind::InTable { expr: operand, table, args, .. } => {
                let left = self.expr(scope, operand);
                for arg in args.iter().flatten() {
                    self.expr(scope, arg);
                }
                if args.is_none() {
                    // Checks the name; `x IN table` compares with its only column.
                    let relation = self.named_relation(table, table.text.clone());
                    if let Some(column) = relation.columns.first() {
                        self.param_evidence(
                            operand,
                            Evidence::from_value(&column.value, false, "compared with a table"),
                        );
                    }
                }
                let _ = left;
                Value::new(Some(SqlType::Bool), true)
            }
            ExprKind::IsNull { expr: operand, .. } => {
                self.param_evidence(operand, Evidence::nullable("tested with `IS NULL`"));
                self.expr(scope, operand);
                Value::new(Some(SqlType::Bool), false)
            }
            ExprKind::Exists { query, .. } => {
                self.query(query, Some(scope));
                Value::new(Some(SqlType::Bool), false)
            }
            ExprKind::Subquery(query) => {
                let columns = self.query(query, Some(scope));
                let value = columns.into_iter().next().map_or_else(Value::unknown, |c| c.value);
                let nullable = value.nullable || !returns_one_row(query);
                Value { nullable, origin: None, ..value }
            }
            ExprKind::Row(items) => {
                for item in items {
                    self.expr(scope, item);
                }
                Value::unknown()
            }
            ExprKind::Cast { expr: operand, type_name } => {
                let ty = SqlType::from_declared(type_name);
                if let Some(ty) = ty {
                    self.param_evidence(operand, Evidence::typed(ty, false, &format!("cast to `{type_name}`")));
                }
                let value = self.expr(scope, operand);
                Value::new(ty, value.nullable)
            }
            ExprKind::Case { operand, whens, else_ } => self.case(scope, operand.as_deref(), whens, else_.as_deref()),
            ExprKind::Function(call) => self.call(scope, call),
            ExprKind::Raise => Value::unknown(),
        }
    }

    /// Types `left op right` for a comparison, giving a parameter on one side the other's
    /// type; returns whether the comparison may be NULL.
    fn compare(&mut self, scope: &Scope<'_>, left: &Expr, right: &Expr, how: &str) -> bool {
        if let (ExprKind::Row(lefts), ExprKind::Row(rights)) = (&left.kind, &right.kind)
            && lefts.len() == rights.len()
        {
            // `(a, b) = (:x, :y)` compares member by member.
            let mut nullable = false;
            for (l, r) in lefts.iter().zip(rights) {
                nullable |= self.compare(scope, l, r, how);
            }
            return nullable;
        }
        let a = self.expr(scope, left);
        let b = self.expr(scope, right);
        self.param_evidence(left, Evidence::from_value(&b, false, &format!("{how} {}", describe(right, &b))));
        self.param_evidence(right, Evidence::from_value(&a, false, &format!("{how} {}", describe(left, &a))));
        a.nullable || b.nullable
    }

    fn binary(&mut self, scope: &Scope<'_>, op: BinaryOp, left: &Expr, right: &Expr) -> Value {
        use BinaryOp::*;
        match op {
            Eq | Ne | Lt | Le | Gt | Ge => {
                let nullable = self.compare(scope, left, right, "compared with");
                Value::new(Some(SqlType::Bool), nullable)
            }
            Is | IsNot => {
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                // `x IS :p` matches NULL with NULL: passing NULL means something.
                let mut left_evidence =
                    Evidence::from_value(&b, true, &format!("compared with {}", describe(right, &b)));
                let mut right_evidence =
                    Evidence::from_value(&a, true, &format!("compared with {}", describe(left, &a)));
                if b.null {
                    left_evidence = Evidence::nullable("tested with `IS NULL`");
                }
                if a.null {
                    right_evidence = Evidence::nullable("tested with `IS NULL`");
                }
                self.param_evidence(left, left_evidence);
                self.param_evidence(right, right_evidence);
                Value::new(Some(SqlType::Bool), false)
            }
            And | Or => {
                for side in [left, right] {
                    self.param_evidence(side, Evidence::typed(SqlType::Bool, false, "a condition"));
                }
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                Value::new(Some(SqlType::Bool), a.nullable || b.nullable)
            }
            Concat => {
                for side in [left, right] {
                    self.param_evidence(side, Evidence::typed(SqlType::Text, false, "concatenated with `||`"));
                }
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                Value::new(Some(SqlType::Text), a.nullable || b.nullable)
            }
            Extract | ExtractValue => {
                self.param_evidence(right, Evidence::typed(SqlType::Text, false, "a JSON path"));
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                let ty = if op == Extract { Some(SqlType::Text) } else { None };
                // A path that is not in the document gives NULL.
                let _ = (a, b);
                Value::new(ty, true)
            }
            BitAnd | BitOr | Shl | Shr => {
                for side in [left, right] {
                    self.param_evidence(side, Evidence::typed(SqlType::Integer, false, "a bitwise operand"));
                }
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                Value::new(Some(SqlType::Integer), a.nullable || b.nullable)
            }
            Add | Sub | Mul | Div | Mod => {
                let a = self.expr(scope, left);
                let b = self.expr(scope, right);
                self.param_evidence(left, Evidence::from_value(&numeric(&b), false, "in arithmetic"));
                self.param_evidence(right, Evidence::from_value(&numeric(&a), false, "in arithmetic"));
                let ty = match (numeric(&a).ty, numeric(&b).ty) {
                    (Some(SqlType::Real), _) | (_, Some(SqlType::Real)) if op != Mod => Some(SqlType::Real),
                    (Some(SqlType::Integer), Some(SqlType::Integer)) => Some(SqlType::Integer),
                    (Some(SqlType::Real), Some(_)) | (Some(_), Some(SqlType::Real)) => Some(SqlType::Real),
                    _ => None,
                };
                // Division (and remainder) by zero is NULL, unless the divisor is a non-zero
                // literal.
                let by_zero = matches!(op, Div | Mod) && !is_nonzero_literal(right);
                Value::new(ty, a.nullable || b.nullable || by_zero)
            }
        }
    }

    fn case(
        &mut self,
        scope: &Scope<'_>,
        operand: Option<&Expr>,
        whens: &[(Expr, Expr)],
        else_: Option<&Expr>,
    ) -> Value {
        let operand_value = operand.map(|o| self.expr(scope, o));
        for (when, _) in whens {
            match (operand, &operand_value) {
                (Some(operand), Some(value)) => {
                    let w = self.expr(scope, when);
                    self.param_evidence(when, Evidence::from_value(value, false, "compared with the `CASE` operand"));
                    self.param_evidence(operand, Evidence::from_value(&w, false, "compared with a `WHEN`"));
                }
                _ => {
                    self.param_evidence(when, Evidence::typed(SqlType::Bool, false, "a `WHEN` condition"));
                    self.expr(scope, when);
                }
            }
        }
        let branches: Vec<&Expr> = whens.iter().map(|(_, then)| then).chain(else_).collect();
        let values: Vec<Value> = branches.iter().map(|b| self.expr(scope, b)).collect();
        let mut result = values[0].clone();
        for value in &values[1..] {
            result = merge(&result, value);
        }
        for (branch, _) in branches.iter().zip(&values) {
            let why = "a branch of a `CASE` whose other branches are typed";
            if result.ty.is_some() {
                self.param_evidence(branch, Evidence::from_value(&result, result.nullable, why));
            }
        }
        if else_.is_none() {
            result.nullable = true;
        }
        Value { origin: None, ..result }
    }

    fn call(&mut self, scope: &Scope<'_>, call: &FunctionCall) -> Value {
        let aggregate = call.over.is_none() && functions::is_aggregate(&call.name.text, call.args.len());
        let was = scope.in_aggregate.get();
        if aggregate {
            scope.in_aggregate.set(true);
        }
        let args: Vec<Value> = call.args.iter().map(|a| self.expr(scope, a)).collect();
        scope.in_aggregate.set(was);
        for term in &call.order_by {
            self.expr(scope, &term.expr);
        }
        if let Some(filter) = &call.filter {
            self.expr(scope, filter);
        }
        if let Some(Over::Spec(window)) = &call.over {
            self.window(scope, window);
        }
        self.function_param_evidence(call, &args);
        let grouped = !scope.bare_columns_nullable.get();
        functions::result(call, &args, grouped)
    }

    /// What a function's arguments say about the parameters among them.
    fn function_param_evidence(&mut self, call: &FunctionCall, args: &[Value]) {
        let name = call.name.text.to_ascii_lowercase();
        match name.as_str() {
            "coalesce" | "ifnull" | "nullif" | "min" | "max" | "iif" | "if" => {
                let skip = usize::from(name == "iif" || name == "if");
                let typed = args.iter().skip(skip).find(|v| v.ty.is_some()).cloned();
                let last = call.args.len().saturating_sub(1);
                for (i, arg) in call.args.iter().enumerate().skip(skip) {
                    let nullable = matches!(name.as_str(), "coalesce" | "ifnull") && i != last;
                    match &typed {
                        Some(value) => self.param_evidence(
                            arg,
                            Evidence::from_value(value, nullable, &format!("an argument of `{name}`")),
                        ),
                        None if nullable => {
                            self.param_evidence(arg, Evidence::nullable(&format!("an argument of `{name}`")))
                        }
                        None => {}
                    }
                }
                if skip == 1
                    && let Some(condition) = call.args.first()
                {
                    self.param_evidence(condition, Evidence::typed(SqlType::Bool, false, "a condition"));
                }
            }
            _ => {
                for (i, arg) in call.args.iter().enumerate() {
                    if let Some(ty) = functions::argument_type(&name, i) {
                        self.param_evidence(arg, Evidence::typed(ty, false, &format!("an argument of `{name}`")));
                    }
                }
            }
        }
    }
}

/// How a compared expression is described in a parameter's evidence.
fn describe(expr: &Expr, value: &Value) -> String {
    match (&value.origin, &expr.kind) {
        (Some((table, column)), _) => format!("`{table}.{column}`"),
        (None, ExprKind::Param(name)) => format!("`:{name}`"),
        _ => "an expression".to_owned(),
    }
}

/// A value in arithmetic: a boolean counts as an integer.
fn numeric(value: &Value) -> Value {
    let ty = match value.ty {
        Some(SqlType::Bool) => Some(SqlType::Integer),
        Some(SqlType::Integer) => Some(SqlType::Integer),
        Some(SqlType::Real) => Some(SqlType::Real),
        _ => None,
    };
    Value::new(ty, value.nullable)
}

fn is_nonzero_literal(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Literal(Literal::Integer(text) | Literal::Real(text)) => {
            text.replace('_', "").parse::<f64>().is_ok_and(|v| v != 0.0)
                || (text.starts_with("0x") || text.starts_with("0X"))
                    && text[2..].bytes().any(|b| b != b'0' && b != b'_')
        }
        ExprKind::Unary { op: UnaryOp::Neg | UnaryOp::Plus, expr } => is_nonzero_literal(expr),
        _ => false,
    }
}

fn literal_value(literal: &Literal) -> Value {
    match literal {
        Literal::Integer(_) => Value::new(Some(SqlType::Integer), false),
        Literal::Real(_) => Value::new(Some(SqlType::Real), false),
        Literal::String(_) => Value::new(Some(SqlType::Text), false),
        Literal::Blob => Value::new(Some(SqlType::Blob), false),
        Literal::Null => Value { null: true, ..Value::new(None, true) },
        Literal::True | Literal::False => Value::new(Some(SqlType::Bool), false),
        Literal::CurrentTime => Value::new(Some(SqlType::Text), false),
    }
}

/// Whether a scalar subquery always yields exactly one row: one aggregate `SELECT` without
/// `GROUP BY`, `HAVING`, `LIMIT` or a compound (it answers one row even when nothing
/// matches).
fn returns_one_row(query: &Query) -> bool {
    let SelectCore::Select(select) = &query.first else { return false };
    query.compound.is_empty()
        && query.limit.is_none()
        && select.group_by.is_empty()
        && select.having.is_none()
        && select.columns.iter().any(|c| matches!(c, ResultColumn::Expr { expr, .. } if has_aggregate(expr)))
}

/// Whether `expr` calls an aggregate function of its own block (not in a subquery, not as a
/// window function).
pub(crate) fn has_aggregate(expr: &Expr) -> bool {
    let mut found = false;
    expr.walk(&mut |e| {
        if let ExprKind::Function(call) = &e.kind
            && call.over.is_none()
            && functions::is_aggregate(&call.name.text, call.args.len())
        {
            found = true;
        }
    });
    found
}
