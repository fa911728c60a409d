//! A line diff of an expected and an actual text, for failure reports.
//!
//! The comparison itself is [`compare`](crate::compare); this only shows a person where the
//! texts part ways: lines only in the expected text start with `-`, lines only in the actual
//! text with `+`, shared lines with two spaces. Line ends are shown as they are not visible:
//! a `\r` is written `␍`, trailing spaces `·`.

/// The diff of `expected` and `actual`, one line per line of either text.
pub(crate) fn lines(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = split(expected);
    let actual: Vec<&str> = split(actual);
    // `common[i][j]`: the length of the longest common subsequence of expected[i..] and actual[j..].
    let mut common = vec![vec![0usize; actual.len() + 1]; expected.len() + 1];
    for i in (0..expected.len()).rev() {
        for j in (0..actual.len()).rev() {
            common[i][j] = if expected[i] == actual[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < expected.len() || j < actual.len() {
        if i < expected.len() && j < actual.len() && expected[i] == actual[j] {
            push(&mut out, "  ", expected[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < expected.len() && (j == actual.len() || common[i + 1][j] >= common[i][j + 1]) {
            push(&mut out, "- ", expected[i]);
            i += 1;
        } else {
            push(&mut out, "+ ", actual[j]);
            j += 1;
        }
    }
    out
}

/// The lines of `text`; a final line end does not start another line.
fn split(text: &str) -> Vec<&str> {
    text.strip_suffix('\n').unwrap_or(text).split('\n').collect()
}

fn push(out: &mut String, marker: &str, line: &str) {
    let visible = line.replace('\r', "␍");
    let trimmed = visible.trim_end_matches(' ');
    out.push_str(marker);
    out.push_str(trimmed);
    out.push_str(&"·".repeat(visible.len() - trimmed.len()));
    out.push('\n');
}

#[cfg(test)]
mod tests;
