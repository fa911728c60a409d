//! Typing a statement: which relations each query block reads, what every name refers to,
//! the type and nullability of every result column, and what each parameter must be.
//!
//! This is a walk over the syntax tree with scopes (a query block sees its own `FROM`, then
//! the blocks around it). It reports unknown names itself, so that a query with three typos
//! gets three diagnostics (SQLite stops at the first). Nullability is the honest kind:
//! a value is NOT NULL only when a rule proves it (see the crate's README); everything else
//! is nullable. Expressions are in `expr.rs`, SQLite's functions in `functions.rs`, what
//! parameters must be in `params.rs`, writes in `writes.rs`.

mod expr;
mod functions;
mod params;
mod writes;

use std::cell::Cell;

pub use params::Param;
pub(crate) use params::{Evidence, ParamFacts};

use crate::diagnostic::{Diagnostic, DiagnosticKind, suggest};
use crate::schema::{Schema, Table};
use crate::sql::*;
use crate::types::SqlType;

/// What an expression is known to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    /// Its type, when known.
    pub(crate) ty: Option<SqlType>,
    /// Whether it may be NULL.
    pub(crate) nullable: bool,
    /// The table column it is, when it is one: `(table, column)`.
    pub(crate) origin: Option<(String, String)>,
    /// It is always NULL (the literal): it has no type of its own and takes the other
    /// branch's where branches merge.
    pub(crate) null: bool,
}

impl Value {
    pub(crate) fn new(ty: Option<SqlType>, nullable: bool) -> Value {
        Value { ty, nullable, origin: None, null: false }
    }

    fn column(ty: Option<SqlType>, nullable: bool, table: &str, column: &str) -> Value {
        Value { ty, nullable, origin: Some((table.to_owned(), column.to_owned())), null: false }
    }

    fn unknown() -> Value {
        Value::new(None, true)
    }
}

/// One result column as inferred.
#[derive(Debug, Clone)]
pub(crate) struct OutColumn {
    /// The name a reference to it from outside uses (alias, column name or expression text).
    pub(crate) name: String,
    pub(crate) value: Value,
    /// The result column's expression (or the `*` it came from).
    pub(crate) span: Span,
}

/// A column of a relation in scope.
#[derive(Debug, Clone)]
struct RelColumn {
    name: String,
    value: Value,
    /// Left out of `*`: the right-hand copy of a `USING`/`NATURAL` column, or a hidden column.
    hidden: bool,
}

/// Something a query block reads from: a table, view, common table expression, subquery or
/// table-valued function.
#[derive(Debug, Clone)]
struct Relation {
    /// The name a qualified column uses: the alias, else the table's name.
    binding: Option<String>,
    columns: Vec<RelColumn>,
    /// May be null-extended by an outer join.
    nullable: bool,
    /// A rowid table: `rowid`, `oid` and `_rowid_` name its rowid.
    rowid: Option<Value>,
    /// Its columns are not known (an unknown table or table-valued function): any name
    /// resolves, to an unknown value.
    opaque: bool,
}

impl Relation {
    fn from_table(table: &Table, binding: String) -> Relation {
        let columns = table
            .columns
            .iter()
            .map(|c| RelColumn {
                name: c.name.clone(),
                value: Value::column(c.ty, !c.not_null, &table.name, &c.name),
                hidden: false,
            })
            .collect();
        let rowid = (!table.without_rowid && !table.virtual_table).then(|| {
            let origin = table.rowid_alias().map(|c| (table.name.clone(), c.name.clone()));
            Value { ty: Some(SqlType::Integer), nullable: false, origin, null: false }
        });
        Relation { binding: Some(binding), columns, nullable: false, rowid, opaque: false }
    }

    fn from_columns(binding: Option<String>, columns: &[OutColumn]) -> Relation {
        let columns =
            columns.iter().map(|c| RelColumn { name: c.name.clone(), value: c.value.clone(), hidden: false }).collect();
        Relation { binding, columns, nullable: false, rowid: None, opaque: false }
    }

