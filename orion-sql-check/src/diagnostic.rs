//! Diagnostics: one problem with a query, where it is, and what to do about it.
//!
//! SQLite's errors are turned into diagnostics here ([`from_sqlite`]), with the offending
//! fragment found from SQLite's error offset (or the name it complains about), and a "did
//! you mean" from the names in scope ([`suggest`]).

use std::fmt;

use crate::sql::{Span, token_at};

/// One problem with a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// The problem, lowercase, with syntax in backticks: ``no such column `titel` ``.
    pub message: String,
    /// What to do: a "did you mean `title`?" when there is a close name, otherwise how to fix
    /// it. Displayed after the message.
    pub help: String,
    /// The offending fragment: a byte range into the query text (`None` when SQLite did not
    /// say and it could not be found; point at the whole query then).
    pub span: Option<Span>,
    /// SQLite's own message, as it said it, when the problem came from SQLite.
    pub sqlite: Option<String>,
}

/// The kinds of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The query is not valid SQL.
    Syntax,
    /// It names a table or view that does not exist.
    NoSuchTable,
    /// It names a column that does not exist (or is ambiguous).
    NoSuchColumn,
    /// It calls a function that does not exist, or with the wrong number of arguments.
    NoSuchFunction,
    /// A parameter is positional, or its type cannot be inferred, or is inferred twice
    /// differently.
    Parameter,
    /// The query holds more than one statement.
    MultipleStatements,
    /// The type of a result column cannot be known: it needs an annotation.
    UnknownType,
    /// An annotation is malformed or names an unknown type.
    Annotation,
    /// Valid SQLite, perhaps, but the checker cannot analyse it.
    Unsupported,
    /// Anything else SQLite refused (a wrong number of values, a misused aggregate, …).
    Sqlite,
    /// A tenant-scoped table is not proven constrained to the bound tenant key (`:tenant`),
    /// see [`tenancy::check`](crate::tenancy::check).
    Tenancy,
}

impl Diagnostic {
    /// A diagnostic with no SQLite message.
    pub(crate) fn new(kind: DiagnosticKind, message: String, help: String, span: Option<Span>) -> Diagnostic {
        Diagnostic { kind, message, help, span, sqlite: None }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.message, self.help)
    }
}

/// Turns a SQLite error from preparing `sql` into a diagnostic. `names` gives the candidate
/// names for a hint, by kind.
pub(crate) fn from_sqlite(
    sql: &str,
    error: &rusqlite::Error,
    names: &dyn Fn(DiagnosticKind) -> Vec<String>,
) -> Diagnostic {
    let (message, offset) = match error {
        rusqlite::Error::SqlInputError { msg, offset, .. } => (msg.clone(), usize::try_from(*offset).ok()),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => (msg.clone(), None),
        other => (other.to_string(), None),
    };
    let (kind, shown, subject) = classify(&message);
    let mut span = offset.and_then(|at| token_at(sql, at));
    if let (Some(at), Some(subject)) = (span, &subject)
        && subject.contains('.')
    {
        // SQLite points at the first part of `table.column`: cover the whole name.
        span = Some(dotted(sql, at));
    }
    if span.is_none()
        && let Some(subject) = &subject
    {
        span = find_name(sql, subject);
    }
    if kind == DiagnosticKind::Syntax && span.is_none() && message.contains("incomplete input") {
        span = Some(Span::new(sql.trim_end().len(), sql.trim_end().len()));
    }
    let dqs = message.contains("should this be a string literal in single-quotes?");
    let help = match (&subject, kind) {
        (Some(subject), DiagnosticKind::NoSuchColumn) if dqs => {
            format!("double quotes name a column; write a string in single quotes: `'{subject}'`")
        }
        (
            Some(subject),
            DiagnosticKind::NoSuchColumn | DiagnosticKind::NoSuchTable | DiagnosticKind::NoSuchFunction,
        )
        | (Some(subject), DiagnosticKind::Syntax) => {
            let last = subject.rsplit('.').next().unwrap_or(subject);
            suggest(last, &names(kind)).unwrap_or_else(|| default_help(kind))
        }
        _ => default_help(kind),
    };
    Diagnostic { kind, message: shown, help, span, sqlite: Some(message) }
}

