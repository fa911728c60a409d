//! What each parameter must be, from every place it is used.
//!
//! A parameter takes its type from the column (or typed expression) it is compared with,
//! assigned to or inserted into, from a `CAST(:p AS type)` around it, or is an integer in
//! `LIMIT`/`OFFSET`. It is nullable (an `Option` argument) when it is inserted into or
//! assigned to a nullable column, tested with `IS NULL`/`IS`/`IS NOT`, or is an argument of
//! `coalesce`/`ifnull` other than the last; otherwise NULL could never match, so it is not.
//! Every use must agree on the type. `:tenant` is text wherever it is used: a tenant store
//! binds the tenant's key to it.

use super::{Infer, Value};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::sql::{Expr, ExprKind, Span};
use crate::types::SqlType;

/// One thing a use of a parameter says about it.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    ty: Option<SqlType>,
    nullable: bool,
    /// Where the type comes from, for messages: "compared with `todos.title`".
    why: String,
}

impl Evidence {
    pub(crate) fn typed(ty: SqlType, nullable: bool, why: &str) -> Evidence {
        Evidence { ty: Some(ty), nullable, why: why.to_owned() }
    }

    pub(crate) fn from_value(value: &Value, nullable: bool, why: &str) -> Evidence {
        Evidence { ty: value.ty, nullable, why: why.to_owned() }
    }

    /// Says only that NULL is a meaningful value for it.
    pub(crate) fn nullable(why: &str) -> Evidence {
        Evidence { ty: None, nullable: true, why: why.to_owned() }
    }
}

/// One parameter of a checked query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name, without the `:`.
    pub name: String,
    /// Its type.
    pub ty: SqlType,
    /// Whether NULL may be passed (an `Option` argument).
    pub nullable: bool,
    /// Every place it is written, in order.
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    spans: Vec<Span>,
    evidence: Vec<Evidence>,
}

/// The parameters seen so far, in order of first use, and what their uses say.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParamFacts {
    entries: Vec<Entry>,
    /// Once resolved: the value each parameter stands for, for typing expressions that use it.
    resolved: Vec<(String, Value)>,
    /// Whether uses are recorded (the first pass) or only looked up (the second).
    frozen: bool,
}

impl ParamFacts {
    fn entry(&mut self, name: &str) -> &mut Entry {
        let index = match self.entries.iter().position(|e| e.name == name) {
            Some(index) => index,
            None => {
                self.entries.push(Entry { name: name.to_owned(), spans: Vec::new(), evidence: Vec::new() });
                self.entries.len() - 1
            }
        };
        &mut self.entries[index]
    }

    /// The parameters as typed, and a problem for each whose type is unknown or disputed.
    /// Afterwards, expressions that use a parameter are typed with its resolved value.
    pub(crate) fn resolve(&mut self) -> (Vec<Param>, Vec<Diagnostic>) {
        let mut params = Vec::new();
        let mut problems = Vec::new();
        // `:tenant` is bound by a tenant store to the tenant's key, which is text.
        let key = Evidence::typed(SqlType::Text, false, "the tenant's key, which a tenant store binds");
        for entry in &self.entries {
            let nullable = entry.evidence.iter().any(|e| e.nullable);
            let implicit = (entry.name == crate::tenancy::TENANT).then_some(&key);
            let typed: Vec<&Evidence> =
                implicit.into_iter().chain(&entry.evidence).filter(|e| e.ty.is_some()).collect();
            let mut ty = typed.first().and_then(|e| e.ty);
            for evidence in &typed {
                ty = ty.and_then(|t| evidence.ty.and_then(|u| if t == u { Some(t) } else { agree(t, u) }));
            }
            let span = entry.spans.first().copied();
            match ty {
                Some(ty) => {
                    self.resolved.push((entry.name.clone(), Value::new(Some(ty), nullable)));
                    params.push(Param { name: entry.name.clone(), ty, nullable, spans: entry.spans.clone() });
                }
                None if typed.is_empty() => problems.push(Diagnostic::new(
                    DiagnosticKind::Parameter,
                    format!("the type of parameter `:{}` cannot be inferred", entry.name),
                    format!(
                        "compare it with a column, or say its type with `CAST(:{} AS INTEGER)` \
                         (or `REAL`, `TEXT`, `BLOB`, `BOOLEAN`)",
                        entry.name
                    ),
                    span,
                )),
                None => {
                    let uses: Vec<String> =
                        typed.iter().map(|e| format!("`{}` ({})", e.ty.map_or("?", SqlType::rust), e.why)).collect();
                    problems.push(Diagnostic::new(
                        DiagnosticKind::Parameter,
                        format!("parameter `:{}` is used as {}", entry.name, uses.join(" and as ")),
                        "use a parameter of its own for each type".to_owned(),
                        span,
                    ));
                }
            }
        }
        self.frozen = true;
        (params, problems)
    }
}

/// The type two uses agree on: a boolean compared with an integer is an integer; an integer
/// compared with a real is a real.
fn agree(a: SqlType, b: SqlType) -> Option<SqlType> {
    a.unify(b)
}

impl Infer<'_> {
    /// Records what `expr` must be, if it is a parameter (seen through parentheses and
    /// `COLLATE`).
    pub(crate) fn param_evidence(&mut self, expr: &Expr, evidence: Evidence) {
        if self.params.frozen {
            return;
        }
        let mut expr = expr;
        while let ExprKind::Collate { expr: inner, .. } = &expr.kind {
            expr = inner;
        }
        if let ExprKind::Param(name) = &expr.kind
            && is_named(name)
        {
            self.params.entry(name).evidence.push(evidence);
        }
    }

    /// The value of a use of parameter `name` at `span`.
    pub(crate) fn param(&mut self, name: &str, span: Span) -> Value {
        if !is_named(name) {
            return Value::new(None, true);
        }
        if !self.params.frozen {
            let entry = self.params.entry(name);
            if !entry.spans.contains(&span) {
                entry.spans.push(span);
            }
        }
        self.params
            .resolved
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| Value::new(None, false), |(_, value)| value.clone())
    }
}

/// `:name` parameters are named; `?`, `?1`, `@x`, `$x` are refused before typing.
fn is_named(name: &str) -> bool {
    !name.starts_with(['?', '@', '$', '#'])
}
