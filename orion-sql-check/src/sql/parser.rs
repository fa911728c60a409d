//! The parser: tokens to a [`Statement`], by recursive descent over SQLite's grammar for
//! queries and writes. Expressions are in `parser/expr.rs`.
//!
//! The parser runs on SQL that SQLite is also asked about, so it does not need to explain
//! every mistake well: SQLite's message is the one shown for a syntax error. What it must do
//! is build the right tree for everything SQLite accepts, or refuse with
//! an unsupported [`ParseError`] when it meets something it does not know, never guess.

mod expr;

use super::ast::*;
use super::lexer::{Token, TokenKind, is_reserved, tokenize};

/// Why a statement could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, lowercase, with syntax in backticks.
    pub message: String,
    /// Where.
    pub span: Span,
    /// Whether the SQL may be valid but uses syntax this parser does not know.
    pub unsupported: bool,
}

impl ParseError {
    fn syntax(message: impl Into<String>, span: Span) -> ParseError {
        ParseError { message: message.into(), span, unsupported: false }
    }

    /// Valid SQLite, perhaps, but not something orion-sql-check understands.
    fn unsupported(message: impl Into<String>, span: Span) -> ParseError {
        ParseError { message: message.into(), span, unsupported: true }
    }
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses exactly one statement (a trailing `;` is allowed).
pub fn parse(sql: &str) -> Result<Statement> {
    let tokens = tokenize(sql).map_err(|e| ParseError::syntax(e.message, e.span))?;
    let mut parser = Parser { sql, tokens, pos: 0 };
    let statement = parser.statement()?;
    parser.eat(&TokenKind::Semicolon);
    if !parser.at_eof() {
        let token = parser.peek();
        return Err(ParseError::syntax(
            format!("expected the end of the statement, found `{}`", parser.text(token.span)),
            token.span,
        ));
    }
    Ok(statement)
}

/// Parses one expression that is the whole of `sql` (a `CHECK` constraint's).
pub(crate) fn parse_expr(sql: &str) -> Result<Expr> {
    let tokens = tokenize(sql).map_err(|e| ParseError::syntax(e.message, e.span))?;
    let mut parser = Parser { sql, tokens, pos: 0 };
    let expr = parser.expr()?;
    if !parser.at_eof() {
        return Err(parser.expected("the end of the expression"));
    }
    Ok(expr)
}

/// The spans of the statements in `sql`, split at `;` (empty statements are skipped). Fails
/// only when `sql` cannot be tokenized.
pub fn statement_spans(sql: &str) -> std::result::Result<Vec<Span>, ParseError> {
    let tokens = tokenize(sql).map_err(|e| ParseError::syntax(e.message, e.span))?;
    let mut spans = Vec::new();
    let mut start: Option<Span> = None;
    let mut last = Span::default();
    for token in &tokens {
        match token.kind {
            TokenKind::Semicolon | TokenKind::Eof => {
                if let Some(first) = start.take() {
                    spans.push(first.to(last));
                }
            }
            _ => {
                start.get_or_insert(token.span);
                last = token.span;
            }
        }
    }
    Ok(spans)
}

struct Parser<'a> {
    sql: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    // ---- tokens ----

    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &Token {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn at_eof(&self) -> bool {
        self.peek().kind == TokenKind::Eof
    }

    fn text(&self, span: Span) -> &str {
        &self.sql[span.range()]
    }

    /// The end of the last token taken.
    fn last_end(&self) -> usize {
        if self.pos == 0 { 0 } else { self.tokens[self.pos - 1].span.end }
    }

    fn is(&self, kind: &TokenKind) -> bool {
        &self.peek().kind == kind
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.is(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: &TokenKind, what: &str) -> Result<Span> {
        if self.is(kind) { Ok(self.bump().span) } else { Err(self.expected(what)) }
    }

    fn is_kw_at(&self, n: usize, word: &str) -> bool {
        matches!(&self.peek_at(n).kind, TokenKind::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    fn is_kw(&self, word: &str) -> bool {
        self.is_kw_at(0, word)
    }

    fn eat_kw(&mut self, word: &str) -> bool {
        if self.is_kw(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, word: &str) -> Result<Span> {
        if self.is_kw(word) { Ok(self.bump().span) } else { Err(self.expected(&format!("`{word}`"))) }
    }

    fn expected(&self, what: &str) -> ParseError {
        let token = self.peek();
        let found =
            if token.kind == TokenKind::Eof { "the end".to_owned() } else { format!("`{}`", self.text(token.span)) };
        ParseError::syntax(format!("expected {what}, found {found}"), token.span)
    }

    /// A name: a bare word that is not reserved, or a quoted name.
    fn name(&mut self, what: &str) -> Result<Name> {
        match &self.peek().kind {
            TokenKind::Ident(word) if !is_reserved(word) => {
                let text = word.clone();
                let span = self.bump().span;
                Ok(Name { text, span, quoted: false })
            }
            TokenKind::QuotedIdent(text) => {
                let text = text.clone();
                let span = self.bump().span;
                Ok(Name { text, span, quoted: true })
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Whether the next token can start a name.
    fn at_name(&self) -> bool {
        match &self.peek().kind {
            TokenKind::Ident(word) => !is_reserved(word),
            TokenKind::QuotedIdent(_) => true,
            _ => false,
        }
    }

    /// `AS name`, or a name without `AS` when `implicit` (also a string, as SQLite allows).
    fn alias(&mut self, implicit: bool) -> Result<Option<Name>> {
        if self.eat_kw("AS") {
            return self.alias_name().map(Some);
        }
        if implicit && (self.at_name() || matches!(self.peek().kind, TokenKind::String(_))) {
            return self.alias_name().map(Some);
        }
        Ok(None)
    }

    fn alias_name(&mut self) -> Result<Name> {
        if let TokenKind::String(text) = &self.peek().kind {
            let text = text.clone();
            let span = self.bump().span;
            return Ok(Name { text, span, quoted: true });
        }
        self.name("an alias")
    }

    /// `[schema.]name`.
    fn qualified_name(&mut self, what: &str) -> Result<(Option<Name>, Name)> {
        let first = self.name(what)?;
        if self.is(&TokenKind::Dot) {
            self.bump();
            let second = self.name(what)?;
            return Ok((Some(first), second));
        }
        Ok((None, first))
    }

    fn comma_list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut items = vec![item(self)?];
        while self.eat(&TokenKind::Comma) {
            items.push(item(self)?);
        }
        Ok(items)
    }

    fn paren_names(&mut self) -> Result<Vec<Name>> {
        self.expect(&TokenKind::LParen, "`(`")?;
        let names = self.comma_list(|p| p.name("a column name"))?;
        self.expect(&TokenKind::RParen, "`)`")?;
        Ok(names)
    }

    // ---- statements ----

    fn statement(&mut self) -> Result<Statement> {
        let start = self.peek().span.start;
        let with = if self.is_kw("WITH") { Some(self.with()?) } else { None };
        if self.is_kw("SELECT") || self.is_kw("VALUES") {
            return Ok(Statement::Select(Box::new(self.query_after_with(with, start)?)));
        }
        if self.is_kw("INSERT") || self.is_kw("REPLACE") {
            return Ok(Statement::Insert(Box::new(self.insert(with, start)?)));
        }
        if self.is_kw("UPDATE") {
            return Ok(Statement::Update(Box::new(self.update(with, start)?)));
        }
        if self.is_kw("DELETE") {
            return Ok(Statement::Delete(Box::new(self.delete(with, start)?)));
        }
        let token = self.peek();
        if with.is_none() && matches!(token.kind, TokenKind::Ident(_)) {
            return Err(ParseError::unsupported(
                format!(
                    "`{}` statements cannot be checked: a named query is one `SELECT`, `INSERT`, \
                     `UPDATE` or `DELETE` statement",
                    self.text(token.span).to_uppercase()
                ),
                token.span,
            ));
        }
        Err(self.expected("`SELECT`, `INSERT`, `UPDATE` or `DELETE`"))
    }

    fn with(&mut self) -> Result<With> {
        self.expect_kw("WITH")?;
        let recursive = self.eat_kw("RECURSIVE");
        let ctes = self.comma_list(|p| {
            let name = p.name("the name of a common table expression")?;
            let columns = if p.is(&TokenKind::LParen) { p.paren_names()? } else { Vec::new() };
            p.expect_kw("AS")?;
            if p.eat_kw("NOT") {
                p.expect_kw("MATERIALIZED")?;
            } else {
                p.eat_kw("MATERIALIZED");
            }
            p.expect(&TokenKind::LParen, "`(`")?;
            let query = p.query()?;
            p.expect(&TokenKind::RParen, "`)`")?;
            Ok(Cte { name, columns, query: Box::new(query) })
        })?;
        Ok(With { recursive, ctes })
    }

    /// A query, with its own `WITH` if it has one.
    fn query(&mut self) -> Result<Query> {
        let start = self.peek().span.start;
        let with = if self.is_kw("WITH") { Some(self.with()?) } else { None };
        self.query_after_with(with, start)
    }

    fn query_after_with(&mut self, with: Option<With>, start: usize) -> Result<Query> {
        let first = self.select_core()?;
        let mut compound = Vec::new();
        loop {
            let op = if self.eat_kw("UNION") {
                if self.eat_kw("ALL") { CompoundOp::UnionAll } else { CompoundOp::Union }
            } else if self.eat_kw("INTERSECT") {
                CompoundOp::Intersect
            } else if self.eat_kw("EXCEPT") {
                CompoundOp::Except
            } else {
                break;
            };
            compound.push((op, self.select_core()?));
        }
        let order_by = self.order_by()?;
        let limit = self.limit()?;
        Ok(Query { with, first, compound, order_by, limit, span: Span::new(start, self.last_end()) })
    }

    fn order_by(&mut self) -> Result<Vec<OrderingTerm>> {
        if !(self.is_kw("ORDER") && self.is_kw_at(1, "BY")) {
            return Ok(Vec::new());
        }
        self.bump();
        self.bump();
        self.comma_list(Self::ordering_term)
    }

    fn ordering_term(&mut self) -> Result<OrderingTerm> {
        let expr = self.expr()?;
        let descending = if self.eat_kw("DESC") {
            true
        } else {
            self.eat_kw("ASC");
            false
        };
        if self.eat_kw("NULLS") && !self.eat_kw("FIRST") {
            self.expect_kw("LAST")?;
        }
        Ok(OrderingTerm { expr, descending })
    }

    fn limit(&mut self) -> Result<Option<Limit>> {
        if !self.eat_kw("LIMIT") {
            return Ok(None);
        }
        let first = self.expr()?;
        if self.eat_kw("OFFSET") {
            let offset = self.expr()?;
            return Ok(Some(Limit { limit: first, offset: Some(offset) }));
        }
        if self.eat(&TokenKind::Comma) {
            // `LIMIT offset, count`.
            let count = self.expr()?;
            return Ok(Some(Limit { limit: count, offset: Some(first) }));
        }
        Ok(Some(Limit { limit: first, offset: None }))
    }

    fn select_core(&mut self) -> Result<SelectCore> {
        let start = self.peek().span.start;
        if self.eat_kw("VALUES") {
            let rows = self.comma_list(|p| {
                p.expect(&TokenKind::LParen, "`(`")?;
                let row = p.comma_list(Self::expr)?;
                p.expect(&TokenKind::RParen, "`)`")?;
                Ok(row)
            })?;
            return Ok(SelectCore::Values(Values { rows, span: Span::new(start, self.last_end()) }));
        }
        self.expect_kw("SELECT")?;
        let distinct = if self.eat_kw("DISTINCT") {
            true
        } else {
            self.eat_kw("ALL");
            false
        };
        let columns = self.comma_list(Self::result_column)?;
        let from = if self.eat_kw("FROM") { Some(self.from()?) } else { None };
        let where_ = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let mut group_by = Vec::new();
        let mut having = None;
        if self.is_kw("GROUP") && self.is_kw_at(1, "BY") {
            self.bump();
            self.bump();
            group_by = self.comma_list(Self::expr)?;
        }
        if self.eat_kw("HAVING") {
            having = Some(self.expr()?);
        }
        let mut windows = Vec::new();
        if self.eat_kw("WINDOW") {
            windows = self.comma_list(|p| {
                let name = p.name("a window name")?;
                p.expect_kw("AS")?;
                Ok((name, p.window_spec()?))
            })?;
        }
        let span = Span::new(start, self.last_end());
        Ok(SelectCore::Select(Box::new(Select { distinct, columns, from, where_, group_by, having, windows, span })))
    }

    fn result_column(&mut self) -> Result<ResultColumn> {
        if self.is(&TokenKind::Star) {
            return Ok(ResultColumn::Star(self.bump().span));
        }
        let is_name = matches!(self.peek().kind, TokenKind::Ident(_) | TokenKind::QuotedIdent(_));
        if is_name && self.peek_at(1).kind == TokenKind::Dot && self.peek_at(2).kind == TokenKind::Star {
            let mut table = self.name("a table name")?;
            self.bump();
            let star = self.bump().span;
            table.span = table.span.to(star);
            // `table.*`: the span covers the whole term, the text is the table.
            return Ok(ResultColumn::TableStar(table));
        }
        let expr = self.expr()?;
        let alias = self.alias(true)?;
        Ok(ResultColumn::Expr { expr, alias })
    }

    fn from(&mut self) -> Result<FromClause> {
        let first = self.table_ref()?;
        let mut joins = Vec::new();
        loop {
            let (kind, natural) = if self.eat(&TokenKind::Comma) {
                (JoinKind::Comma, false)
            } else if let Some(join) = self.join_operator()? {
                join
            } else {
                break;
            };
            let table = self.table_ref()?;
            let constraint = if self.eat_kw("ON") {
                Some(JoinConstraint::On(self.expr()?))
            } else if self.eat_kw("USING") {
                Some(JoinConstraint::Using(self.paren_names()?))
            } else {
                None
            };
            joins.push(Join { kind, natural, table, constraint });
        }
        Ok(FromClause { first, joins })
    }

    /// `[NATURAL] [LEFT|RIGHT|FULL [OUTER] | INNER | CROSS] JOIN`, if next.
    fn join_operator(&mut self) -> Result<Option<(JoinKind, bool)>> {
        let start = self.pos;
        let natural = self.eat_kw("NATURAL");
        let kind = if self.eat_kw("LEFT") {
            self.eat_kw("OUTER");
            JoinKind::Left
        } else if self.eat_kw("RIGHT") {
            self.eat_kw("OUTER");
            JoinKind::Right
        } else if self.eat_kw("FULL") {
            self.eat_kw("OUTER");
            JoinKind::Full
        } else if self.eat_kw("INNER") {
            JoinKind::Inner
        } else if self.eat_kw("CROSS") {
            JoinKind::Cross
        } else {
            JoinKind::Inner
        };
        if self.eat_kw("JOIN") {
            return Ok(Some((kind, natural)));
        }
        if self.pos != start {
            return Err(self.expected("`JOIN`"));
        }
        Ok(None)
    }

    fn table_ref(&mut self) -> Result<TableRef> {
        let start = self.peek().span.start;
        if self.is(&TokenKind::LParen) {
            let starts_query = self.is_kw_at(1, "SELECT") || self.is_kw_at(1, "VALUES") || self.is_kw_at(1, "WITH");
            self.bump();
            if starts_query {
                let query = self.query()?;
                self.expect(&TokenKind::RParen, "`)`")?;
                let alias = self.alias(true)?;
                let span = Span::new(start, self.last_end());
                return Ok(TableRef::Subquery { query: Box::new(query), alias, span });
            }
            let from = self.from()?;
            self.expect(&TokenKind::RParen, "`)`")?;
            let span = Span::new(start, self.last_end());
            if self.is_kw("AS") || self.at_name() {
                return Err(ParseError::unsupported(
                    "an alias after a parenthesised join cannot be checked: alias the tables inside it, \
                     or write a subquery `(SELECT …) AS alias`",
                    self.peek().span,
                ));
            }
            // `(t)` alone is just `t`.
            if from.joins.is_empty() && !matches!(from.first, TableRef::Nested { .. }) {
                return Ok(from.first);
            }
            return Ok(TableRef::Nested { from: Box::new(from), span });
        }
        let (schema, name) = self.qualified_name("a table name")?;
        if self.eat(&TokenKind::LParen) {
            let args = if self.is(&TokenKind::RParen) { Vec::new() } else { self.comma_list(Self::expr)? };
            self.expect(&TokenKind::RParen, "`)`")?;
            let alias = self.alias(true)?;
            let span = Span::new(start, self.last_end());
            return Ok(TableRef::Function { name, args, alias, span });
        }
        let alias = self.alias(true)?;
        self.indexed()?;
        let span = Span::new(start, self.last_end());
        Ok(TableRef::Table { schema, name, alias, span })
    }

    /// `INDEXED BY name` or `NOT INDEXED`, which change the plan, not the meaning.
    fn indexed(&mut self) -> Result<()> {
        if self.eat_kw("INDEXED") {
            self.expect_kw("BY")?;
            self.name("an index name")?;
        } else if self.is_kw("NOT") && self.is_kw_at(1, "INDEXED") {
            self.bump();
            self.bump();
        }
        Ok(())
    }

    fn conflict(&mut self) -> Result<Option<Conflict>> {
        if !self.eat_kw("OR") {
            return Ok(None);
        }
        let conflict = if self.eat_kw("ROLLBACK") {
            Conflict::Rollback
        } else if self.eat_kw("ABORT") {
            Conflict::Abort
        } else if self.eat_kw("REPLACE") {
            Conflict::Replace
        } else if self.eat_kw("FAIL") {
            Conflict::Fail
        } else if self.eat_kw("IGNORE") {
            Conflict::Ignore
        } else {
            return Err(self.expected("`ROLLBACK`, `ABORT`, `REPLACE`, `FAIL` or `IGNORE`"));
        };
        Ok(Some(conflict))
    }

    /// `name [AS alias]` of a write (the alias needs `AS` there).
    fn write_target(&mut self) -> Result<(Option<Name>, Name, Option<Name>)> {
        let (schema, table) = self.qualified_name("a table name")?;
        let alias = self.alias(false)?;
        Ok((schema, table, alias))
    }

    fn returning(&mut self) -> Result<Vec<ResultColumn>> {
        if self.eat_kw("RETURNING") { self.comma_list(Self::result_column) } else { Ok(Vec::new()) }
    }

    fn insert(&mut self, with: Option<With>, start: usize) -> Result<Insert> {
        let or = if self.eat_kw("REPLACE") {
            Some(Conflict::Replace)
        } else {
            self.expect_kw("INSERT")?;
            self.conflict()?
        };
        self.expect_kw("INTO")?;
        let (schema, table, alias) = self.write_target()?;
        let columns = if self.is(&TokenKind::LParen) { self.paren_names()? } else { Vec::new() };
        let source = if self.eat_kw("DEFAULT") {
            self.expect_kw("VALUES")?;
            None
        } else {
            Some(Box::new(self.query()?))
        };
        let mut upserts = Vec::new();
        while self.is_kw("ON") && self.is_kw_at(1, "CONFLICT") {
            upserts.push(self.upsert()?);
        }
        let returning = self.returning()?;
        let span = Span::new(start, self.last_end());
        Ok(Insert { with, or, schema, table, alias, columns, source, upserts, returning, span })
    }

    fn upsert(&mut self) -> Result<Upsert> {
        let start = self.peek().span.start;
        self.expect_kw("ON")?;
        self.expect_kw("CONFLICT")?;
        let mut target = Vec::new();
        let mut target_where = None;
        if self.eat(&TokenKind::LParen) {
            target = self.comma_list(|p| {
                let term = p.ordering_term()?;
                Ok(term.expr)
            })?;
            self.expect(&TokenKind::RParen, "`)`")?;
            if self.eat_kw("WHERE") {
                target_where = Some(self.expr()?);
            }
        }
        self.expect_kw("DO")?;
        let update = if self.eat_kw("NOTHING") {
            None
        } else {
            self.expect_kw("UPDATE")?;
            self.expect_kw("SET")?;
            let assignments = self.assignments()?;
            let where_ = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
            Some(UpsertUpdate { assignments, where_ })
        };
        Ok(Upsert { target, target_where, update, span: Span::new(start, self.last_end()) })
    }

    fn assignments(&mut self) -> Result<Vec<Assignment>> {
        self.comma_list(|p| {
            let columns = if p.is(&TokenKind::LParen) { p.paren_names()? } else { vec![p.name("a column name")?] };
            p.expect(&TokenKind::Eq, "`=`")?;
            let value = p.expr()?;
            Ok(Assignment { columns, value })
        })
    }

    fn update(&mut self, with: Option<With>, start: usize) -> Result<Update> {
        self.expect_kw("UPDATE")?;
        let or = self.conflict()?;
        let (schema, table, alias) = self.write_target()?;
        self.indexed()?;
        self.expect_kw("SET")?;
        let assignments = self.assignments()?;
        let from = if self.eat_kw("FROM") { Some(self.from()?) } else { None };
        let where_ = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let returning = self.returning()?;
        if self.is_kw("ORDER") || self.is_kw("LIMIT") {
            return Err(ParseError::unsupported(
                "`ORDER BY` and `LIMIT` on `UPDATE` cannot be checked: select the rows in a subquery, \
                 `WHERE id IN (SELECT id … LIMIT n)`",
                self.peek().span,
            ));
        }
        let span = Span::new(start, self.last_end());
        Ok(Update { with, or, schema, table, alias, assignments, from, where_, returning, span })
    }

    fn delete(&mut self, with: Option<With>, start: usize) -> Result<Delete> {
        self.expect_kw("DELETE")?;
        self.expect_kw("FROM")?;
        let (schema, table, alias) = self.write_target()?;
        self.indexed()?;
        let where_ = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let returning = self.returning()?;
        if self.is_kw("ORDER") || self.is_kw("LIMIT") {
            return Err(ParseError::unsupported(
                "`ORDER BY` and `LIMIT` on `DELETE` cannot be checked: select the rows in a subquery, \
                 `WHERE id IN (SELECT id … LIMIT n)`",
                self.peek().span,
            ));
        }
        let span = Span::new(start, self.last_end());
        Ok(Delete { with, schema, table, alias, where_, returning, span })
    }

    /// `( [base] [PARTITION BY …] [ORDER BY …] [frame] )`.
    fn window_spec(&mut self) -> Result<WindowSpec> {
        self.expect(&TokenKind::LParen, "`(`")?;
        let mut base = None;
        let frame_words = ["PARTITION", "ORDER", "RANGE", "ROWS", "GROUPS"];
        if self.at_name() && !frame_words.iter().any(|w| self.is_kw(w)) {
            base = Some(self.name("a window name")?);
        }
        let mut partition_by = Vec::new();
        if self.is_kw("PARTITION") {
            self.bump();
            self.expect_kw("BY")?;
            partition_by = self.comma_list(Self::expr)?;
        }
        let order_by = self.order_by()?;
        let mut frame = None;
        if self.eat_kw("RANGE") || self.eat_kw("ROWS") || self.eat_kw("GROUPS") {
            let mut bounds = Vec::new();
            if self.eat_kw("BETWEEN") {
                self.frame_bound(&mut bounds)?;
                self.expect_kw("AND")?;
                self.frame_bound(&mut bounds)?;
            } else {
                self.frame_bound(&mut bounds)?;
            }
            if self.eat_kw("EXCLUDE") {
                if self.eat_kw("NO") {
                    self.expect_kw("OTHERS")?;
                } else if self.eat_kw("CURRENT") {
                    self.expect_kw("ROW")?;
                } else if !self.eat_kw("GROUP") {
                    self.expect_kw("TIES")?;
                }
            }
            frame = Some(bounds);
        }
        self.expect(&TokenKind::RParen, "`)`")?;
        Ok(WindowSpec { base, partition_by, order_by, frame })
    }

    fn frame_bound(&mut self, bounds: &mut Vec<Expr>) -> Result<()> {
        if self.eat_kw("UNBOUNDED") {
            if !self.eat_kw("PRECEDING") {
                self.expect_kw("FOLLOWING")?;
            }
            return Ok(());
        }
        if self.is_kw("CURRENT") && self.is_kw_at(1, "ROW") {
            self.bump();
            self.bump();
            return Ok(());
        }
        bounds.push(self.expr_bp(expr::BP_COMPARE)?);
        if !self.eat_kw("PRECEDING") {
            self.expect_kw("FOLLOWING")?;
        }
        Ok(())
    }
}
