//! HTML: escaped-by-default templates, and the few pieces of markup orion's features rely on.
//!
//! Templates are [maud](https://maud.lambda.xyz)'s `html!` macro, checked at compile time; it
//! escapes every interpolated value unless it is wrapped in [`PreEscaped`]. Datastar attributes
//! are written as they are in HTML: `button data-on:click=(toggle::action(id)) { "done" }`.
//!
//! An app that writes views depends on `maud` itself (the version orion uses, 0.27): the
//! `html!` macro expands to `extern crate maud`, so the crate using it must name maud in its
//! own `Cargo.toml`. orion re-exports maud's types ([`Html`], [`PreEscaped`], [`Render`]), so
//! signatures need nothing else.
//!
//! URLs in views are written **without** a leading `/` (`todos/7/toggle`): every page carries a
//! `<base href>` naming the path the app is mounted at, so the same views work at the root and
//! under a prefix.

pub(crate) use maud::html;
pub use maud::{DOCTYPE, Markup as Html, PreEscaped, Render};

/// The empty slot where a command's validation error for `field` of form `form` appears.
///
/// A failed validation patches `<p id="{form}-{field}-error">` with the message; a successful
/// command that resets the form empties it again.
pub fn field_error(form: &str, field: &str) -> Html {
    PreEscaped(field_error_markup(form, field, ""))
}

pub(crate) fn field_error_markup(form: &str, field: &str, message: &str) -> String {
    let id = field_error_id(form, field);
    html! { p id=(id) class="field-error" role="alert" { (message) } }.into_string()
}

/// The id of the error slot of `field` in form `form`.
pub fn field_error_id(form: &str, field: &str) -> String {
    format!("{form}-{field}-error")
}

/// A Datastar action expression: `@post('todos/7/toggle')`.
///
/// `method` is `get`, `post`, `put`, `patch` or `delete`; `url` is relative to the app's base.
pub fn action(method: &str, url: &str) -> String {
    format!("@{method}('{}')", js_string(url))
}

/// Escapes `text` for a single-quoted JavaScript string.
pub(crate) fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\x3c"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{action, field_error};

    #[test]
    fn actions_escape_their_url() {
        assert_eq!(action("post", "todos/7/toggle"), "@post('todos/7/toggle')");
        assert_eq!(action("delete", "a'b\\c"), "@delete('a\\'b\\\\c')");
    }

    #[test]
    fn field_error_slots_are_empty_paragraphs_with_a_known_id() {
        assert_eq!(
            field_error("add", "title").into_string(),
            "<p id=\"add-title-error\" class=\"field-error\" role=\"alert\"></p>"
        );
    }
}
