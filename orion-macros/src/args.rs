//! Attribute arguments: an optional leading string literal, then `key = value` pairs.
//!
//! Values are a string literal, a path, or a bracketed list of either. Unknown keys are errors
//! that suggest the closest known key.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Path, Token, bracketed};

/// Parsed attribute arguments.
pub(crate) struct Args {
    pub(crate) positional: Option<LitStr>,
    pub(crate) pairs: Vec<(Ident, Value)>,
}

/// The value of a `key = value` pair.
pub(crate) enum Value {
    Str(LitStr),
    Path(Path),
    List(Vec<Value>),
}

impl Value {
    pub(crate) fn span(&self) -> Span {
        match self {
            Value::Str(lit) => lit.span(),
            Value::Path(path) => path.segments.first().map_or_else(Span::call_site, |s| s.ident.span()),
            Value::List(items) => items.first().map_or_else(Span::call_site, Value::span),
        }
    }
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Value> {
        if input.peek(syn::token::Bracket) {
            let content;
            bracketed!(content in input);
            let items = Punctuated::<Value, Token![,]>::parse_terminated(&content)?;
            Ok(Value::List(items.into_iter().collect()))
        } else if input.peek(LitStr) {
            Ok(Value::Str(input.parse()?))
        } else {
            Ok(Value::Path(input.parse()?))
        }
    }
}

impl Args {
    /// Parses `tokens`, refusing keys not in `known`.
    pub(crate) fn parse(tokens: TokenStream, known: &[&str]) -> syn::Result<Args> {
        let parser = |input: ParseStream<'_>| {
            let mut args = Args { positional: None, pairs: Vec::new() };
            if input.peek(LitStr) {
                args.positional = Some(input.parse()?);
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            while !input.is_empty() {
                let key: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                let value: Value = input.parse()?;
                args.pairs.push((key, value));
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(args)
        };
        let args = parser.parse2(tokens)?;
        let mut errors = Errors::default();
        for (key, _) in &args.pairs {
            if !known.contains(&key.to_string().as_str()) {
                errors.push(syn::Error::new(key.span(), unknown_key(&key.to_string(), known)));
            }
        }
        for (i, (key, _)) in args.pairs.iter().enumerate() {
            if args.pairs[..i].iter().any(|(k, _)| k == key) {
                errors.push(syn::Error::new(key.span(), format!("`{key}` is given twice: keep one")));
            }
        }
        errors.finish()?;
        Ok(args)
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<(&Ident, &Value)> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(k, v)| (k, v))
    }
}

/// "unknown key `x`" with a "did you mean" when a known key is close.
pub(crate) fn unknown_key(key: &str, known: &[&str]) -> String {
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    match did_you_mean(key, known) {
        Some(close) => format!("unknown key `{key}`: did you mean `{close}`? (known keys: {list})"),
        None => format!("unknown key `{key}`: the known keys are {list}"),
    }
}

/// The known word closest to `word`, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// Errors collected across a macro's checks, reported together.
#[derive(Default)]
pub(crate) struct Errors {
    error: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.error {
            Some(existing) => existing.combine(error),
            None => self.error = Some(error),
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}
