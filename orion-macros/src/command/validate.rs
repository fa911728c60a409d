//! The checks of a `#[command]`, all reported at once.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, LitStr, Pat, Type};

use super::ast::Command;
use crate::args::{Errors, Value};
use crate::path::{self, PathPattern};

pub(crate) struct Checked {
    pub(crate) path: LitStr,
    pub(crate) pattern: PathPattern,
    pub(crate) method: Ident,
    pub(crate) method_name: String,
    pub(crate) form: LitStr,
    pub(crate) args: Vec<Arg>,
}

pub(crate) enum Arg {
    Ctx,
    Param { name: Ident, ty: Type },
    Input { ty: Type },
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

pub(crate) fn check(command: &Command) -> syn::Result<Checked> {
    let mut errors = Errors::default();
    let sig = &command.item.sig;
    let name = &sig.ident;

    let (path, pattern) = match &command.path {
        Some(lit) => match path::parse(lit) {
            Ok(pattern) => (lit.clone(), pattern),
            Err(error) => {
                errors.push(error);
                (lit.clone(), PathPattern::default())
            }
        },
        None => {
            errors.push(syn::Error::new(
                Span::call_site(),
                format!("a command needs its path as the first argument, e.g. `#[command(\"/{name}\")]`"),
            ));
            (LitStr::new("/", Span::call_site()), PathPattern::default())
        }
    };

    let method_name = match &command.method {
        None => "post".to_owned(),
        Some((_, Value::Str(lit))) if METHODS.contains(&lit.value().to_lowercase().as_str()) => lit.value().to_lowercase(),
        Some((span, value)) => {
            let span = match value {
                Value::Str(lit) => lit.span(),
                _ => *span,
            };
            errors.push(syn::Error::new(span, "`method` is one of \"post\" (the default), \"put\", \"patch\", \"delete\" or \"get\""));
            "post".to_owned()
        }
    };
    let method = Ident::new(&method_name.to_uppercase(), Span::call_site());

    let form = match &command.form {
        None => {
            let mut form = name.to_string().replace('_', "-");
            for param in &pattern.params {
                form.push_str(&format!("-{{{param}}}"));
            }
            LitStr::new(&form, name.span())
        }
        Some((_, Value::Str(lit))) => {
            for placeholder in path::placeholders(&lit.value()) {
                if !pattern.params.contains(&placeholder) {
                    errors.push(syn::Error::new(
                        lit.span(),
                        format!("`{{{placeholder}}}` in `form` is not a parameter of the path `{}`", path.value()),
                    ));
                }
            }
            lit.clone()
        }
        Some((span, _)) => {
            errors.push(syn::Error::new(*span, "`form` is a string literal: the form's id, e.g. `form = \"rename-{id}\"`"));
            LitStr::new("", *span)
        }
    };

    if sig.asyncness.is_none() {
        errors.push(syn::Error::new(
            sig.fn_token.span(),
            "a command is an `async fn`: it awaits its write's durable commit (`ctx.store.write(…).await`)",
        ));
    }

    let mut args = Vec::new();
    let mut input_seen = false;
    for (i, input) in sig.inputs.iter().enumerate() {
        let FnArg::Typed(arg) = input else {
            errors.push(syn::Error::new(input.span(), "a command is a free function: remove `self`"));
            continue;
        };
        if i == 0 {
            args.push(Arg::Ctx);
            continue;
        }
        let name = match &*arg.pat {
            Pat::Ident(pat) => Some(pat.ident.clone()),
            _ => None,
        };
        match name {
            Some(name) if pattern.params.contains(&name.to_string()) => {
                args.push(Arg::Param { name, ty: (*arg.ty).clone() });
            }
            _ if !input_seen => {
                input_seen = true;
                args.push(Arg::Input { ty: (*arg.ty).clone() });
            }
            _ => errors.push(syn::Error::new(
                arg.pat.span(),
                format!(
                    "a command takes the context, its path parameters (named like the `{{…}}` segments of `{}`) \
                     and at most one input: this argument is none of them",
                    path.value()
                ),
            )),
        }
    }
    if sig.inputs.is_empty() {
        errors.push(syn::Error::new(
            sig.ident.span(),
            format!("a command takes the context first: `async fn {name}(ctx: Ctx, …)`"),
        ));
    }
    for param in &pattern.params {
        let taken = args.iter().any(|a| matches!(a, Arg::Param { name, .. } if name == param));
        if !taken {
            errors.push(syn::Error::new(
                path.span(),
                format!("the path parameter `{{{param}}}` has no argument: add `{param}: …` to `{name}`"),
            ));
        }
    }
    errors.finish()?;
    Ok(Checked { path, pattern, method, method_name, form, args })
}
