//! A checker's diagnostic as a compile error's text. On stable Rust an error cannot point
//! inside a string literal, so the message quotes the query's line and underlines the
//! offending fragment itself:
//!
//! ```text
//! error: no such column `titel`: did you mean `title`?
//!          SELECT id, titel FROM todos ORDER BY id
//!                     ^^^^^
//!        = sqlite: no such column: titel
//! ```

use orion_sql_check::{Diagnostic, Schema};

/// The query's line is indented under the message (rustc indents every line after the first
/// by the width of `error: `).
const INDENT: &str = "  ";

/// The longest stretch of a query line shown around the fragment.
const WIDTH: usize = 100;

/// The longest fragment also named in the message's text.
const FRAGMENT: usize = 40;

pub(crate) fn render(sql: &str, problem: &Diagnostic, schema: &Schema) -> String {
    let mut text = format!("{}: {}", problem.message, problem.help);
    if let Some(span) = problem.span
        && let Some((line, marks)) = underline(sql, span.start, span.end)
    {
        // The fragment is named in the text unless the text quotes it already (or it is too
        // long to read in a sentence: the carets show it).
        let fragment = sql.get(span.start..span.end).unwrap_or_default().trim();
        let quoted = problem.message.contains(fragment) || problem.help.contains(fragment);
        if !fragment.is_empty() && !quoted && fragment.chars().count() <= FRAGMENT {
            text.push_str(&format!(" (at `{fragment}`)"));
        }
        text.push_str(&format!("\n{INDENT}{line}\n{INDENT}{marks}"));
    }
    if let Some(sqlite) = &problem.sqlite {
        text.push_str(&format!("\n= sqlite: {sqlite}"));
    }
    if schema.migrations().is_empty() {
        text.push_str(
            "\n= note: no migrations were found: the schema comes from `src/**/migrations/*.sql` of the \
             crate the query is written in (see `orion::queries!`)",
        );
    }
    text
}

/// The line of `sql` holding byte `start` (cut to [`WIDTH`] around the fragment), and carets
/// under the fragment.
fn underline(sql: &str, start: usize, end: usize) -> Option<(String, String)> {
    let start = start.min(sql.len());
    let line_start = sql[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = sql[start..].find('\n').map_or(sql.len(), |i| start + i);
    let line = sql.get(line_start..line_end)?;
    let end = end.clamp(start, line_end);
    let before: Vec<char> = sql[line_start..start].chars().collect();
    let inside = sql[start..end].chars().count().max(1);
    let after = sql[end..line_end].chars().count();
    // Leading whitespace of the line (a raw string's indentation) is not shown.
    let indent = line.chars().take_while(|c| c.is_whitespace()).count().min(before.len());
    let mut skip = indent;
    let mut prefix = "";
    if before.len() - skip + inside > WIDTH {
        skip = before.len() + inside.min(WIDTH / 2) - WIDTH / 2;
        prefix = "…";
    }
    let shown_before: String = before[skip..].iter().collect();
    let take_after = WIDTH.saturating_sub(shown_before.chars().count() + inside);
    let fragment: String = sql[start..end].chars().collect();
    let rest: String = sql[end..line_end].chars().take(take_after).collect();
    let suffix = if after > take_after { "…" } else { "" };
    let shown = format!("{prefix}{shown_before}{fragment}{rest}{suffix}");
    let pad = prefix.chars().count() + shown_before.chars().count();
    let marks = format!("{}{}", " ".repeat(pad), "^".repeat(inside));
    Some((shown.trim_end().to_owned(), marks))
}
