//! Attribute arguments: an optional leading string literal, then `key = value` pairs.
//!
//! Values are a string literal, a path, or a bracketed list of either; anything else is kept as
//! it was written, for the key's own check to refuse. Every problem (a missing `=`, an unknown
//! key with the closest known one, a key given twice) is collected, not returned at the first.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Path, Token};

/// Parsed attribute arguments.
pub(crate) struct Args {
    pub(crate) positional: Option<LitStr>,
    /// The known keys, each once, in the order written.
    pub(crate) pairs: Vec<(Ident, Value)>,
    /// The keys (or `path`) the user meant but wrote wrongly, already reported: a check for a
    /// missing key stays quiet about them.
    meant: Vec<String>,
    /// The first token of the arguments, or the whole attribute when there are none.
    start: Span,
}

/// The value of a `key = value` pair.
#[derive(Clone)]
pub(crate) enum Value {
    Str(LitStr),
    Path(Path),
    /// A bracketed list, with the span of its brackets.
    List(Vec<Value>, Span),
    /// Anything else, as written.
    Other(TokenStream),
}

impl Value {
    /// An error underlining the whole value.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> syn::Error {
        match self {
            Value::List(_, span) => syn::Error::new(*span, message),
            _ => syn::Error::new_spanned(self, message),
        }
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Value::Str(lit) => lit.to_tokens(tokens),
            Value::Path(path) => path.to_tokens(tokens),
            Value::List(items, span) => {
                let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Bracket, quote::quote!(#(#items),*));
                group.set_span(*span);
                tokens.extend([TokenTree::Group(group)]);
            }
            Value::Other(other) => other.to_tokens(tokens),
        }
    }
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Value> {
        if input.peek(syn::token::Bracket) {
            let group: proc_macro2::Group = input.parse()?;
            let items = Punctuated::<Value, Token![,]>::parse_terminated.parse2(group.stream())?;
            return Ok(Value::List(items.into_iter().collect(), group.span()));
        }
        let tokens = until_comma(input)?;
        if let Ok(lit) = syn::parse2::<LitStr>(tokens.clone()) {
            Ok(Value::Str(lit))
        } else if let Ok(path) = syn::parse2::<Path>(tokens.clone()) {
            Ok(Value::Path(path))
        } else {
            Ok(Value::Other(tokens))
        }
    }
}

/// Stands for the leading path in [`Args::missing`].
pub(crate) const PATH: &str = "path";

/// How a macro reads its arguments.
pub(crate) struct Spec<'a> {
    /// The attribute's name, for messages: `command`.
    pub(crate) name: &'a str,
    /// Whether it takes a leading path literal (`#[command("/todos")]`).
    pub(crate) path: bool,
    /// The keys it knows.
    pub(crate) known: &'a [&'a str],
}

impl Args {
    /// Parses `tokens`, recording every problem in `errors`. Unknown keys and repeated keys are
    /// dropped, so the checks that follow see only what they know.
    pub(crate) fn parse(tokens: TokenStream, spec: &Spec<'_>, errors: &mut Errors) -> Args {
        let start = tokens.clone().into_iter().next().map_or_else(Span::call_site, |token| token.span());
        let parser = |input: ParseStream<'_>| {
            let mut args = Args { positional: None, pairs: Vec::new(), meant: Vec::new(), start };
            if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                if spec.path {
                    args.positional = Some(lit);
                } else {
                    let key = spec.known.first().copied().unwrap_or("key");
                    args.meant.push(key.to_owned());
                    errors.push(syn::Error::new(
                        lit.span(),
                        format!(
                            "`#[{}]` takes only `key = value` pairs: did you mean `{key} = [{}]`?",
                            spec.name,
                            lit.to_token_stream()
                        ),
                    ));
                }
                comma(input)?;
            } else if spec.path && !input.is_empty() && !(input.peek(Ident) && input.peek2(Token![=])) {
                let tokens = until_comma(input)?;
                args.meant.push(PATH.to_owned());
                errors.push(syn::Error::new_spanned(
                    &tokens,
                    format!(
                        "the path is a string literal starting with `/`, e.g. `#[{}(\"/todos\")]`: \
                         the macro reads it while compiling, so `{tokens}` cannot be used here",
                        spec.name
                    ),
                ));
                comma(input)?;
            }
            while !input.is_empty() {
                let Ok(key) = input.parse::<Ident>() else {
                    let tokens = until_comma(input)?;
                    errors.push(syn::Error::new_spanned(
                        &tokens,
                        format!("expected `key = value`, found `{tokens}`: the keys are {}", list(spec.known)),
                    ));
                    comma(input)?;
                    continue;
                };
                if input.parse::<Token![=]>().is_err() {
                    until_comma(input)?;
                    args.meant.push(key.to_string());
                    errors.push(syn::Error::new(key.span(), format!("`{key}` needs a value: write `{key} = …`")));
                    comma(input)?;
                    continue;
                }
                let value: Value = input.parse()?;
                if !spec.known.contains(&key.to_string().as_str()) {
                    args.meant.extend(did_you_mean(&key.to_string(), spec.known).map(str::to_owned));
                    errors.push(syn::Error::new(key.span(), unknown_key(&key.to_string(), spec.known)));
                } else if args.pairs.iter().any(|(k, _)| *k == key) {
                    errors.push(syn::Error::new(key.span(), format!("`{key}` is given twice: keep one")));
                } else {
                    args.pairs.push((key, value));
                }
                comma(input)?;
            }
            Ok(args)
        };
        match parser.parse2(tokens) {
            Ok(args) => args,
            Err(error) => {
                errors.push(error);
                // Broken syntax: every key may be meant, so no check reports a missing one.
                let mut meant: Vec<String> = spec.known.iter().map(|k| (*k).to_owned()).collect();
                meant.push(PATH.to_owned());
                Args { positional: None, pairs: Vec::new(), meant, start }
            }
        }
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<(&Ident, &Value)> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(k, v)| (k, v))
    }

    /// Whether a missing `key` (or [`PATH`]) should be reported: not when the user wrote it
    /// wrongly, which is reported already.
    pub(crate) fn missing(&self, key: &str) -> bool {
        !self.meant.iter().any(|k| k == key)
    }

    /// Where to report a missing path: the first argument, or the whole attribute.
    pub(crate) fn start(&self) -> Span {
        self.start
    }
}

/// The tokens up to the next top-level `,` (not included).
fn until_comma(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    Ok(tokens)
}

fn comma(input: ParseStream<'_>) -> syn::Result<()> {
    if !input.is_empty() && input.parse::<Token![,]>().is_err() {
        let found = input.parse::<TokenTree>()?;
        return Err(syn::Error::new(found.span(), format!("separate the arguments with `,`, not `{found}`")));
    }
    Ok(())
}

fn list(known: &[&str]) -> String {
    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// "unknown key `x`" with a "did you mean" when a known key is close.
pub(crate) fn unknown_key(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known) {
        Some(close) => format!("unknown key `{key}`: did you mean `{close}`? (the keys are {})", list(known)),
        None => format!("unknown key `{key}`: the keys are {}", list(known)),
    }
}

/// The known word closest to `word`, if it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    known
        .iter()
        .map(|k| (distance(&word, k), *k))
        .filter(|(d, k)| *d <= 1.max(k.len().min(word.len()) / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The edit distance between `a` and `b`, where swapping two neighbouring letters is one edit
/// (`lenght` → `length`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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

    /// Whether any error was recorded.
    pub(crate) fn any(&self) -> bool {
        self.error.is_some()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}