    fn opaque(binding: Option<String>) -> Relation {
        Relation { binding, columns: Vec::new(), nullable: false, rowid: None, opaque: true }
    }

    fn column(&self, name: &str) -> Option<Value> {
        let found = self.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)).map(|c| c.value.clone());
        let found = found.or_else(|| {
            let is_rowid = ["rowid", "oid", "_rowid_"].iter().any(|r| r.eq_ignore_ascii_case(name));
            if is_rowid { self.rowid.clone() } else { None }
        });
        let found = found.or_else(|| self.opaque.then(Value::unknown));
        found.map(|mut value| {
            value.nullable |= self.nullable;
            value
        })
    }
}

/// The relations of one query block, and the blocks around it.
#[derive(Debug)]
pub(crate) struct Scope<'p> {
    relations: Vec<Relation>,
    /// Result column aliases, which `WHERE`, `GROUP BY`, `HAVING` and `ORDER BY` may name.
    aliases: Vec<(String, Value)>,
    parent: Option<&'p Scope<'p>>,
    /// An aggregate block without `GROUP BY`: it returns one row even when no row matched,
    /// so a column read outside an aggregate may be NULL.
    bare_columns_nullable: Cell<bool>,
    /// Inside the arguments of an aggregate function of this block.
    in_aggregate: Cell<bool>,
}

impl<'p> Scope<'p> {
    fn new(parent: Option<&'p Scope<'p>>) -> Scope<'p> {
        Scope {
            relations: Vec::new(),
            aliases: Vec::new(),
            parent,
            bare_columns_nullable: Cell::new(false),
            in_aggregate: Cell::new(false),
        }
    }
}

/// A common table expression in scope: its name and columns (known once typed).
#[derive(Debug, Clone)]
struct CteDef {
    name: String,
    columns: Option<Vec<OutColumn>>,
}

/// The typing walk over one statement.
pub(crate) struct Infer<'s> {
    schema: &'s Schema,
    /// Unknown names and other problems, in the order found.
    pub(crate) problems: Vec<Diagnostic>,
    /// What each parameter must be.
    pub(crate) params: ParamFacts,
    ctes: Vec<CteDef>,
    /// How many views deep the walk is (views are typed from their query).
    view_depth: usize,
    /// Whether problems are collected (off while typing a view's query: it was checked when
    /// it was created).
    quiet: usize,
}

/// The result of typing a statement.
#[derive(Debug)]
pub(crate) struct Typed {
    /// The result columns (of the query, or of `RETURNING`).
    pub(crate) columns: Vec<OutColumn>,
}

