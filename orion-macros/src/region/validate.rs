//! The checks of a `#[region]`, all reported at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, LitStr, PathArguments, ReturnType, Signature, Type};

use super::ast::Region;
use crate::args::{Errors, Value};
use crate::item::first_span;
use crate::symbol::{ID, MODEL_FN, TOPICS};

pub(crate) struct Checked {
    pub(crate) id: LitStr,
    /// String literals, or paths to `&str` constants.
    pub(crate) topics: Vec<TokenStream>,
    pub(crate) model_type: Type,
    /// Where rustc's own errors about the user's functions should land: the context and model
    /// arguments, and the model's return type.
    pub(crate) ctx_span: Span,
    pub(crate) model_span: Span,
    pub(crate) result_span: Span,
}

/// What a region needs to be expanded, or `None` when something is missing; every problem is
/// in `errors`.
pub(crate) fn check(region: &Region, errors: &mut Errors) -> Option<Checked> {
    let item = &region.item;
    let self_ty = &item.self_ty;
    if let Some((_, path, _)) = &item.trait_ {
        errors.push(syn::Error::new_spanned(
            path,
            format!(
                "`#[region]` goes on the type's own `impl` block: write `impl {}` (the macro writes the `orion::Region` impl)",
                self_ty.to_token_stream()
            ),
        ));
    }
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &item.generics,
            "a region type cannot be generic: remove the type parameters (what varies goes in the model)",
        ));
    }

    let topics = topics(region, errors);
    let model = model(region, errors);
    let model_type = model.as_ref().map(|(ty, _, _)| ty);
    let model_span = view(region, model_type, errors);

    let id = match &region.id {
        None => LitStr::new(&default_id(self_ty), self_ty.span()),
        Some(Value::Str(lit)) => lit.clone(),
        Some(other) => {
            errors.push(other.error(format!("`{ID}` is a string literal, e.g. `{ID} = \"{}\"`", default_id(self_ty))));
            LitStr::new(&default_id(self_ty), self_ty.span())
        }
    };
    let value = id.value();
    if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        let fixed: String = value.split_whitespace().collect::<Vec<_>>().join("-").replace(['"', '\''], "");
        let fixed = if fixed.is_empty() { default_id(self_ty) } else { fixed };
        errors.push(syn::Error::new(
            id.span(),
            format!("a region id is a non-empty HTML id without spaces or quotes: write `{ID} = \"{fixed}\"`"),
        ));
    }
    let (model_type, ctx_span, result_span) = model?;
    Some(Checked { id, topics, model_type, ctx_span, model_span: model_span?, result_span })
}

fn topics(region: &Region, errors: &mut Errors) -> Vec<TokenStream> {
    let example = format!("`#[region({TOPICS} = [\"todos\"])]`");
    let items = match &region.topics {
        None if region.topics_meant => return Vec::new(),
        None => {
            errors.push(syn::Error::new(
                Span::call_site(),
                format!("a region needs `{TOPICS}`: the bus topics whose publishes re-render it, e.g. {example}"),
            ));
            return Vec::new();
        }
        Some((key, Value::List(items, _))) if items.is_empty() => {
            errors.push(syn::Error::new(
                key.span(),
                format!("`{TOPICS}` lists at least one topic, e.g. `{TOPICS} = [\"todos\"]`: a region without one never updates"),
            ));
            return Vec::new();
        }
        Some((_, Value::List(items, _))) => items.iter().collect(),
        Some((_, value)) => vec![value],
    };
    let mut topics = Vec::new();
    for item in items {
        match item {
            Value::Str(lit) if !lit.value().is_empty() => topics.push(lit.to_token_stream()),
            Value::Path(path) => topics.push(path.to_token_stream()),
            other => errors.push(other.error(format!(
                "a topic is a non-empty string literal or a `&str` constant, e.g. `{TOPICS} = [\"todos\", sql::TOPIC]`"
            ))),
        }
    }
    topics
}

/// The model type, and the spans of the context argument and of the return type.
fn model(region: &Region, errors: &mut Errors) -> Option<(Type, Span, Span)> {
    let Some(model) = &region.model else {
        errors.push(syn::Error::new_spanned(
            &region.item.self_ty,
            "this region has no `fn model(ctx: &Ctx) -> orion::Result<Model>`: add one that reads the store",
        ));
        return None;
    };
    let sig = &model.sig;
    if let Some(asyncness) = sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span,
            format!("remove `async`: a region's `{MODEL_FN}` runs on the synchronous render path (the store's reads need no `.await`)"),
        ));
    }
    let ctx_span = ctx_argument(sig, errors);
    let ok_type = match &sig.output {
        ReturnType::Type(_, ty) => match result_ok_type(ty) {
            Some(ok) => Some((ok, first_span(ty))),
            None => {
                errors.push(syn::Error::new_spanned(
                    ty,
                    format!(
                        "`{MODEL_FN}` returns `orion::Result<…>`: write `-> orion::Result<{}>` and return `Ok(…)`",
                        ty.to_token_stream()
                    ),
                ));
                None
            }
        },
        ReturnType::Default => {
            errors.push(syn::Error::new(
                sig.ident.span(),
                format!("`{MODEL_FN}` returns the model: write `fn model(ctx: &Ctx) -> orion::Result<Model>`, where `Model` is what the view renders"),
            ));
            None
        }
    };
    let (ok_type, result_span) = ok_type?;
    Some((ok_type, ctx_span?, result_span))
}

