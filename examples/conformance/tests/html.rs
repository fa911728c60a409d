//! HTML compared the way a browser would parse it, as far as the conformance cases need: each
//! start tag's attributes sorted by name.
//!
//! [`normalize`] rewrites every start tag canonically — its name, then its attributes sorted by
//! name (a stable sort, so repeated names keep their order), each written `name="value"` (or
//! just `name` when it has no value), then `/` for a self-closing tag — and leaves everything
//! else exactly as it was: text, end tags (whitespace inside them dropped), comments, and the
//! raw text of `<script>` and `<style>` (where a `<` is not a tag). Two fragments that differ
//! only in attribute order, quoting style or whitespace inside tags normalize equal; a changed
//! text, tag or attribute value does not.
//!
//! It is not a full HTML parser: entities are not decoded and a `<` that does not start a tag
//! is text.

/// The elements whose content is raw text, not markup.
const RAW_TEXT: [&str; 2] = ["script", "style"];

/// `html` with every start tag written canonically (attributes sorted by name).
pub(crate) fn normalize(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let after = &rest[1..];
        if let Some(comment) = after.strip_prefix("!--") {
            let end = comment.find("-->").map_or(rest.len(), |end| 4 + end + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(end_tag) = after.strip_prefix('/') {
            let Some(close) = end_tag.find('>') else {
                break;
            };
            out.push_str("</");
            out.push_str(end_tag[..close].trim());
            out.push('>');
            rest = &end_tag[close + 1..];
        } else if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let Some((tag, remainder)) = StartTag::parse(after) else {
                break;
            };
            tag.write(&mut out);
            rest = remainder;
            if RAW_TEXT.iter().any(|raw| tag.name.eq_ignore_ascii_case(raw)) && !tag.self_closing {
                let end = find_end_tag(rest, tag.name).unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        } else {
            out.push('<');
            rest = after;
        }
    }
    // Text after the last tag, or an unterminated tag kept as it is.
    out.push_str(rest);
    out
}

/// A parsed start tag.
#[derive(Debug)]
struct StartTag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, Option<String>)>,
    self_closing: bool,
}

impl<'a> StartTag<'a> {
    /// Parses the tag at the start of `text` (just after its `<`); `None` when it never ends.
    fn parse(text: &'a str) -> Option<(StartTag<'a>, &'a str)> {
        let name_end = text.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')?;
        let mut tag = StartTag { name: &text[..name_end], attributes: Vec::new(), self_closing: false };
        let mut rest = &text[name_end..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                return Some((tag, after));
            }
            if let Some(after) = rest.strip_prefix("/>") {
                tag.self_closing = true;
                return Some((tag, after));
            }
            if let Some(after) = rest.strip_prefix('/') {
                // A stray `/` inside a tag is ignored, as browsers do.
                rest = after;
                continue;
            }
            let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')?;
            let name = &rest[..name_end];
            rest = &rest[name_end..];
            let Some(after_equals) = rest.trim_start().strip_prefix('=') else {
                tag.attributes.push((name, None));
                continue;
            };
            let after_equals = after_equals.trim_start();
            let (value, after_value) = match after_equals.chars().next()? {
                quote @ ('"' | '\'') => {
                    let body = &after_equals[1..];
                    let close = body.find(quote)?;
                    (&body[..close], &body[close + 1..])
                }
                _ => {
                    let end = after_equals.find(|c: char| c.is_ascii_whitespace() || c == '>')?;
                    (&after_equals[..end], &after_equals[end..])
                }
            };
            tag.attributes.push((name, Some(value.replace('"', "&quot;"))));
            rest = after_value;
        }
    }

    fn write(&self, out: &mut String) {
        let mut attributes: Vec<&(&str, Option<String>)> = self.attributes.iter().collect();
        attributes.sort_by(|a, b| a.0.cmp(b.0));
        out.push('<');
        out.push_str(self.name);
        for (name, value) in attributes {
            out.push(' ');
            out.push_str(name);
            if let Some(value) = value {
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        if self.self_closing {
            out.push('/');
        }
        out.push('>');
    }
}

/// Where `</name` (any case) starts in `text`.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.find(&format!("</{}", name.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests;
