//! The checks of a `#[region]`, all reported at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, LitStr, PathArguments, ReturnType, Type};

use super::ast::Region;
use crate::args::{Errors, Value};
use crate::symbol::TOPICS;

pub(crate) struct Checked {
    pub(crate) id: LitStr,
    /// String literals, or paths to `&str` constants.
    pub(crate) topics: Vec<TokenStream>,
    pub(crate) model_type: Type,
}

pub(crate) fn check(region: &Region) -> syn::Result<Checked> {
    let mut errors = Errors::default();
    let item = &region.item;
    if let Some((_, path, _)) = &item.trait_ {
        errors.push(syn::Error::new(
            path.span(),
            "`#[region]` goes on the type's own `impl` block, not a trait impl: it writes the `orion::Region` impl itself",
        ));
    }
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new(item.generics.span(), "a region type cannot be generic"));
    }

    let topics = topics(region, &mut errors);
    let model_type = model_type(region, &mut errors);
    check_view(region, model_type.as_ref(), &mut errors);

    let id = region.id.clone().unwrap_or_else(|| LitStr::new(&default_id(&item.self_ty), item.self_ty.span()));
    if id.value().is_empty() || id.value().contains(|c: char| c.is_whitespace() || c == '"') {
        errors.push(syn::Error::new(id.span(), "a region id is a non-empty HTML id without spaces or quotes"));
    }
    errors.finish()?;
    Ok(Checked { id, topics, model_type: model_type.expect("reported above when missing") })
}

fn topics(region: &Region, errors: &mut Errors) -> Vec<TokenStream> {
    let hint = "a region needs `topics`: the bus topics whose publishes re-render it, \
                e.g. `#[region(topics = [\"todos\"])]`";
    let items = match &region.topics {
        None => {
            errors.push(syn::Error::new(Span::call_site(), hint));
            return Vec::new();
        }
        Some(Value::Str(lit)) => vec![Value::Str(lit.clone())],
        Some(Value::List(items)) if items.is_empty() => {
            errors.push(syn::Error::new(Span::call_site(), hint));
            return Vec::new();
        }
        Some(Value::List(items)) => items.iter().map(clone_str).collect(),
        Some(other) => vec![clone_str(other)],
    };
    let mut topics = Vec::new();
    for item in items {
        match item {
            Value::Str(lit) if !lit.value().is_empty() => topics.push(lit.to_token_stream()),
            Value::Path(path) => topics.push(path.to_token_stream()),
            other => errors.push(syn::Error::new(
                other.span(),
                format!("a topic in `{TOPICS}` is a non-empty string literal or a `&str` constant, e.g. `\"todos\"`"),
            )),
        }
    }
    topics
}

fn clone_str(value: &Value) -> Value {
    match value {
        Value::Str(lit) => Value::Str(lit.clone()),
        Value::Path(path) => Value::Path(path.clone()),
        Value::List(_) => Value::Path(syn::parse_quote!(nested_list)),
    }
}

fn model_type(region: &Region, errors: &mut Errors) -> Option<Type> {
    let Some(model) = &region.model else {
        errors.push(syn::Error::new(
            region.item.self_ty.span(),
            "this region has no `fn model(ctx: &Ctx) -> orion::Result<Model>`: add one that reads the store",
        ));
        return None;
    };
    let sig = &model.sig;
    if sig.asyncness.is_some() {
        errors.push(syn::Error::new(
            sig.asyncness.span(),
            "the render path is synchronous: `model` cannot be `async` (the store's reads need no `.await`)",
        ));
    }
    if sig.receiver().is_some() {
        errors.push(syn::Error::new(sig.inputs.span(), "`model` takes the context, not `self`: `fn model(ctx: &Ctx)`"));
    } else if sig.inputs.len() != 1 {
        errors.push(syn::Error::new(
            sig.ident.span(),
            "`model` takes the context and nothing else: `fn model(ctx: &Ctx) -> orion::Result<Model>`",
        ));
    }
    let ok_type = match &sig.output {
        ReturnType::Type(_, ty) => result_ok_type(ty),
        ReturnType::Default => None,
    };
    if ok_type.is_none() {
        errors.push(syn::Error::new(
            sig.output.span().join(sig.ident.span()).unwrap_or(sig.ident.span()),
            "`model` returns `orion::Result<Model>`, where `Model` is what the view renders",
        ));
    }
    ok_type
}

/// `T` of `Result<T>` / `orion::Result<T>` / `Result<T, E>`.
fn result_ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    })
}

fn check_view(region: &Region, model_type: Option<&Type>, errors: &mut Errors) {
    let model = model_type.map(|ty| quote::quote!(#ty).to_string()).unwrap_or_else(|| "Model".into());
    let Some(view) = &region.view else {
        errors.push(syn::Error::new(
            region.item.self_ty.span(),
            format!("this region has no `fn view(model: &{model}) -> Html`: add one that renders the model"),
        ));
        return;
    };
    let sig = &view.sig;
    let takes_model = format!(
        "the view takes the model and nothing else: `fn view(model: &{model}) -> Html` — a view is a pure function of its model"
    );
    if sig.asyncness.is_some() {
        errors.push(syn::Error::new(sig.asyncness.span(), "a view is a pure function: it cannot be `async`"));
    }
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    match inputs.as_slice() {
        [FnArg::Typed(arg)] => match &*arg.ty {
            Type::Reference(reference) if names_ctx(&reference.elem) => errors.push(syn::Error::new(
                arg.ty.span(),
                format!(
                    "a view cannot reach the store: take the model (`&{model}`) instead of the context, \
                     and read what the view needs in `model`"
                ),
            )),
            Type::Reference(_) => {}
            other => errors.push(syn::Error::new(other.span(), takes_model)),
        },
        [] => errors.push(syn::Error::new(sig.ident.span(), takes_model)),
        [_, rest @ ..] => {
            let span = rest.first().map_or(sig.ident.span(), |a| a.span());
            errors.push(syn::Error::new(span, takes_model));
        }
    }
    if let [FnArg::Receiver(receiver), ..] = inputs.as_slice() {
        errors.push(syn::Error::new(receiver.span(), "`view` takes the model, not `self`"));
    }
}

fn names_ctx(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Ctx" || s.ident == "Store"))
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