impl<'s> Infer<'s> {
    pub(crate) fn new(schema: &'s Schema, params: ParamFacts) -> Infer<'s> {
        Infer { schema, problems: Vec::new(), params, ctes: Vec::new(), view_depth: 0, quiet: 0 }
    }

    fn problem(&mut self, kind: DiagnosticKind, message: String, help: String, span: Span) {
        if self.quiet == 0 {
            self.problems.push(Diagnostic::new(kind, message, help, Some(span)));
        }
    }

    pub(crate) fn statement(&mut self, statement: &Statement) -> Typed {
        let columns = match statement {
            Statement::Select(query) => self.query(query, None),
            Statement::Insert(insert) => self.insert(insert),
            Statement::Update(update) => self.update(update),
            Statement::Delete(delete) => self.delete(delete),
        };
        Typed { columns }
    }

    // ---- common table expressions ----

    /// Puts a `WITH` clause's expressions in scope, typing each; returns how many.
    fn with(&mut self, with: Option<&With>, parent: Option<&Scope<'_>>) -> usize {
        let Some(with) = with else { return 0 };
        for cte in &with.ctes {
            self.ctes.push(CteDef { name: cte.name.text.clone(), columns: None });
            let index = self.ctes.len() - 1;
            // A recursive expression is typed from its first branch, then again with that
            // typing until its nullability stops changing (it only ever grows).
            let recursive = !cte.query.compound.is_empty();
            let mut columns = if recursive {
                let mut anchor = self.core(&cte.query.first, parent);
                for (column, name) in anchor.iter_mut().zip(&cte.columns) {
                    column.name = name.text.clone();
                }
                anchor
            } else {
                self.cte_columns(cte, parent)
            };
            for _ in 0..4 {
                if !recursive {
                    break;
                }
                self.ctes[index].columns = Some(columns.clone());
                self.quiet += 1;
                let again = self.cte_columns(cte, parent);
                self.quiet -= 1;
                if again.iter().map(|c| &c.value).eq(columns.iter().map(|c| &c.value)) {
                    break;
                }
                columns = again;
            }
            self.ctes[index].columns = Some(columns);
        }
        with.ctes.len()
    }

    fn cte_columns(&mut self, cte: &Cte, parent: Option<&Scope<'_>>) -> Vec<OutColumn> {
        let mut columns = self.query(&cte.query, parent);
        for (column, name) in columns.iter_mut().zip(&cte.columns) {
            column.name = name.text.clone();
        }
        columns
    }

    fn pop_ctes(&mut self, count: usize) {
        self.ctes.truncate(self.ctes.len() - count);
    }

    fn cte(&self, name: &str) -> Option<&CteDef> {
        self.ctes.iter().rev().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    // ---- queries ----

    /// Types a query; `parent` is the scope of the block around it (for correlated names).
    pub(crate) fn query(&mut self, query: &Query, parent: Option<&Scope<'_>>) -> Vec<OutColumn> {
        let scoped = self.with(query.with.as_ref(), parent);
        let simple = query.compound.is_empty();
        let mut columns = match &query.first {
            SelectCore::Select(select) if simple => self.select(select, parent, &query.order_by, query.limit.as_ref()),
            core => self.core(core, parent),
        };
        for (_, core) in &query.compound {
            let branch = self.core(core, parent);
            for (column, other) in columns.iter_mut().zip(branch) {
                column.value = merge(&column.value, &other.value);
            }
        }
        if !simple || matches!(query.first, SelectCore::Values(_)) {
            // `ORDER BY` of a compound names its result columns.
            let mut scope = Scope::new(parent);
            scope.relations.push(Relation::from_columns(None, &columns));
            for term in &query.order_by {
                self.expr(&scope, &term.expr);
            }
            self.limit(&scope, query.limit.as_ref());
        }
        self.pop_ctes(scoped);
        columns
    }

    fn core(&mut self, core: &SelectCore, parent: Option<&Scope<'_>>) -> Vec<OutColumn> {
        match core {
            SelectCore::Select(select) => self.select(select, parent, &[], None),
            SelectCore::Values(values) => {
                let scope = Scope::new(parent);
                let mut columns: Vec<OutColumn> = Vec::new();
                for row in &values.rows {
                    for (i, expr) in row.iter().enumerate() {
                        let value = self.expr(&scope, expr);
                        match columns.get_mut(i) {
                            Some(column) => column.value = merge(&column.value, &value),
                            None => {
                                columns.push(OutColumn { name: format!("column{}", i + 1), value, span: expr.span })
                            }
                        }
                    }
                }
                columns
            }
        }
    }

    fn limit(&mut self, scope: &Scope<'_>, limit: Option<&Limit>) {
        let Some(limit) = limit else { return };
        for expr in std::iter::once(&limit.limit).chain(&limit.offset) {
            self.param_evidence(expr, Evidence::typed(SqlType::Integer, false, "a `LIMIT` or `OFFSET`"));
            self.expr(scope, expr);
        }
    }

    fn select(
        &mut self,
        select: &Select,
        parent: Option<&Scope<'_>>,
        order_by: &[OrderingTerm],
        limit: Option<&Limit>,
    ) -> Vec<OutColumn> {
        let mut scope = Scope::new(parent);
        if let Some(from) = &select.from {
            self.from(&mut scope, from);
        }
        let aggregate = select.columns.iter().any(|c| match c {
            ResultColumn::Expr { expr, .. } => expr::has_aggregate(expr),
            _ => false,
        }) || select.having.as_ref().is_some_and(expr::has_aggregate)
            || order_by.iter().any(|t| expr::has_aggregate(&t.expr));
        scope.bare_columns_nullable.set(aggregate && select.group_by.is_empty());
        let columns = self.result_columns(&scope, &select.columns);
        scope.bare_columns_nullable.set(false);
        scope.aliases = columns.iter().map(|c| (c.name.clone(), c.value.clone())).collect();
        if let Some(from) = &select.from {
            self.join_constraints(&scope, from);
        }
        for expr in select.where_.iter().chain(&select.group_by) {
            self.expr(&scope, expr);
        }
        scope.bare_columns_nullable.set(aggregate && select.group_by.is_empty());
        if let Some(having) = &select.having {
            self.expr(&scope, having);
        }
        for (_, window) in &select.windows {
            self.window(&scope, window);
        }
        for term in order_by {
            self.expr(&scope, &term.expr);
        }
        self.limit(&scope, limit);
        columns
    }

    fn window(&mut self, scope: &Scope<'_>, window: &WindowSpec) {
        for expr in window.partition_by.iter().chain(window.order_by.iter().map(|t| &t.expr)) {
            self.expr(scope, expr);
        }
        for expr in window.frame.iter().flatten() {
            self.expr(scope, expr);
        }
    }

    fn result_columns(&mut self, scope: &Scope<'_>, columns: &[ResultColumn]) -> Vec<OutColumn> {
        let mut out = Vec::new();
        for column in columns {
            match column {
                ResultColumn::Star(span) => {
                    for relation in &scope.relations {
                        for c in relation.columns.iter().filter(|c| !c.hidden) {
                            let mut value = c.value.clone();
                            value.nullable |= relation.nullable;
                            out.push(OutColumn { name: c.name.clone(), value, span: *span });
                        }
                    }
                }
                ResultColumn::TableStar(table) => {
                    let found = scope.relations.iter().find(|r| r.binding.as_deref().is_some_and(|b| table.is(b)));
                    match found {
                        Some(relation) => {
                            for c in &relation.columns {
                                let mut value = c.value.clone();
                                value.nullable |= relation.nullable;
                                out.push(OutColumn { name: c.name.clone(), value, span: table.span });
                            }
                        }
                        None => {
                            let bindings = scope.relations.iter().filter_map(|r| r.binding.clone()).collect::<Vec<_>>();
                            let help = suggest(&table.text, &bindings)
                                .unwrap_or_else(|| "name a table of the `FROM` clause, or its alias".to_owned());
                            self.problem(
                                DiagnosticKind::NoSuchTable,
                                format!("no such table `{}`", table.text),
                                help,
                                table.span,
                            );
                        }
                    }
                }
                ResultColumn::Expr { expr, alias } => {
                    let value = self.expr(scope, expr);
                    let name = match (alias, &expr.kind) {
                        (Some(alias), _) => alias.text.clone(),
                        (None, ExprKind::Column { column, .. }) => column.text.clone(),
                        (None, _) => String::new(),
                    };
                    out.push(OutColumn { name, value, span: expr.span });
                }
            }
        }
        out
    }

    // ---- FROM ----

    fn from(&mut self, scope: &mut Scope<'_>, from: &FromClause) {
        let start = scope.relations.len();
        self.table_ref(scope, &from.first);
        for join in &from.joins {
            let begin = scope.relations.len();
            self.table_ref(scope, &join.table);
            match join.kind {
                JoinKind::Left => scope.relations[begin..].iter_mut().for_each(|r| r.nullable = true),
                JoinKind::Right => scope.relations[start..begin].iter_mut().for_each(|r| r.nullable = true),
                JoinKind::Full => scope.relations[start..].iter_mut().for_each(|r| r.nullable = true),
                _ => {}
            }
            // The right-hand copies of `USING`/`NATURAL` columns are left out of `*`.
            let shared: Vec<String> = match &join.constraint {
                Some(JoinConstraint::Using(columns)) => columns.iter().map(|c| c.text.clone()).collect(),
                None if join.natural => {
                    let left: Vec<String> = scope.relations[start..begin]
                        .iter()
                        .flat_map(|r| r.columns.iter().filter(|c| !c.hidden).map(|c| c.name.to_ascii_lowercase()))
                        .collect();
                    scope.relations[begin..]
                        .iter()
                        .flat_map(|r| r.columns.iter().map(|c| c.name.clone()))
                        .filter(|name| left.contains(&name.to_ascii_lowercase()))
                        .collect()
                }
                _ => Vec::new(),
            };
            for relation in &mut scope.relations[begin..] {
                for column in &mut relation.columns {
                    if shared.iter().any(|s| s.eq_ignore_ascii_case(&column.name)) {
                        column.hidden = true;
                    }
                }
            }
        }
    }

    /// Types the `ON` clauses and table-function arguments, once every relation is in scope.
    fn join_constraints(&mut self, scope: &Scope<'_>, from: &FromClause) {
        for table in from.tables() {
            match table {
                TableRef::Function { args, .. } => {
                    for arg in args {
                        self.expr(scope, arg);
                    }
                }
                TableRef::Nested { from, .. } => self.join_constraints(scope, from),
                _ => {}
            }
        }
        for join in &from.joins {
            if let Some(JoinConstraint::On(expr)) = &join.constraint {
                self.expr(scope, expr);
            }
        }
    }

    fn table_ref(&mut self, scope: &mut Scope<'_>, table: &TableRef) {
        match table {
            TableRef::Table { name, alias, .. } => {
                let binding = alias.as_ref().unwrap_or(name).text.clone();
                let relation = self.named_relation(name, binding);
                scope.relations.push(relation);
            }
            TableRef::Function { name, alias, .. } => {
                let binding = Some(alias.as_ref().unwrap_or(name).text.clone());
                let relation = match functions::table_function_columns(&name.text) {
                    Some(columns) => Relation::from_columns(binding, &columns),
                    None => Relation::opaque(binding),
                };
                scope.relations.push(relation);
            }
            TableRef::Subquery { query, alias, .. } => {
                let columns = self.query(query, scope.parent);
                scope.relations.push(Relation::from_columns(alias.as_ref().map(|a| a.text.clone()), &columns));
            }
            TableRef::Nested { from, .. } => self.from(scope, from),
        }
    }

    /// The relation a table, view or common table expression name stands for.
    fn named_relation(&mut self, name: &Name, binding: String) -> Relation {
        if let Some(cte) = self.cte(&name.text) {
            return match &cte.columns {
                Some(columns) => Relation::from_columns(Some(binding), columns),
                // A recursive reference while the first branch is typed.
                None => Relation::opaque(Some(binding)),
            };
        }
        if let Some(table) = self.schema.table(&name.text) {
            return Relation::from_table(table, binding);
        }
        if let Some(view) = self.schema.view(&name.text) {
            return self.view_relation(view, binding);
        }
        let mut candidates: Vec<String> = self.schema.tables().iter().map(|t| t.name.clone()).collect();
        candidates.extend(self.schema.views().iter().map(|v| v.name.clone()));
        candidates.extend(self.ctes.iter().map(|c| c.name.clone()));
        let help = suggest(&name.text, &candidates).unwrap_or_else(|| {
            "check the name against the migrations, or create the table in a new migration".to_owned()
        });
        self.problem(DiagnosticKind::NoSuchTable, format!("no such table `{}`", name.text), help, name.span);
        Relation::opaque(Some(binding))
    }

    fn view_relation(&mut self, view: &crate::schema::View, binding: String) -> Relation {
        let parsed = if self.view_depth < 8 { parse(&view.query).ok() } else { None };
        let columns = match parsed {
            Some(Statement::Select(query)) => {
                let saved = std::mem::take(&mut self.ctes);
                self.view_depth += 1;
                self.quiet += 1;
                let mut columns = self.query(&query, None);
                self.quiet -= 1;
                self.view_depth -= 1;
                self.ctes = saved;
                for (column, name) in columns.iter_mut().zip(&view.columns) {
                    column.name = name.clone();
                }
                columns
            }
            // Not typed: every column unknown and nullable, so a query must annotate it.
            _ => view
                .columns
                .iter()
                .map(|name| OutColumn { name: name.clone(), value: Value::unknown(), span: Span::default() })
                .collect(),
        };
        Relation::from_columns(Some(binding), &columns)
    }

    // ---- names ----

    /// What a column reference names, or `None` (and a problem) when nothing in scope has it.
    fn resolve(&mut self, scope: &Scope<'_>, table: Option<&Name>, column: &Name, span: Span) -> Value {
        let mut current = Some(scope);
        while let Some(s) = current {
            let found = match table {
                Some(table) => s
                    .relations
                    .iter()
                    .find(|r| r.binding.as_deref().is_some_and(|b| table.is(b)))
                    .map(|r| r.column(&column.text).ok_or(r)),
                None => {
                    // Unqualified: the first relation that has it (SQLite has already refused
                    // an ambiguous name; `USING` columns resolve to the left one).
                    let named = s.relations.iter().filter(|r| !r.opaque).find_map(|r| r.column(&column.text));
                    let named = named
                        .or_else(|| s.aliases.iter().find(|(name, _)| column.is(name)).map(|(_, value)| value.clone()));
                    let named = named.or_else(|| s.relations.iter().find_map(|r| r.column(&column.text)));
                    named.map(Ok)
                }
            };
            match found {
                Some(Ok(mut value)) => {
                    if s.bare_columns_nullable.get() && !s.in_aggregate.get() {
                        value.nullable = true;
                    }
                    return value;
                }
                Some(Err(relation)) => {
                    let relation = relation.clone();
                    self.no_such_column(scope, Some(&relation), column, span);
                    return Value::unknown();
                }
                None => {}
            }
            current = s.parent;
        }
        self.no_such_column(scope, None, column, span);
        Value::unknown()
    }

    fn no_such_column(&mut self, scope: &Scope<'_>, relation: Option<&Relation>, column: &Name, span: Span) {
        let candidates: Vec<String> = match relation {
            Some(relation) => relation.columns.iter().map(|c| c.name.clone()).collect(),
            None => {
                let mut names = Vec::new();
                let mut current = Some(scope);
                while let Some(s) = current {
                    names.extend(s.relations.iter().flat_map(|r| r.columns.iter().map(|c| c.name.clone())));
                    names.extend(s.aliases.iter().map(|(n, _)| n.clone()));
                    current = s.parent;
                }
                names
            }
        };
        let shown = match relation.and_then(|r| r.binding.as_deref()) {
            Some(binding) => format!("{binding}.{}", column.text),
            None => column.text.clone(),
        };
        let help =
            suggest(&column.text, &candidates).unwrap_or_else(|| match relation.and_then(|r| r.binding.as_deref()) {
                Some(binding) if !candidates.is_empty() => format!(
                    "`{binding}` has {}",
                    candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                ),
                _ => "check the name against the migrations, or add the column in a new migration".to_owned(),
            });
        self.problem(DiagnosticKind::NoSuchColumn, format!("no such column `{shown}`"), help, span);
    }
}

/// The value of a column that comes from either of two branches (compound, `CASE`).
pub(crate) fn merge(a: &Value, b: &Value) -> Value {
    if a.null || b.null {
        let other = if a.null { b } else { a };
        return Value { nullable: true, origin: None, ..other.clone() };
    }
    let ty = match (a.ty, b.ty) {
        (Some(x), Some(y)) => x.unify(y),
        _ => None,
    };
    let origin = if a.origin == b.origin { a.origin.clone() } else { None };
    Value { ty, nullable: a.nullable || b.nullable, origin, null: false }
}
