//! The syntax tree of one statement: what [`parse`](super::parse) returns.
//!
//! Every node that can be pointed at carries a [`Span`], a byte range into the parsed text.
//! Names keep their spelling; compare them with [`Name::is`] (SQLite's names are
//! case-insensitive for ASCII).

use std::fmt;
use std::ops::Range;

/// A byte range into the SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// As a `Range`, to slice the text with.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// A name as written: a table, column, alias, function or collation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The name without quotes (`"a""b"` is `a"b`).
    pub text: String,
    /// Where it is written.
    pub span: Span,
    /// Whether it was quoted (a quoted name is never a keyword).
    pub quoted: bool,
}

impl Name {
    /// Whether this is `other`, compared as SQLite compares names (ASCII case-insensitive).
    pub fn is(&self, other: &str) -> bool {
        self.text.eq_ignore_ascii_case(other)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One statement: a query or a write. Other statements (DDL, `PRAGMA`, `ATTACH`, transaction
/// control) are not parsed: [`parse`](super::parse) refuses them.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `SELECT …`, `VALUES …`, `WITH … SELECT …`.
    Select(Box<Query>),
    /// `INSERT …` or `REPLACE …`.
    Insert(Box<Insert>),
    /// `UPDATE …`.
    Update(Box<Update>),
    /// `DELETE …`.
    Delete(Box<Delete>),
}

/// A `WITH` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct With {
    /// `WITH RECURSIVE`.
    pub recursive: bool,
    /// The common table expressions, in order.
    pub ctes: Vec<Cte>,
}

/// One common table expression: `name (columns) AS [NOT] MATERIALIZED (query)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    /// Its name.
    pub name: Name,
    /// The column names given after the name, if any.
    pub columns: Vec<Name>,
    /// Its query.
    pub query: Box<Query>,
}

/// A query: `[WITH …] core [compound core]… [ORDER BY …] [LIMIT …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The `WITH` clause.
    pub with: Option<With>,
    /// The first select core.
    pub first: SelectCore,
    /// Further cores joined by `UNION`, `UNION ALL`, `INTERSECT` or `EXCEPT`.
    pub compound: Vec<(CompoundOp, SelectCore)>,
    /// `ORDER BY` of the whole query.
    pub order_by: Vec<OrderingTerm>,
    /// `LIMIT` of the whole query.
    pub limit: Option<Limit>,
    /// The whole query.
    pub span: Span,
}

impl Query {
    /// Every select core: the first, then the compound branches.
    pub fn cores(&self) -> impl Iterator<Item = &SelectCore> {
        std::iter::once(&self.first).chain(self.compound.iter().map(|(_, core)| core))
    }
}

/// How two select cores combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompoundOp {
    /// `UNION`.
    Union,
    /// `UNION ALL`.
    UnionAll,
    /// `INTERSECT`.
    Intersect,
    /// `EXCEPT`.
    Except,
}

/// One select core.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectCore {
    /// `SELECT …`.
    Select(Box<Select>),
    /// `VALUES (…), (…)`.
    Values(Values),
}

/// `VALUES (…), (…)`: rows of expressions.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// The rows.
    pub rows: Vec<Vec<Expr>>,
    /// The whole clause.
    pub span: Span,
}

/// `SELECT [DISTINCT] columns [FROM …] [WHERE …] [GROUP BY … [HAVING …]] [WINDOW …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// The result columns.
    pub columns: Vec<ResultColumn>,
    /// The `FROM` clause.
    pub from: Option<FromClause>,
    /// The `WHERE` clause.
    pub where_: Option<Expr>,
    /// The `GROUP BY` terms.
    pub group_by: Vec<Expr>,
    /// The `HAVING` clause.
    pub having: Option<Expr>,
    /// Named windows of the `WINDOW` clause.
    pub windows: Vec<(Name, WindowSpec)>,
    /// From `SELECT` to the end of the core.
    pub span: Span,
}

/// One result column (also of a `RETURNING` clause).
#[derive(Debug, Clone, PartialEq)]
pub enum ResultColumn {
    /// `*`.
    Star(Span),
    /// `table.*`.
    TableStar(Name),
    /// An expression and its alias.
    Expr {
        /// The expression.
        expr: Expr,
        /// `AS alias` (or the alias without `AS`).
        alias: Option<Name>,
    },
}

/// A `FROM` clause (or `UPDATE … FROM`): a first table and the joins after it, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct FromClause {
    /// The first table, subquery or parenthesised join.
    pub first: TableRef,
    /// The joins, in order; each joins everything to its left with its own table.
    pub joins: Vec<Join>,
}

impl FromClause {
    /// Every table reference of this clause, left to right (not looking inside parentheses).
    pub fn tables(&self) -> impl Iterator<Item = &TableRef> {
        std::iter::once(&self.first).chain(self.joins.iter().map(|join| &join.table))
    }
}

