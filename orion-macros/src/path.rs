//! Route paths as macros see them: checked at compile time, with their `{param}`s.

use syn::LitStr;

/// A checked path pattern.
#[derive(Default)]
pub(crate) struct PathPattern {
    /// The parameter names, in order.
    pub(crate) params: Vec<String>,
    /// The literal pieces between parameters (one more than `params`).
    pieces: Vec<String>,
}

impl PathPattern {
    /// A `format!` string producing the URL relative to the app's base (`todos/{}/toggle`).
    pub(crate) fn url_format(&self) -> String {
        let mut format = String::new();
        for (i, piece) in self.pieces.iter().enumerate() {
            format.push_str(&piece.replace('{', "{{").replace('}', "}}"));
            if i < self.params.len() {
                format.push_str("{}");
            }
        }
        let format = format.trim_start_matches('/').to_owned();
        if format.is_empty() { "./".to_owned() } else { format }
    }
}

/// Parses a path literal: it starts with `/`, has no empty segment, and each `{name}` takes a
/// whole segment.
pub(crate) fn parse(lit: &LitStr) -> syn::Result<PathPattern> {
    let path = lit.value();
    let err = |message: String| syn::Error::new(lit.span(), message);
    if !path.starts_with('/') {
        return Err(err(format!("a path starts with `/`: write `\"/{}\"`", path.trim_start_matches('/'))));
    }
    let mut pattern = PathPattern { params: Vec::new(), pieces: vec![String::new()] };
    let segments: Vec<&str> = if path == "/" { Vec::new() } else { path[1..].split('/').collect() };
    for segment in segments {
        if segment.is_empty() {
            return Err(err(format!("`{path}` has an empty segment: remove the extra `/`")));
        }
        let last = pattern.pieces.last_mut().expect("pieces starts non-empty");
        last.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if is_ident(name) => {
                if pattern.params.iter().any(|p| p == name) {
                    return Err(err(format!("the parameter `{{{name}}}` appears twice in `{path}`")));
                }
                pattern.params.push(name.to_owned());
                pattern.pieces.push(String::new());
            }
            Some(name) => return Err(err(format!("`{{{name}}}` is not a valid parameter name: use letters, digits and `_`"))),
            None if segment.contains(['{', '}']) => {
                return Err(err(format!("`{segment}`: a parameter takes a whole segment, like `/todos/{{id}}`")));
            }
            None => last.push_str(segment),
        }
    }
    Ok(pattern)
}

/// The `{name}` placeholders of a template such as a form id.
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        names.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    names
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
