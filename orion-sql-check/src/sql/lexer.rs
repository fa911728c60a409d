//! The tokenizer: SQL text to tokens with byte spans, as SQLite's own tokenizer splits it.
//!
//! Comments and whitespace are dropped. Keywords are not a token kind: SQLite lets most of
//! them be names, so a bare word is an [`TokenKind::Ident`] and the parser decides by context
//! (see [`is_reserved`]).

use super::ast::Span;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// A bare word: a name or a keyword.
    Ident(String),
    /// A quoted name (`"x"`, `[x]`, `` `x` ``), unquoted. Never a keyword.
    QuotedIdent(String),
    /// A string literal, unquoted.
    String(String),
    /// A blob literal (`X'00ff'`).
    Blob,
    /// An integer literal (decimal or hexadecimal).
    Integer,
    /// A real literal.
    Float,
    /// `:name`, without the colon.
    Param(String),
    /// `?` or `?NNN`.
    PositionalParam,
    /// `@name` or `$name`, as written.
    OtherParam(String),
    LParen,
    RParen,
    Comma,
    Semicolon,
    Dot,
    Star,
    Plus,
    Minus,
    Slash,
    Percent,
    Concat,
    Arrow,
    DoubleArrow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitOr,
    Shl,
    Shr,
    Tilde,
    /// The end of the input.
    Eof,
}

/// A token the tokenizer could not read, e.g. an unterminated string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) message: String,
    pub(crate) span: Span,
}

/// Splits `sql` into tokens, ending with [`TokenKind::Eof`].
pub(crate) fn tokenize(sql: &str) -> Result<Vec<Token>, LexError> {
    let bytes = sql.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                // An unterminated comment runs to the end, as in SQLite.
                i = (i + 2).min(bytes.len());
                continue;
            }
            b'(' => one(&mut i, TokenKind::LParen),
            b')' => one(&mut i, TokenKind::RParen),
            b',' => one(&mut i, TokenKind::Comma),
            b';' => one(&mut i, TokenKind::Semicolon),
            b'*' => one(&mut i, TokenKind::Star),
            b'+' => one(&mut i, TokenKind::Plus),
            b'/' => one(&mut i, TokenKind::Slash),
            b'%' => one(&mut i, TokenKind::Percent),
            b'~' => one(&mut i, TokenKind::Tilde),
            b'&' => one(&mut i, TokenKind::BitAnd),
            b'-' => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(b'>'), Some(b'>')) => n(&mut i, 3, TokenKind::DoubleArrow),
                (Some(b'>'), _) => n(&mut i, 2, TokenKind::Arrow),
                _ => one(&mut i, TokenKind::Minus),
            },
            b'|' => match bytes.get(i + 1) {
                Some(b'|') => n(&mut i, 2, TokenKind::Concat),
                _ => one(&mut i, TokenKind::BitOr),
            },
            b'<' => match bytes.get(i + 1) {
                Some(b'=') => n(&mut i, 2, TokenKind::Le),
                Some(b'>') => n(&mut i, 2, TokenKind::Ne),
                Some(b'<') => n(&mut i, 2, TokenKind::Shl),
                _ => one(&mut i, TokenKind::Lt),
            },
            b'>' => match bytes.get(i + 1) {
                Some(b'=') => n(&mut i, 2, TokenKind::Ge),
                Some(b'>') => n(&mut i, 2, TokenKind::Shr),
                _ => one(&mut i, TokenKind::Gt),
            },
            b'=' => match bytes.get(i + 1) {
                Some(b'=') => n(&mut i, 2, TokenKind::Eq),
                _ => one(&mut i, TokenKind::Eq),
            },
            b'!' => match bytes.get(i + 1) {
                Some(b'=') => n(&mut i, 2, TokenKind::Ne),
                _ => return Err(error("unexpected `!`", start, start + 1)),
            },
            b'\'' => TokenKind::String(quoted(sql, &mut i, b'\'')?),
            b'"' => TokenKind::QuotedIdent(quoted(sql, &mut i, b'"')?),
            b'`' => TokenKind::QuotedIdent(quoted(sql, &mut i, b'`')?),
            b'[' => {
                let end = sql[i..].find(']').ok_or_else(|| error("unterminated `[`", start, bytes.len()))?;
                let name = sql[i + 1..i + end].to_owned();
                i += end + 1;
                TokenKind::QuotedIdent(name)
            }
            b'x' | b'X' if bytes.get(i + 1) == Some(&b'\'') => {
                i += 1;
                quoted(sql, &mut i, b'\'')?;
                TokenKind::Blob
            }
            b'0'..=b'9' => number(bytes, &mut i),
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => number(bytes, &mut i),
            b'.' => one(&mut i, TokenKind::Dot),
            b'?' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                TokenKind::PositionalParam
            }
            b':' | b'@' | b'$' | b'#' => {
                i += 1;
                let name_start = i;
                while i < bytes.len() {
                    if is_id_char(bytes[i]) {
                        i += 1;
                    } else if bytes[i] == b':' && bytes.get(i + 1) == Some(&b':') {
                        // Tcl-style `::` is part of a SQLite variable name.
                        i += 2;
                    } else {
                        break;
                    }
                }
                if i == name_start {
                    return Err(error(&format!("`{}` must be followed by a name", c as char), start, i));
                }
                if c == b':' {
                    TokenKind::Param(sql[name_start..i].to_owned())
                } else {
                    TokenKind::OtherParam(sql[start..i].to_owned())
                }
            }
            c if is_id_start(c) => {
                while i < bytes.len() && is_id_char(bytes[i]) {
                    i += 1;
                }
                TokenKind::Ident(sql[start..i].to_owned())
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or('?');
                return Err(error(&format!("unexpected `{ch}`"), start, start + ch.len_utf8()));
            }
        };
        tokens.push(Token { kind, span: Span::new(start, i) });
    }
    tokens.push(Token { kind: TokenKind::Eof, span: Span::new(bytes.len(), bytes.len()) });
    Ok(tokens)
}

