//! Expressions, by precedence climbing with SQLite's operator precedence (`parse.y`):
//! `OR` < `AND` < `NOT` < `= IS IN LIKE BETWEEN ISNULL` < `< <= > >=` < `& | << >>` < `+ -`
//! < `* / %` < `|| -> ->>` < `COLLATE` < unary `- + ~`.

use super::{Parser, Result};
use crate::sql::ast::*;
use crate::sql::lexer::{TokenKind, is_reserved};

const BP_OR: u8 = 1;
const BP_AND: u8 = 2;
const BP_NOT: u8 = 3;
const BP_EQUALITY: u8 = 4;
/// The operands of `BETWEEN`, `LIKE`, `IS`: anything tighter than the equality level.
pub(super) const BP_COMPARE: u8 = 5;
const BP_BIT: u8 = 6;
const BP_ADD: u8 = 7;
const BP_MUL: u8 = 8;
const BP_CONCAT: u8 = 9;
const BP_COLLATE: u8 = 10;
const BP_UNARY: u8 = 11;

impl Parser<'_> {
    /// A whole expression.
    pub(super) fn expr(&mut self) -> Result<Expr> {
        self.expr_bp(BP_OR)
    }

    /// An expression whose operators all bind at least as tightly as `min`.
    pub(super) fn expr_bp(&mut self, min: u8) -> Result<Expr> {
        let mut left = self.prefix()?;
        while let Some(bp) = self.infix_power() {
            if bp < min {
                break;
            }
            left = self.infix(left, bp)?;
        }
        Ok(left)
    }

    fn prefix(&mut self) -> Result<Expr> {
        let start = self.peek().span;
        let unary = |p: &mut Self, op: UnaryOp, bp: u8| -> Result<Expr> {
            p.bump();
            let expr = p.expr_bp(bp)?;
            Ok(Expr { span: start.to(expr.span), kind: ExprKind::Unary { op, expr: Box::new(expr) } })
        };
        match self.peek().kind {
            TokenKind::Minus => return unary(self, UnaryOp::Neg, BP_UNARY),
            TokenKind::Plus => return unary(self, UnaryOp::Plus, BP_UNARY),
            TokenKind::Tilde => return unary(self, UnaryOp::BitNot, BP_UNARY),
            _ => {}
        }
        if self.is_kw("NOT") && !self.is_kw_at(1, "EXISTS") {
            return unary(self, UnaryOp::Not, BP_NOT);
        }
        self.primary()
    }

    /// The binding power of the operator at the current token, if it is one.
    fn infix_power(&self) -> Option<u8> {
        let bp = match &self.peek().kind {
            TokenKind::Eq | TokenKind::Ne => BP_EQUALITY,
            TokenKind::Lt | TokenKind::Le | TokenKind::Gt | TokenKind::Ge => BP_COMPARE,
            TokenKind::BitAnd | TokenKind::BitOr | TokenKind::Shl | TokenKind::Shr => BP_BIT,
            TokenKind::Plus | TokenKind::Minus => BP_ADD,
            TokenKind::Star | TokenKind::Slash | TokenKind::Percent => BP_MUL,
            TokenKind::Concat | TokenKind::Arrow | TokenKind::DoubleArrow => BP_CONCAT,
            TokenKind::Ident(word) => {
                let word = word.to_ascii_uppercase();
                match word.as_str() {
                    "OR" => BP_OR,
                    "AND" => BP_AND,
                    "IS" | "IN" | "LIKE" | "GLOB" | "REGEXP" | "MATCH" | "BETWEEN" | "ISNULL" | "NOTNULL" => {
                        BP_EQUALITY
                    }
                    "NOT" => {
                        let next = ["IN", "LIKE", "GLOB", "REGEXP", "MATCH", "BETWEEN", "NULL"];
                        if next.iter().any(|w| self.is_kw_at(1, w)) {
                            BP_EQUALITY
                        } else {
                            return None;
                        }
                    }
                    "COLLATE" => BP_COLLATE,
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(bp)
    }

    fn infix(&mut self, left: Expr, bp: u8) -> Result<Expr> {
        let token = self.bump();
        let binary = |p: &mut Self, op: BinaryOp, left: Expr| -> Result<Expr> {
            let right = p.expr_bp(bp + 1)?;
            Ok(Expr {
                span: left.span.to(right.span),
                kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) },
            })
        };
        let op = match token.kind {
            TokenKind::Eq => BinaryOp::Eq,
            TokenKind::Ne => BinaryOp::Ne,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::Le => BinaryOp::Le,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::Ge => BinaryOp::Ge,
            TokenKind::BitAnd => BinaryOp::BitAnd,
            TokenKind::BitOr => BinaryOp::BitOr,
            TokenKind::Shl => BinaryOp::Shl,
            TokenKind::Shr => BinaryOp::Shr,
            TokenKind::Plus => BinaryOp::Add,
            TokenKind::Minus => BinaryOp::Sub,
            TokenKind::Star => BinaryOp::Mul,
            TokenKind::Slash => BinaryOp::Div,
            TokenKind::Percent => BinaryOp::Mod,
            TokenKind::Concat => BinaryOp::Concat,
            TokenKind::Arrow => BinaryOp::Extract,
            TokenKind::DoubleArrow => BinaryOp::ExtractValue,
            TokenKind::Ident(ref word) => return self.keyword_infix(&word.to_ascii_uppercase(), left, token.span),
            _ => unreachable!("infix_power accepted the token"),
        };
        binary(self, op, left)
    }

    fn keyword_infix(&mut self, word: &str, left: Expr, op_span: Span) -> Result<Expr> {
        let boxed = Box::new;
        match word {
            "OR" | "AND" => {
                let (op, bp) = if word == "OR" { (BinaryOp::Or, BP_OR) } else { (BinaryOp::And, BP_AND) };
                let right = self.expr_bp(bp + 1)?;
                let span = left.span.to(right.span);
                Ok(Expr { span, kind: ExprKind::Binary { op, left: boxed(left), right: boxed(right) } })
            }
            "COLLATE" => {
                let collation = self.name("a collation name")?;
                let span = left.span.to(collation.span);
                Ok(Expr { span, kind: ExprKind::Collate { expr: boxed(left), collation } })
            }
            "ISNULL" => {
                Ok(Expr { span: left.span.to(op_span), kind: ExprKind::IsNull { negated: false, expr: boxed(left) } })
            }
            "NOTNULL" => {
                Ok(Expr { span: left.span.to(op_span), kind: ExprKind::IsNull { negated: true, expr: boxed(left) } })
            }
            "IS" => {
                let mut negated = self.eat_kw("NOT");
                if self.eat_kw("DISTINCT") {
                    self.expect_kw("FROM")?;
                    negated = !negated;
                }
                let right = self.expr_bp(BP_COMPARE)?;
                let op = if negated { BinaryOp::IsNot } else { BinaryOp::Is };
                let span = left.span.to(right.span);
                Ok(Expr { span, kind: ExprKind::Binary { op, left: boxed(left), right: boxed(right) } })
            }
            "NOT" => {
                if self.eat_kw("NULL") {
                    let span = left.span.to(Span::new(op_span.start, self.last_end()));
                    return Ok(Expr { span, kind: ExprKind::IsNull { negated: true, expr: boxed(left) } });
                }
                let word = match &self.bump().kind {
                    TokenKind::Ident(w) => w.to_ascii_uppercase(),
                    _ => unreachable!("infix_power checked the word after `NOT`"),
                };
                self.negatable(&word, true, left)
            }
            _ => self.negatable(word, false, left),
        }
    }

    /// `IN`, `LIKE`/`GLOB`/`REGEXP`/`MATCH`, `BETWEEN`, after an optional `NOT`.
    fn negatable(&mut self, word: &str, negated: bool, left: Expr) -> Result<Expr> {
        let boxed = Box::new;
        match word {
            "BETWEEN" => {
                let low = self.expr_bp(BP_COMPARE)?;
                self.expect_kw("AND")?;
                let high = self.expr_bp(BP_COMPARE)?;
                let span = left.span.to(high.span);
                Ok(Expr {
                    span,
                    kind: ExprKind::Between { negated, expr: boxed(left), low: boxed(low), high: boxed(high) },
                })
            }
            "IN" => self.in_rest(negated, left),
            _ => {
                let op = match word {
                    "LIKE" => LikeOp::Like,
                    "GLOB" => LikeOp::Glob,
                    "REGEXP" => LikeOp::Regexp,
                    _ => LikeOp::Match,
                };
                let pattern = self.expr_bp(BP_COMPARE)?;
                let escape = if self.eat_kw("ESCAPE") { Some(boxed(self.expr_bp(BP_COMPARE)?)) } else { None };
                let end = escape.as_ref().map_or(pattern.span, |e| e.span);
                let kind = ExprKind::Like { negated, op, expr: boxed(left.clone()), pattern: boxed(pattern), escape };
                Ok(Expr { span: left.span.to(end), kind })
            }
        }
    }

    fn in_rest(&mut self, negated: bool, left: Expr) -> Result<Expr> {
        let boxed = Box::new;
        if self.eat(&TokenKind::LParen) {
            let starts_query = self.is_kw("SELECT") || self.is_kw("VALUES") || self.is_kw("WITH");
            let kind = if starts_query {
                let query = self.query()?;
                ExprKind::InQuery { negated, expr: boxed(left.clone()), query: Box::new(query) }
            } else if self.is(&TokenKind::RParen) {
                ExprKind::InList { negated, expr: boxed(left.clone()), list: Vec::new() }
            } else {
                let list = self.comma_list(Self::expr)?;
                ExprKind::InList { negated, expr: boxed(left.clone()), list }
            };
            self.expect(&TokenKind::RParen, "`)`")?;
            return Ok(Expr { span: Span::new(left.span.start, self.last_end()), kind });
        }
        let (schema, table) = self.qualified_name("`(` or a table name")?;
        let args = if self.eat(&TokenKind::LParen) {
            let args = if self.is(&TokenKind::RParen) { Vec::new() } else { self.comma_list(Self::expr)? };
            self.expect(&TokenKind::RParen, "`)`")?;
            Some(args)
        } else {
            None
        };
        let span = Span::new(left.span.start, self.last_end());
        Ok(Expr { span, kind: ExprKind::InTable { negated, expr: boxed(left), schema, table, args } })
    }

    fn primary(&mut self) -> Result<Expr> {
        let token = self.peek().clone();
        let span = token.span;
        let literal = |p: &mut Self, literal: Literal| {
            p.bump();
            Ok(Expr { kind: ExprKind::Literal(literal), span })
        };
        match &token.kind {
            TokenKind::Integer => literal(self, Literal::Integer(self.text(span).to_owned())),
            TokenKind::Float => literal(self, Literal::Real(self.text(span).to_owned())),
            TokenKind::String(text) => literal(self, Literal::String(text.clone())),
            TokenKind::Blob => literal(self, Literal::Blob),
            TokenKind::Param(name) => {
                self.bump();
                Ok(Expr { kind: ExprKind::Param(name.clone()), span })
            }
            TokenKind::PositionalParam | TokenKind::OtherParam(_) => {
                // Refused by the checker with its own message; kept in the tree as written.
                self.bump();
                Ok(Expr { kind: ExprKind::Param(self.text(span).to_owned()), span })
            }
            TokenKind::LParen => {
                self.bump();
                if self.is_kw("SELECT") || self.is_kw("VALUES") || self.is_kw("WITH") {
                    let query = self.query()?;
                    let end = self.expect(&TokenKind::RParen, "`)`")?;
                    return Ok(Expr { kind: ExprKind::Subquery(Box::new(query)), span: span.to(end) });
                }
                let mut items = self.comma_list(Self::expr)?;
                let end = self.expect(&TokenKind::RParen, "`)`")?;
                if items.len() == 1 {
                    let mut inner = items.pop().expect("one item");
                    inner.span = span.to(end);
                    return Ok(inner);
                }
                Ok(Expr { kind: ExprKind::Row(items), span: span.to(end) })
            }
            TokenKind::Ident(word) => self.word(word.clone(), span),
            TokenKind::QuotedIdent(_) => self.column_or_call(),
            _ => Err(self.expected("an expression")),
        }
    }

    /// An expression that starts with a bare word: a keyword form, a call or a column.
    fn word(&mut self, word: String, span: Span) -> Result<Expr> {
        let upper = word.to_ascii_uppercase();
        let literal = |p: &mut Self, literal: Literal| {
            p.bump();
            Ok(Expr { kind: ExprKind::Literal(literal), span })
        };
        let next_is_paren = self.peek_at(1).kind == TokenKind::LParen;
        match upper.as_str() {
            "NULL" => literal(self, Literal::Null),
            "TRUE" if !next_is_paren => literal(self, Literal::True),
            "FALSE" if !next_is_paren => literal(self, Literal::False),
            "CURRENT_TIME" | "CURRENT_DATE" | "CURRENT_TIMESTAMP" => literal(self, Literal::CurrentTime),
            "CAST" if next_is_paren => {
                self.bump();
                self.bump();
                let expr = self.expr()?;
                self.expect_kw("AS")?;
                let type_start = self.peek().span.start;
                while self.at_name() {
                    self.bump();
                }
                if self.eat(&TokenKind::LParen) {
                    while !self.is(&TokenKind::RParen) && !self.at_eof() {
                        self.bump();
                    }
                    self.expect(&TokenKind::RParen, "`)`")?;
                }
                let type_name = self.sql[type_start..self.last_end().max(type_start)].to_owned();
                let end = self.expect(&TokenKind::RParen, "`)`")?;
                Ok(Expr { kind: ExprKind::Cast { expr: Box::new(expr), type_name }, span: span.to(end) })
            }
            "CASE" => self.case(span),
            "EXISTS" if next_is_paren => self.exists(false, span),
            "NOT" if self.is_kw_at(1, "EXISTS") => {
                self.bump();
                self.exists(true, span)
            }
            "RAISE" if next_is_paren => {
                self.bump();
                self.bump();
                let mut depth = 1;
                while depth > 0 && !self.at_eof() {
                    match self.bump().kind {
                        TokenKind::LParen => depth += 1,
                        TokenKind::RParen => depth -= 1,
                        _ => {}
                    }
                }
                Ok(Expr { kind: ExprKind::Raise, span: Span::new(span.start, self.last_end()) })
            }
            _ if is_reserved(&word) && !next_is_paren => Err(self.expected("an expression")),
            _ => self.column_or_call(),
        }
    }

    fn exists(&mut self, negated: bool, start: Span) -> Result<Expr> {
        self.expect_kw("EXISTS")?;
        self.expect(&TokenKind::LParen, "`(`")?;
        let query = self.query()?;
        let end = self.expect(&TokenKind::RParen, "`)`")?;
        Ok(Expr { kind: ExprKind::Exists { negated, query: Box::new(query) }, span: start.to(end) })
    }

    fn case(&mut self, start: Span) -> Result<Expr> {
        self.expect_kw("CASE")?;
        let operand = if self.is_kw("WHEN") { None } else { Some(Box::new(self.expr()?)) };
        let mut whens = Vec::new();
        while self.eat_kw("WHEN") {
            let when = self.expr()?;
            self.expect_kw("THEN")?;
            whens.push((when, self.expr()?));
        }
        if whens.is_empty() {
            return Err(self.expected("`WHEN`"));
        }
        let else_ = if self.eat_kw("ELSE") { Some(Box::new(self.expr()?)) } else { None };
        let end = self.expect_kw("END")?;
        Ok(Expr { kind: ExprKind::Case { operand, whens, else_ }, span: start.to(end) })
    }

    /// `name(…)` or `[[schema.]table.]column`.
    fn column_or_call(&mut self) -> Result<Expr> {
        let first = self.any_name()?;
        if self.is(&TokenKind::LParen) && !first.quoted {
            return self.call(first);
        }
        let mut parts = vec![first];
        while self.is(&TokenKind::Dot) && parts.len() < 3 {
            self.bump();
            parts.push(self.any_name()?);
        }
        let span = parts[0].span.to(parts[parts.len() - 1].span);
        let column = parts.pop().expect("at least one part");
        let table = parts.pop();
        let schema = parts.pop();
        Ok(Expr { kind: ExprKind::Column { schema, table, column }, span })
    }

    /// Any word or quoted name (after a `.`, even a keyword names a column).
    fn any_name(&mut self) -> Result<Name> {
        match &self.peek().kind {
            TokenKind::Ident(text) | TokenKind::QuotedIdent(text) => {
                let quoted = matches!(self.peek().kind, TokenKind::QuotedIdent(_));
                let text = text.clone();
                let span = self.bump().span;
                Ok(Name { text, span, quoted })
            }
            _ => Err(self.expected("a name")),
        }
    }

    fn call(&mut self, name: Name) -> Result<Expr> {
        let start = name.span;
        self.expect(&TokenKind::LParen, "`(`")?;
        let mut distinct = false;
        let mut star = false;
        let mut args = Vec::new();
        let mut order_by = Vec::new();
        if self.is(&TokenKind::Star) {
            self.bump();
            star = true;
        } else if !self.is(&TokenKind::RParen) {
            distinct = self.eat_kw("DISTINCT");
            if !distinct {
                self.eat_kw("ALL");
            }
            args = self.comma_list(Self::expr)?;
            order_by = self.order_by()?;
        }
        self.expect(&TokenKind::RParen, "`)`")?;
        let mut filter = None;
        if self.is_kw("FILTER") && self.peek_at(1).kind == TokenKind::LParen {
            self.bump();
            self.bump();
            self.expect_kw("WHERE")?;
            filter = Some(self.expr()?);
            self.expect(&TokenKind::RParen, "`)`")?;
        }
        let mut over = None;
        if self.is_kw("OVER")
            && matches!(self.peek_at(1).kind, TokenKind::LParen | TokenKind::Ident(_) | TokenKind::QuotedIdent(_))
        {
            self.bump();
            over = Some(if self.is(&TokenKind::LParen) {
                Over::Spec(self.window_spec()?)
            } else {
                Over::Named(self.name("a window name")?)
            });
        }
        let span = Span::new(start.start, self.last_end());
        let call = FunctionCall { name, distinct, star, args, order_by, filter, over };
        Ok(Expr { kind: ExprKind::Function(Box::new(call)), span })
    }
}