/// Checks that `model` takes `ctx: &Ctx` and nothing else; returns where the context's type is.
fn ctx_argument(sig: &Signature, errors: &mut Errors) -> Option<Span> {
    let mut inputs = sig.inputs.iter();
    let span = match inputs.next() {
        None => {
            errors.push(syn::Error::new(
                sig.ident.span(),
                format!("`{MODEL_FN}` reads the store through the context: write `fn model(ctx: &Ctx)`"),
            ));
            None
        }
        Some(FnArg::Receiver(receiver)) => {
            errors.push(syn::Error::new_spanned(
                receiver,
                format!("`{MODEL_FN}` takes the context, not `self`: write `fn model(ctx: &Ctx)`"),
            ));
            None
        }
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            Type::Reference(reference) => Some(first_span(&reference.elem)),
            ty if names(ty, &["Ctx"]) => {
                errors.push(syn::Error::new_spanned(ty, format!("`{MODEL_FN}` borrows the context: write `&Ctx`")));
                None
            }
            ty => Some(first_span(ty)),
        },
    };
    for extra in inputs {
        errors.push(syn::Error::new_spanned(
            extra,
            format!(
                "`{MODEL_FN}` takes the context and nothing else: remove this argument \
                 (route parameters are in `ctx.param(\"…\")`)"
            ),
        ));
    }
    span
}

/// `T` of `Result<T>` / `orion::Result<T>` / `Result<T, E>`.
fn result_ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    })
}

/// Checks that `view` takes `&Model` and nothing else; returns where the model's type is.
fn view(region: &Region, model_type: Option<&Type>, errors: &mut Errors) -> Option<Span> {
    let model = model_type.map_or_else(|| "Model".to_owned(), |ty| ty.to_token_stream().to_string());
    let Some(view) = &region.view else {
        errors.push(syn::Error::new_spanned(
            &region.item.self_ty,
            format!("this region has no `fn view(model: &{model}) -> Html`: add one that renders the model"),
        ));
        return None;
    };
    let sig = &view.sig;
    if let Some(asyncness) = sig.asyncness {
        errors.push(syn::Error::new(asyncness.span, "remove `async`: a view is a pure function of its model"));
    }
    let mut inputs = sig.inputs.iter();
    let span = match inputs.next() {
        None => {
            errors.push(syn::Error::new(
                sig.ident.span(),
                format!("a view renders its model: write `fn view(model: &{model}) -> Html`"),
            ));
            None
        }
        Some(FnArg::Receiver(receiver)) => {
            errors.push(syn::Error::new_spanned(
                receiver,
                format!("a view takes the model, not `self`: write `fn view(model: &{model}) -> Html`"),
            ));
            None
        }
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            Type::Reference(reference) if names(&reference.elem, &["Ctx", "Store"]) => {
                errors.push(syn::Error::new_spanned(&arg.ty, cannot_reach_store(&model)));
                None
            }
            Type::Reference(reference) => Some(first_span(&reference.elem)),
            other => {
                errors.push(syn::Error::new_spanned(
                    other,
                    format!("a view borrows its model: write `&{}`", other.to_token_stream()),
                ));
                None
            }
        },
    };
    for extra in inputs {
        let takes_store = matches!(extra, FnArg::Typed(arg) if names(&arg.ty, &["Ctx", "Store"]));
        let message = if takes_store {
            format!("a view cannot reach the store: remove this argument, and read what the view needs in `{MODEL_FN}`")
        } else {
            "a view takes the model and nothing else: remove this argument (what the view shows belongs in the model)"
                .to_owned()
        };
        errors.push(syn::Error::new_spanned(extra, message));
    }
    span
}

fn cannot_reach_store(model: &str) -> String {
    format!(
        "a view cannot reach the store: take the model (`&{model}`) instead of the context, \
         and read what the view needs in `{MODEL_FN}`"
    )
}

/// Whether `ty` (or what it borrows) is a path ending in one of `names`.
fn names(ty: &Type, names: &[&str]) -> bool {
    match ty {
        Type::Reference(reference) => self::names(&reference.elem, names),
        Type::Path(path) => path.path.segments.last().is_some_and(|s| names.iter().any(|n| s.ident == n)),
        _ => false,
    }
}

/// `TodoList` → `todo-list`.
fn default_id(self_ty: &Type) -> String {
    let name = match self_ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    };
    let mut id = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                id.push('-');
            }
            id.extend(c.to_lowercase());
        } else {
            id.push(c);
        }
    }
    id
}
