//! Whether a response matches a case's `output.txt`, by the rules of the conformance README.
//!
//! - Both texts are split into events at blank lines; the count and order must match, and every
//!   event of the response must end with a blank line.
//! - The non-`data` fields (`event`, `id`, `retry`) must be the same, in the same order, values
//!   trimmed; no field may be added or left out.
//! - The `data` lines are grouped by their first word. The order between groups is free, the
//!   order within a group is kept, and no group may be added or left out.
//! - The `elements` group is joined with `\n` and compared as HTML with each start tag's
//!   attributes sorted ([`html::normalize`]); every other group is joined and compared exactly,
//!   trimmed.

use crate::events::{self, SseEvent};
use crate::html;

/// The data group compared as HTML.
const ELEMENTS: &str = "elements";

/// Every way `actual` differs from `expected`; empty when it matches.
pub(crate) fn differences(expected: &str, actual: &str) -> Vec<String> {
    let expected = events::parse(expected);
    let actual = events::parse(actual);
    let mut problems = Vec::new();
    if expected.len() != actual.len() {
        problems.push(format!("expected {} event(s), got {}", expected.len(), actual.len()));
    }
    for (index, pair) in expected.iter().zip(&actual).enumerate() {
        compare_event(index + 1, pair.0, pair.1, &mut problems);
    }
    for (index, event) in expected.iter().enumerate().skip(actual.len()) {
        problems.push(format!("event {}: missing (`event: {}`)", index + 1, event.name()));
    }
    for (index, event) in actual.iter().enumerate().skip(expected.len()) {
        problems.push(format!("event {}: not expected (`event: {}`)", index + 1, event.name()));
    }
    problems
}

fn compare_event(number: usize, expected: &SseEvent, actual: &SseEvent, problems: &mut Vec<String>) {
    if !actual.terminated {
        problems.push(format!("event {number}: not ended by a blank line, so a browser would never dispatch it"));
    }
    if expected.fields != actual.fields {
        problems.push(format!(
            "event {number}: fields differ\n    expected: {}\n    actual:   {}",
            fields(expected),
            fields(actual)
        ));
    }
    for (key, lines) in &expected.data {
        let Some(actual_lines) = actual.group(key) else {
            problems.push(format!("event {number}: missing `data: {key} …` ({} line(s))", lines.len()));
            continue;
        };
        let (expected_text, actual_text) = (lines.join("\n"), actual_lines.join("\n"));
        if key == ELEMENTS {
            let (expected_html, actual_html) = (html::normalize(&expected_text), html::normalize(&actual_text));
            if expected_html.trim() != actual_html.trim() {
                problems.push(format!(
                    "event {number}: `data: {key}` differs as HTML (attributes sorted)\n    expected: {expected_html:?}\n    actual:   {actual_html:?}"
                ));
            }
        } else if expected_text.trim() != actual_text.trim() {
            problems.push(format!(
                "event {number}: `data: {key}` differs\n    expected: {expected_text:?}\n    actual:   {actual_text:?}"
            ));
        }
    }
    for (key, lines) in &actual.data {
        if expected.group(key).is_none() {
            problems.push(format!("event {number}: unexpected `data: {key} …` ({} line(s))", lines.len()));
        }
    }
}

/// `event: x, id: y` for messages.
fn fields(event: &SseEvent) -> String {
    let fields: Vec<String> = event.fields.iter().map(|(field, value)| format!("`{field}: {value}`")).collect();
    if fields.is_empty() { "(none)".to_owned() } else { fields.join(", ") }
}

#[cfg(test)]
mod tests;