fn one(i: &mut usize, kind: TokenKind) -> TokenKind {
    n(i, 1, kind)
}

fn n(i: &mut usize, len: usize, kind: TokenKind) -> TokenKind {
    *i += len;
    kind
}

fn error(message: &str, start: usize, end: usize) -> LexError {
    LexError { message: message.to_owned(), span: Span::new(start, end) }
}

/// Reads a quoted string or name starting at `*i` (the opening quote), where a doubled quote
/// stands for one; returns the text between the quotes.
fn quoted(sql: &str, i: &mut usize, quote: u8) -> Result<String, LexError> {
    let bytes = sql.as_bytes();
    let start = *i;
    let mut text = String::new();
    let mut j = start + 1;
    loop {
        match bytes.get(j) {
            None => return Err(error(&format!("unterminated `{}`", quote as char), start, bytes.len())),
            Some(&b) if b == quote => {
                if bytes.get(j + 1) == Some(&quote) {
                    text.push(quote as char);
                    j += 2;
                } else {
                    *i = j + 1;
                    return Ok(text);
                }
            }
            Some(_) => {
                let ch = sql[j..].chars().next().unwrap_or_default();
                text.push(ch);
                j += ch.len_utf8();
            }
        }
    }
}

/// Reads a numeric literal: decimal, real with exponent, or hexadecimal, with SQLite's `_`
/// digit separators.
fn number(bytes: &[u8], i: &mut usize) -> TokenKind {
    let digits = |i: &mut usize, hex: bool| {
        while *i < bytes.len()
            && (bytes[*i].is_ascii_digit() || bytes[*i] == b'_' || (hex && bytes[*i].is_ascii_hexdigit()))
        {
            *i += 1;
        }
    };
    if bytes[*i] == b'0' && matches!(bytes.get(*i + 1), Some(b'x' | b'X')) {
        *i += 2;
        digits(i, true);
        return TokenKind::Integer;
    }
    let mut float = false;
    digits(i, false);
    if bytes.get(*i) == Some(&b'.') {
        float = true;
        *i += 1;
        digits(i, false);
    }
    if matches!(bytes.get(*i), Some(b'e' | b'E')) {
        let mut j = *i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            float = true;
            *i = j;
            digits(i, false);
        }
    }
    if float { TokenKind::Float } else { TokenKind::Integer }
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Keywords that SQLite never accepts as a bare name, so a bare word that is one of them ends
/// an expression or a list (an alias cannot be one).
pub(crate) fn is_reserved(word: &str) -> bool {
    const RESERVED: &[&str] = &[
        "ADD",
        "ALL",
        "ALTER",
        "AND",
        "AS",
        "AUTOINCREMENT",
        "BETWEEN",
        "CASE",
        "CHECK",
        "COLLATE",
        "COMMIT",
        "CONSTRAINT",
        "CREATE",
        "CROSS",
        "DEFAULT",
        "DEFERRABLE",
        "DELETE",
        "DISTINCT",
        "DROP",
        "ELSE",
        "ESCAPE",
        "EXCEPT",
        "EXISTS",
        "FOREIGN",
        "FROM",
        "FULL",
        "GROUP",
        "HAVING",
        "IN",
        "INDEX",
        "INDEXED",
        "INNER",
        "INSERT",
        "INTERSECT",
        "INTO",
        "IS",
        "ISNULL",
        "JOIN",
        "LEFT",
        "LIMIT",
        "NATURAL",
        "NOT",
        "NOTNULL",
        "NULL",
        "ON",
        "OR",
        "ORDER",
        "OUTER",
        "PRIMARY",
        "REFERENCES",
        "RETURNING",
        "RIGHT",
        "SELECT",
        "SET",
        "TABLE",
        "THEN",
        "TO",
        "TRANSACTION",
        "UNION",
        "UNIQUE",
        "UPDATE",
        "USING",
        "VALUES",
        "WHEN",
        "WHERE",
        "WINDOW",
    ];
    RESERVED.iter().any(|k| k.eq_ignore_ascii_case(word))
}

impl Token {
    /// Whether this is the bare word `word` (ASCII case-insensitive).
    pub(crate) fn is_word(&self, word: &str) -> bool {
        matches!(&self.kind, TokenKind::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    /// The name, for a bare word or a quoted name.
    pub(crate) fn name(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Ident(name) | TokenKind::QuotedIdent(name) => Some(name),
            _ => None,
        }
    }

    pub(crate) fn is_open_paren(&self) -> bool {
        self.kind == TokenKind::LParen
    }

    pub(crate) fn is_close_paren(&self) -> bool {
        self.kind == TokenKind::RParen
    }

    pub(crate) fn is_semicolon(&self) -> bool {
        self.kind == TokenKind::Semicolon
    }
}

/// The index of the `)` that closes the `(` at `open`.
pub(crate) fn matching_paren(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.kind {
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The span of the token that starts at byte `offset`, or contains it.
pub(crate) fn token_at(sql: &str, offset: usize) -> Option<Span> {
    let tokens = tokenize(sql).ok()?;
    tokens
        .into_iter()
        .find(|t| t.kind != TokenKind::Eof && t.span.start <= offset && offset < t.span.end)
        .map(|t| t.span)
}
