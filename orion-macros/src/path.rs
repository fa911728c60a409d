//! Route paths as macros see them: checked at compile time, with their `{param}`s.

use syn::LitStr;

use crate::args::Errors;

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
/// whole segment. Every problem goes to `errors`, on the literal.
pub(crate) fn parse(lit: &LitStr, errors: &mut Errors) -> PathPattern {
    let path = lit.value();
    let mut error = |message: String| errors.push(syn::Error::new(lit.span(), message));
    let mut pattern = PathPattern { params: Vec::new(), pieces: vec![String::new()] };
    let Some(rest) = path.strip_prefix('/') else {
        error(format!("a path starts with `/`: write `\"/{path}\"`"));
        return pattern;
    };
    if rest.is_empty() {
        return pattern;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        let fixed = segments.iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("/");
        let what = if segments.last() == Some(&"") && segments.iter().filter(|s| s.is_empty()).count() == 1 {
            "ends with `/`"
        } else {
            "has an empty segment"
        };
        error(format!("`{path}` {what}: write `\"/{fixed}\"`"));
    }
    for segment in segments.into_iter().filter(|s| !s.is_empty()) {
        let last = pattern.pieces.last_mut().expect("pieces starts non-empty");
        last.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if is_ident(name) => {
                if pattern.params.iter().any(|p| p == name) {
                    error(format!(
                        "the parameter `{{{name}}}` appears twice in `{path}`: give each parameter its own name \
                         (each one is an argument of the command)"
                    ));
                }
                pattern.params.push(name.to_owned());
                pattern.pieces.push(String::new());
            }
            Some(name) => {
                let fixed: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
                let fixed = if fixed.starts_with(|c: char| c.is_ascii_digit()) || fixed.is_empty() {
                    format!("_{fixed}")
                } else {
                    fixed
                };
                error(format!(
                    "`{{{name}}}` is not a valid parameter name: use letters, digits and `_`, e.g. `{{{fixed}}}`"
                ));
            }
            None if segment.contains(['{', '}']) => {
                error(format!(
                    "`{segment}` mixes text and a parameter: a parameter takes a whole segment, e.g. `/todos/{{id}}`"
                ));
            }
            None => last.push_str(segment),
        }
    }
    pattern
}

/// The `{name}` placeholders of a template such as a form id.
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    names
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