/// One join: `[NATURAL] LEFT JOIN table ON …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// How it joins.
    pub kind: JoinKind,
    /// `NATURAL`.
    pub natural: bool,
    /// What is joined.
    pub table: TableRef,
    /// `ON …` or `USING (…)`.
    pub constraint: Option<JoinConstraint>,
}

/// The kind of a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `,` (a cross join that the planner may reorder).
    Comma,
    /// `JOIN` or `INNER JOIN`.
    Inner,
    /// `CROSS JOIN`.
    Cross,
    /// `LEFT [OUTER] JOIN`: the right side may be missing (null-extended).
    Left,
    /// `RIGHT [OUTER] JOIN`: the left side may be missing.
    Right,
    /// `FULL [OUTER] JOIN`: either side may be missing.
    Full,
}

/// `ON expr` or `USING (columns)`.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinConstraint {
    /// `ON expr`.
    On(Expr),
    /// `USING (columns)`.
    Using(Vec<Name>),
}

/// Something in a `FROM` clause.
#[derive(Debug, Clone, PartialEq)]
pub enum TableRef {
    /// A table, view or common table expression by name.
    Table {
        /// `main.` or another schema name.
        schema: Option<Name>,
        /// The name.
        name: Name,
        /// `AS alias`.
        alias: Option<Name>,
        /// From the name to the end of the alias.
        span: Span,
    },
    /// A table-valued function: `json_each(…)`.
    Function {
        /// The function.
        name: Name,
        /// Its arguments.
        args: Vec<Expr>,
        /// `AS alias`.
        alias: Option<Name>,
        /// The whole reference.
        span: Span,
    },
    /// `(SELECT …) AS alias`.
    Subquery {
        /// The query.
        query: Box<Query>,
        /// `AS alias`.
        alias: Option<Name>,
        /// The whole reference.
        span: Span,
    },
    /// `(a JOIN b …)`: a parenthesised join.
    Nested {
        /// The join inside the parentheses.
        from: Box<FromClause>,
        /// The whole reference.
        span: Span,
    },
}

impl TableRef {
    /// The whole reference.
    pub fn span(&self) -> Span {
        match self {
            TableRef::Table { span, .. }
            | TableRef::Function { span, .. }
            | TableRef::Subquery { span, .. }
            | TableRef::Nested { span, .. } => *span,
        }
    }
}

/// `expr [COLLATE c] [ASC|DESC] [NULLS FIRST|LAST]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderingTerm {
    /// The expression.
    pub expr: Expr,
    /// `DESC`.
    pub descending: bool,
}

/// `LIMIT n [OFFSET m]` (or `LIMIT m, n`).
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The row count.
    pub limit: Expr,
    /// The offset.
    pub offset: Option<Expr>,
}

/// `INSERT`/`REPLACE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// The `WITH` clause.
    pub with: Option<With>,
    /// `INSERT OR …` (`REPLACE INTO` is `OR REPLACE`).
    pub or: Option<Conflict>,
    /// The schema of the table (`main.`).
    pub schema: Option<Name>,
    /// The table written to.
    pub table: Name,
    /// `AS alias`.
    pub alias: Option<Name>,
    /// The column list, empty when not given (every column in table order).
    pub columns: Vec<Name>,
    /// The rows: a query (`VALUES` is a query), or `None` for `DEFAULT VALUES`.
    pub source: Option<Box<Query>>,
    /// `ON CONFLICT …` clauses, in order.
    pub upserts: Vec<Upsert>,
    /// `RETURNING …`.
    pub returning: Vec<ResultColumn>,
    /// The whole statement.
    pub span: Span,
}

/// A conflict resolution: `OR REPLACE`, `OR IGNORE`, ….
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// `OR ROLLBACK`.
    Rollback,
    /// `OR ABORT`.
    Abort,
    /// `OR REPLACE` (deletes the rows in the way).
    Replace,
    /// `OR FAIL`.
    Fail,
    /// `OR IGNORE`.
    Ignore,
}

/// `ON CONFLICT [(target) [WHERE …]] DO NOTHING | DO UPDATE SET … [WHERE …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Upsert {
    /// The conflict target's indexed columns (expressions), empty when not given.
    pub target: Vec<Expr>,
    /// The `WHERE` of the conflict target (a partial index).
    pub target_where: Option<Expr>,
    /// `DO UPDATE SET …`, or `None` for `DO NOTHING`.
    pub update: Option<UpsertUpdate>,
    /// The whole clause.
    pub span: Span,
}

/// `DO UPDATE SET … [WHERE …]` of an upsert. `excluded.column` names the row that was not
/// inserted.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertUpdate {
    /// The assignments.
    pub assignments: Vec<Assignment>,
    /// Which conflicting rows are updated.
    pub where_: Option<Expr>,
}

