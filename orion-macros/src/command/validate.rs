//! The checks of a `#[command]`, all reported at once.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{FnArg, Ident, LitStr, Pat, ReturnType, Type};

use super::ast::{Command, Kind};
use crate::args::{Errors, PATH, Value, did_you_mean};
use crate::item::first_span;
use crate::path::{self, PathPattern};
use crate::symbol::{FORM, METHOD, MODE, SELECTOR};

pub(crate) struct Checked {
    pub(crate) path: LitStr,
    pub(crate) pattern: PathPattern,
    pub(crate) method: Ident,
    pub(crate) method_name: String,
    pub(crate) form: LitStr,
    pub(crate) args: Vec<Arg>,
    /// The first token of the return type, where rustc's own error about it should land.
    pub(crate) output_span: Span,
    /// A fragment's target: a CSS selector (none: morph by id) and a patch mode.
    pub(crate) selector: Option<LitStr>,
    pub(crate) mode: Option<LitStr>,
}

pub(crate) enum Arg {
    /// The context, with the first token of its type; a fragment may borrow it.
    Ctx {
        span: Span,
        by_ref: bool,
    },
    Param {
        name: Ident,
        ty: Type,
    },
    Input {
        ty: Type,
    },
}

const METHODS: &[&str] = &["post", "put", "patch", "delete", "get"];

/// The patch modes a fragment may use (`remove` patches nothing in).
const MODES: &[&str] = &["outer", "inner", "replace", "prepend", "append", "before", "after"];

pub(crate) fn check(command: &Command, errors: &mut Errors) -> Checked {
    let sig = &command.item.sig;
    let name = &sig.ident;
    let kind = command.kind.name();

    let (path, pattern) = match &command.path {
        Some(lit) => (lit.clone(), path::parse(lit, errors)),
        None => {
            if command.args.missing(PATH) {
                errors.push(syn::Error::new(
                    command.args.start(),
                    format!("a {kind} needs its path as the first argument, e.g. `#[{kind}(\"/{name}\")]`"),
                ));
            }
            (LitStr::new("/", Span::call_site()), PathPattern::default())
        }
    };

    let method_name = match command.kind {
        Kind::Command => method(command, errors),
        Kind::Fragment => "get".to_owned(),
    };
    let method = Ident::new(&method_name.to_uppercase(), Span::call_site());
    let form = form(command, &path, &pattern, errors);
    let selector = string(&command.selector, SELECTOR, "#details", errors);
    let mode = string(&command.mode, MODE, "inner", errors);
    if let Some(lit) = &mode {
        if !MODES.contains(&lit.value().as_str()) {
            let message = match did_you_mean(&lit.value(), MODES) {
                Some(close) => format!("`\"{}\"` is not a patch mode: did you mean `\"{close}\"`?", lit.value()),
                None => format!("`\"{}\"` is not a patch mode: write one of {}", lit.value(), quoted(MODES)),
            };
            errors.push(syn::Error::new(lit.span(), message));
        }
        if lit.value() != "outer" && lit.value() != "replace" && selector.is_none() {
            errors.push(syn::Error::new(
                lit.span(),
                format!("mode `\"{}\"` patches into a target: add `selector = \"#…\"`", lit.value()),
            ));
        }
    }

    match (command.kind, sig.asyncness) {
        (Kind::Command, None) => errors.push(syn::Error::new(
            sig.fn_token.span,
            format!(
                "a command is an `async fn`: write `async fn {name}` (it awaits its write's durable commit, \
                 `ctx.store.write(…).await`)"
            ),
        )),
        (Kind::Fragment, Some(asyncness)) => errors.push(syn::Error::new(
            asyncness.span,
            "remove `async`: a fragment is a synchronous read (the store's reads need no `.await`)",
        )),
        _ => {}
    }
    let output_span = match &sig.output {
        ReturnType::Type(_, ty) => first_span(ty),
        ReturnType::Default => {
            let message = match command.kind {
                Kind::Command => {
                    "a command answers its requester: add `-> orion::Result<Reply>` and return `Ok(Reply::new())`"
                }
                Kind::Fragment => "a fragment renders HTML: add `-> orion::Result<Html>` and return `Ok(html! { … })`",
            };
            errors.push(syn::Error::new(sig.paren_token.span.close(), message));
            name.span()
        }
    };

    let args = arguments(command, &path, &pattern, errors);
    for param in &pattern.params {
        let taken = args.iter().any(|a| matches!(a, Arg::Param { name, .. } if name == param));
        if !taken {
            errors.push(syn::Error::new(
                path.span(),
                format!("the path parameter `{{{param}}}` has no argument: add `{param}: …` to `{name}`"),
            ));
        }
    }
    Checked { path, pattern, method, method_name, form, args, output_span, selector, mode }
}

/// An optional string-literal key.
fn string(value: &Option<(Ident, Value)>, key: &str, example: &str, errors: &mut Errors) -> Option<LitStr> {
    match value {
        None => None,
        Some((_, Value::Str(lit))) => Some(lit.clone()),
        Some((_, other)) => {
            errors.push(other.error(format!("`{key}` is a string literal: write `{key} = \"{example}\"`")));
            None
        }
    }
}

fn quoted(words: &[&str]) -> String {
    words.iter().map(|w| format!("`\"{w}\"`")).collect::<Vec<_>>().join(", ")
}