/// The kind of a SQLite message, the message as shown, and the name it is about.
fn classify(message: &str) -> (DiagnosticKind, String, Option<String>) {
    let prefixed = |prefix: &str| message.strip_prefix(prefix).map(|rest| rest.trim().to_owned());
    if let Some(name) = prefixed("no such column:") {
        // With double-quoted strings off, SQLite adds a question to `"a"`.
        let name = match name.split_once(" - should this be a string literal") {
            Some((quoted, _)) => quoted.trim_matches('"').to_owned(),
            None => name,
        };
        return (DiagnosticKind::NoSuchColumn, format!("no such column `{name}`"), Some(name));
    }
    if let Some(name) = prefixed("ambiguous column name:") {
        return (DiagnosticKind::NoSuchColumn, format!("ambiguous column name `{name}`"), Some(name));
    }
    if let Some(name) = prefixed("no such table:") {
        let name = name.strip_prefix("main.").map(str::to_owned).unwrap_or(name);
        return (DiagnosticKind::NoSuchTable, format!("no such table `{name}`"), Some(name));
    }
    if let Some(name) = prefixed("no such function:") {
        return (DiagnosticKind::NoSuchFunction, format!("no such function `{name}`"), Some(name));
    }
    if let Some(name) = prefixed("wrong number of arguments to function") {
        let name = name.trim_end_matches("()").to_owned();
        return (DiagnosticKind::NoSuchFunction, format!("wrong number of arguments to `{name}()`"), Some(name));
    }
    if let Some(rest) = message.strip_prefix("near \"")
        && let Some((near, _)) = rest.split_once("\": syntax error")
    {
        return (DiagnosticKind::Syntax, format!("syntax error near `{near}`"), Some(near.to_owned()));
    }
    if message.contains("syntax error")
        || message.contains("incomplete input")
        || message.contains("unrecognized token")
    {
        return (DiagnosticKind::Syntax, message.replace('"', "`"), None);
    }
    if let Some(rest) = message.strip_prefix("table ")
        && let Some((table, column)) = rest.split_once(" has no column named ")
    {
        let column = column.trim().to_owned();
        return (DiagnosticKind::NoSuchColumn, format!("table `{table}` has no column named `{column}`"), Some(column));
    }
    (DiagnosticKind::Sqlite, message.replace('"', "`"), None)
}

fn default_help(kind: DiagnosticKind) -> String {
    match kind {
        DiagnosticKind::NoSuchColumn => "check the name against the migrations, or add the column in a new migration",
        DiagnosticKind::NoSuchTable => "check the name against the migrations, or create the table in a new migration",
        DiagnosticKind::NoSuchFunction => "check the name and the arguments against SQLite's functions",
        DiagnosticKind::Syntax => "fix the SQL; SQLite's grammar is at https://sqlite.org/lang.html",
        _ => "fix the query as SQLite says",
    }
    .to_owned()
}

/// `at` extended over the `.name` parts that follow it.
fn dotted(sql: &str, at: Span) -> Span {
    let Ok(tokens) = crate::sql::lexer_tokens(sql) else { return at };
    let Some(mut i) = tokens.iter().position(|t| t.span == at) else { return at };
    let mut span = at;
    while tokens.get(i + 1).is_some_and(|t| &sql[t.span.range()] == ".")
        && tokens.get(i + 2).is_some_and(|t| t.name().is_some())
    {
        span = span.to(tokens[i + 2].span);
        i += 2;
    }
    span
}

/// The span of the first token of `sql` that is `name` (or its last `.` part).
fn find_name(sql: &str, name: &str) -> Option<Span> {
    let tokens = crate::sql::lexer_tokens(sql).ok()?;
    let last = name.rsplit('.').next().unwrap_or(name);
    tokens.iter().find(|t| t.name().is_some_and(|n| n.eq_ignore_ascii_case(last))).map(|t| t.span)
}

/// "did you mean `x`?" for the candidate closest to `name`, if one is close enough: an edit
/// distance of at most a third of the name's length (at least 1), ignoring ASCII case.
pub(crate) fn suggest(name: &str, candidates: &[String]) -> Option<String> {
    let name = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .iter()
        .filter(|c| !c.eq_ignore_ascii_case(&name))
        .map(|c| (distance(&name, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Levenshtein distance, with an adjacent transposition counting as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The keywords a syntax error near a misspelt word is most likely about.
pub(crate) const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "ORDER",
    "BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "RETURNING",
    "JOIN",
    "LEFT",
    "INNER",
    "CROSS",
    "ON",
    "USING",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS",
    "IN",
    "LIKE",
    "BETWEEN",
    "EXISTS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "AS",
    "DISTINCT",
    "UNION",
    "ALL",
    "EXCEPT",
    "INTERSECT",
    "WITH",
    "DEFAULT",
    "CONFLICT",
    "DO",
    "NOTHING",
];