/// `column = expr` or `(a, b) = (expr, expr)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The columns assigned (one unless a row value).
    pub columns: Vec<Name>,
    /// The value.
    pub value: Expr,
}

/// `UPDATE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// The `WITH` clause.
    pub with: Option<With>,
    /// `UPDATE OR …`.
    pub or: Option<Conflict>,
    /// The schema of the table (`main.`).
    pub schema: Option<Name>,
    /// The table updated.
    pub table: Name,
    /// `AS alias`.
    pub alias: Option<Name>,
    /// `SET …`.
    pub assignments: Vec<Assignment>,
    /// `FROM …`.
    pub from: Option<FromClause>,
    /// `WHERE …`: which rows are updated.
    pub where_: Option<Expr>,
    /// `RETURNING …`.
    pub returning: Vec<ResultColumn>,
    /// The whole statement.
    pub span: Span,
}

/// `DELETE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    /// The `WITH` clause.
    pub with: Option<With>,
    /// The schema of the table (`main.`).
    pub schema: Option<Name>,
    /// The table deleted from.
    pub table: Name,
    /// `AS alias`.
    pub alias: Option<Name>,
    /// `WHERE …`: which rows are deleted.
    pub where_: Option<Expr>,
    /// `RETURNING …`.
    pub returning: Vec<ResultColumn>,
    /// The whole statement.
    pub span: Span,
}

/// An expression and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

impl Expr {
    /// The operands of the top-level `AND`s: `a AND (b AND c)` is `[a, b, c]`. Parentheses
    /// are not nodes, so `(a AND b)` splits too.
    pub fn conjuncts(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            match &expr.kind {
                ExprKind::Binary { op: BinaryOp::And, left, right } => {
                    stack.push(right);
                    stack.push(left);
                }
                _ => out.push(expr),
            }
        }
        out
    }

    /// Calls `f` on this expression and every expression inside it, not entering subqueries.
    pub fn walk<'e>(&'e self, f: &mut dyn FnMut(&'e Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Column { .. }
            | ExprKind::Raise
            | ExprKind::Exists { .. }
            | ExprKind::Subquery(_) => {}
            ExprKind::Unary { expr, .. }
            | ExprKind::Collate { expr, .. }
            | ExprKind::IsNull { expr, .. }
            | ExprKind::Cast { expr, .. }
            | ExprKind::InQuery { expr, .. } => expr.walk(f),
            ExprKind::Binary { left, right, .. } => {
                left.walk(f);
                right.walk(f);
            }
            ExprKind::Like { expr, pattern, escape, .. } => {
                expr.walk(f);
                pattern.walk(f);
                if let Some(escape) = escape {
                    escape.walk(f);
                }
            }
            ExprKind::Between { expr, low, high, .. } => {
                expr.walk(f);
                low.walk(f);
                high.walk(f);
            }
            ExprKind::InList { expr, list, .. } => {
                expr.walk(f);
                list.iter().for_each(|e| e.walk(f));
            }
            ExprKind::InTable { expr, args, .. } => {
                expr.walk(f);
                args.iter().flatten().for_each(|e| e.walk(f));
            }
            ExprKind::Row(items) => items.iter().for_each(|e| e.walk(f)),
            ExprKind::Case { operand, whens, else_ } => {
                if let Some(operand) = operand {
                    operand.walk(f);
                }
                for (when, then) in whens {
                    when.walk(f);
                    then.walk(f);
                }
                if let Some(else_) = else_ {
                    else_.walk(f);
                }
            }
            ExprKind::Function(call) => {
                call.args.iter().for_each(|e| e.walk(f));
                if let Some(filter) = &call.filter {
                    filter.walk(f);
                }
            }
        }
    }
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Literal(Literal),
    /// `:name` (the name without the colon).
    Param(String),
    /// `[[schema.]table.]column`.
    Column {
        /// The schema, when written.
        schema: Option<Name>,
        /// The table or alias, when written.
        table: Option<Name>,
        /// The column.
        column: Name,
    },
    /// `-x`, `+x`, `~x`, `NOT x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `x COLLATE name`.
    Collate {
        /// The operand.
        expr: Box<Expr>,
        /// The collation.
        collation: Name,
    },
    /// `x [NOT] LIKE|GLOB|REGEXP|MATCH pattern [ESCAPE e]`.
    Like {
        /// `NOT`.
        negated: bool,
        /// Which operator.
        op: LikeOp,
        /// The operand.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// `ESCAPE …`.
        escape: Option<Box<Expr>>,
    },
    /// `x [NOT] BETWEEN low AND high`.
    Between {
        /// `NOT`.
        negated: bool,
        /// The operand.
        expr: Box<Expr>,
        /// The low bound.
        low: Box<Expr>,
        /// The high bound.
        high: Box<Expr>,
    },
    /// `x [NOT] IN (a, b, …)`.
    InList {
        /// `NOT`.
        negated: bool,
        /// The operand.
        expr: Box<Expr>,
        /// The list (may be empty).
        list: Vec<Expr>,
    },
    /// `x [NOT] IN (SELECT …)`.
    InQuery {
        /// `NOT`.
        negated: bool,
        /// The operand.
        expr: Box<Expr>,
        /// The query.
        query: Box<Query>,
    },
    /// `x [NOT] IN table` or `x [NOT] IN table_function(args)`: every row of the table.
    InTable {
        /// `NOT`.
        negated: bool,
        /// The operand.
        expr: Box<Expr>,
        /// The schema, when written.
        schema: Option<Name>,
        /// The table or function.
        table: Name,
        /// The function's arguments, `None` for a table.
        args: Option<Vec<Expr>>,
    },
    /// `x ISNULL`, `x NOTNULL`, `x NOT NULL` (`x IS NULL` is a [`BinaryOp::Is`]).
    IsNull {
        /// `NOTNULL` / `NOT NULL`.
        negated: bool,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `[NOT] EXISTS (SELECT …)`.
    Exists {
        /// `NOT`.
        negated: bool,
        /// The query.
        query: Box<Query>,
    },
    /// `(SELECT …)`: a scalar subquery.
    Subquery(Box<Query>),
    /// `(a, b, …)`: a row value (a single parenthesised expression is not a node).
    Row(Vec<Expr>),
    /// `CAST(x AS type)`.
    Cast {
        /// The operand.
        expr: Box<Expr>,
        /// The type name as written (`INTEGER`, `VARCHAR(10)`).
        type_name: String,
    },
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    Case {
        /// The operand after `CASE`.
        operand: Option<Box<Expr>>,
        /// The `WHEN … THEN …` pairs.
        whens: Vec<(Expr, Expr)>,
        /// `ELSE …`.
        else_: Option<Box<Expr>>,
    },
    /// A function call, aggregate or window function.
    Function(Box<FunctionCall>),
    /// `RAISE(…)`, only in triggers.
    Raise,
}