fn method(command: &Command, errors: &mut Errors) -> String {
    let one_of = "one of `\"post\"` (the default), `\"put\"`, `\"patch\"`, `\"delete\"` or `\"get\"`";
    match &command.method {
        None => "post".to_owned(),
        Some((_, Value::Str(lit))) => {
            let value = lit.value().to_lowercase();
            if METHODS.contains(&value.as_str()) {
                return value;
            }
            let message = match did_you_mean(&value, METHODS) {
                Some(close) => format!("`\"{}\"` is not a method: did you mean `\"{close}\"`?", lit.value()),
                None => format!("`\"{}\"` is not a method: write {one_of}", lit.value()),
            };
            errors.push(syn::Error::new(lit.span(), message));
            "post".to_owned()
        }
        Some((_, other)) => {
            let written = other.to_token_stream().to_string().to_lowercase();
            let message = if METHODS.contains(&written.as_str()) {
                format!("`{METHOD}` is a string literal: write `{METHOD} = \"{written}\"`")
            } else {
                format!("`{METHOD}` is a string literal, {one_of}")
            };
            errors.push(other.error(message));
            "post".to_owned()
        }
    }
}

fn form(command: &Command, path: &LitStr, pattern: &PathPattern, errors: &mut Errors) -> LitStr {
    let name = &command.item.sig.ident;
    let mut default = name.to_string().replace('_', "-");
    for param in &pattern.params {
        default.push_str(&format!("-{{{param}}}"));
    }
    match &command.form {
        None => LitStr::new(&default, name.span()),
        Some((_, Value::Str(lit))) => {
            for placeholder in path::placeholders(&lit.value()) {
                if pattern.params.contains(&placeholder) {
                    continue;
                }
                let params: Vec<String> = pattern.params.iter().map(|p| format!("`{{{p}}}`")).collect();
                let fix = match params.as_slice() {
                    [] => "remove it (the path has no parameters)".to_owned(),
                    [one] => format!("use {one}"),
                    more => format!("use one of {}", more.join(", ")),
                };
                errors.push(syn::Error::new(
                    lit.span(),
                    format!("`{{{placeholder}}}` in `{FORM}` is not a parameter of the path `{}`: {fix}", path.value()),
                ));
            }
            lit.clone()
        }
        Some((_, other)) => {
            errors.push(
                other.error(format!("`{FORM}` is the form's id as a string literal, e.g. `{FORM} = \"{default}\"`")),
            );
            LitStr::new(&default, name.span())
        }
    }
}

/// The context first, then each path parameter by name and at most one input.
fn arguments(command: &Command, path: &LitStr, pattern: &PathPattern, errors: &mut Errors) -> Vec<Arg> {
    let sig = &command.item.sig;
    let name = &sig.ident;
    let mut args = Vec::new();
    let mut input: Option<&syn::PatType> = None;
    for (i, arg) in sig.inputs.iter().enumerate() {
        let kind = command.kind.name();
        let FnArg::Typed(arg) = arg else {
            errors.push(syn::Error::new_spanned(
                arg,
                format!("a {kind} is a free function, not a method: remove `self`"),
            ));
            continue;
        };
        let ident = match &*arg.pat {
            Pat::Ident(pat) => Some(pat.ident.clone()),
            _ => None,
        };
        let param = ident.filter(|ident| pattern.params.contains(&ident.to_string()));
        if i == 0 {
            match &*arg.ty {
                _ if param.is_some() => {
                    let signature = match command.kind {
                        Kind::Command => format!("async fn {name}(ctx: Ctx, {}, …)", tokens(arg)),
                        Kind::Fragment => format!("fn {name}(ctx: &Ctx, {}, …)", tokens(arg)),
                    };
                    errors.push(syn::Error::new_spanned(
                        arg,
                        format!("a {kind} takes the context first: write `{signature}`"),
                    ));
                    args.extend(param.map(|name| Arg::Param { name, ty: (*arg.ty).clone() }));
                }
                Type::Reference(reference) if names_ctx(&reference.elem) && command.kind == Kind::Command => {
                    errors.push(syn::Error::new_spanned(
                        &arg.ty,
                        "a command owns its context: write `ctx: Ctx` (it is cheap to clone and moves into `ctx.store.write`)",
                    ))
                }
                Type::Reference(reference) => {
                    args.push(Arg::Ctx { span: first_span(&reference.elem), by_ref: true });
                }
                ty => args.push(Arg::Ctx { span: first_span(ty), by_ref: false }),
            }
            continue;
        }
        match (param, input) {
            (Some(name), _) => args.push(Arg::Param { name, ty: (*arg.ty).clone() }),
            (None, None) => {
                input = Some(arg);
                args.push(Arg::Input { ty: (*arg.ty).clone() });
            }
            (None, Some(first)) => {
                let pat = arg.pat.to_token_stream();
                errors.push(syn::Error::new_spanned(
                    arg,
                    format!(
                        "`{pat}` is neither a parameter of the path `{}` nor the input (a {kind} takes one input, \
                         here `{}`): remove it, or add `{{{pat}}}` to the path",
                        path.value(),
                        tokens(first),
                    ),
                ));
            }
        }
    }
    if sig.inputs.is_empty() {
        let message = match command.kind {
            Kind::Command => {
                format!("a command takes the context first: write `async fn {name}(ctx: Ctx, …)`")
            }
            Kind::Fragment => {
                format!("a fragment takes the context first: write `fn {name}(ctx: &Ctx, …)`")
            }
        };
        errors.push(syn::Error::new(name.span(), message));
    }
    args
}

fn names_ctx(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Ctx"))
}

/// A type or argument as written, for messages: `id: i64`.
fn tokens(node: &impl ToTokens) -> String {
    let text = node.to_token_stream().to_string();
    text.replace(" : ", ": ").replace(" < ", "<").replace(" >", ">").replace("& ", "&")
}