/// A function call: `name([DISTINCT] args [ORDER BY …]) [FILTER (WHERE …)] [OVER …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// The function.
    pub name: Name,
    /// `DISTINCT`.
    pub distinct: bool,
    /// `name(*)`.
    pub star: bool,
    /// The arguments.
    pub args: Vec<Expr>,
    /// `ORDER BY` inside the parentheses (aggregates).
    pub order_by: Vec<OrderingTerm>,
    /// `FILTER (WHERE …)`.
    pub filter: Option<Expr>,
    /// `OVER …`: a window function.
    pub over: Option<Over>,
}

/// `OVER name` or `OVER (…)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Over {
    /// `OVER name`.
    Named(Name),
    /// `OVER (…)`.
    Spec(WindowSpec),
}

/// A window: `([base] [PARTITION BY …] [ORDER BY …] [frame])`.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    /// The window it extends.
    pub base: Option<Name>,
    /// `PARTITION BY …`.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY …`.
    pub order_by: Vec<OrderingTerm>,
    /// Whether a frame (`ROWS|RANGE|GROUPS …`) was given; its bounds are expressions.
    pub frame: Option<Vec<Expr>>,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// An integer, as written.
    Integer(String),
    /// A real, as written.
    Real(String),
    /// A string, unquoted.
    String(String),
    /// `X'…'`.
    Blob,
    /// `NULL`.
    Null,
    /// `TRUE` (the integer 1).
    True,
    /// `FALSE` (the integer 0).
    False,
    /// `CURRENT_TIME`, `CURRENT_DATE` or `CURRENT_TIMESTAMP`.
    CurrentTime,
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Plus,
    /// `~x`.
    BitNot,
    /// `NOT x`.
    Not,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`.
    Or,
    /// `AND`.
    And,
    /// `=` or `==`.
    Eq,
    /// `!=` or `<>`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `IS` or `IS NOT DISTINCT FROM`.
    Is,
    /// `IS NOT` or `IS DISTINCT FROM`.
    IsNot,
    /// `&`.
    BitAnd,
    /// `|`.
    BitOr,
    /// `<<`.
    Shl,
    /// `>>`.
    Shr,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `||`.
    Concat,
    /// `->` (JSON text).
    Extract,
    /// `->>` (SQL value).
    ExtractValue,
}

/// The pattern operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeOp {
    /// `LIKE`.
    Like,
    /// `GLOB`.
    Glob,
    /// `REGEXP`.
    Regexp,
    /// `MATCH`.
    Match,
}
