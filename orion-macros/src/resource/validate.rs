//! The checks of a `#[resource]`, all reported at once.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{FnArg, LitStr, Path, ReturnType, Type};

use super::ast::Resource;
use crate::args::{Errors, PATH, Value};
use crate::item::first_span;
use crate::path;
use crate::symbol::{COMMANDS, FRAGMENTS, PAGE_FN, REGIONS};

pub(crate) struct Checked {
    pub(crate) path: LitStr,
    pub(crate) regions: Vec<Path>,
    pub(crate) commands: Vec<Path>,
    pub(crate) fragments: Vec<Path>,
    /// Where rustc's own errors about `page`'s argument and return type should land.
    pub(crate) page_span: Span,
    pub(crate) output_span: Span,
}

const PAGE_SIGNATURE: &str = "fn page(page: &Page) -> orion::Result<Document>";

/// What a resource needs to be expanded, or `None` when something is missing; every problem is
/// in `errors`.
pub(crate) fn check(resource: &Resource, errors: &mut Errors) -> Option<Checked> {
    let item = &resource.item;
    let path = match &resource.args.positional {
        Some(lit) => {
            path::parse(lit, errors);
            lit.clone()
        }
        None => {
            if resource.args.missing(PATH) {
                errors.push(syn::Error::new(
                    resource.args.start(),
                    "a resource needs its path as the first argument, e.g. `#[resource(\"/todos\")]`",
                ));
            }
            LitStr::new("/", Span::call_site())
        }
    };
    let regions = paths(resource, REGIONS, "regions = [TodoList, Remaining]", errors);
    let commands = paths(resource, COMMANDS, "commands = [add, toggle]", errors);
    let fragments = paths(resource, FRAGMENTS, "fragments = [details]", errors);
    if let Some((_, trait_path, _)) = &item.trait_ {
        errors.push(syn::Error::new_spanned(
            trait_path,
            format!(
                "`#[resource]` goes on the type's own `impl` block: write `impl {}` (the macro writes the `orion::Resource` impl)",
                item.self_ty.to_token_stream()
            ),
        ));
    }
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &item.generics,
            "a resource type cannot be generic: remove the type parameters (route parameters are in `page.ctx()`)",
        ));
    }
    let (page_span, output_span) = page(resource, errors)?;
    Some(Checked { path, regions, commands, fragments, page_span, output_span })
}

/// Checks `fn page(page: &Page) -> orion::Result<Document>`; returns where its argument's type and
/// its return type are.
fn page(resource: &Resource, errors: &mut Errors) -> Option<(Span, Span)> {
    let Some(page) = &resource.page else {
        errors.push(syn::Error::new_spanned(
            &resource.item.self_ty,
            format!("this resource has no `{PAGE_SIGNATURE}`: add one that renders the page"),
        ));
        return None;
    };
    let sig = &page.sig;
    if let Some(asyncness) = sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span,
            "remove `async`: a page renders synchronously (the store's reads need no `.await`)",
        ));
    }
    let mut inputs = sig.inputs.iter();
    let page_span = match inputs.next() {
        None => {
            errors.push(syn::Error::new(
                sig.ident.span(),
                format!("`{PAGE_FN}` renders the request's page: write `{PAGE_SIGNATURE}`"),
            ));
            None
        }
        Some(FnArg::Receiver(receiver)) => {
            errors.push(syn::Error::new_spanned(
                receiver,
                format!("`{PAGE_FN}` takes the page, not `self`: write `page: &Page`"),
            ));
            None
        }
        Some(FnArg::Typed(arg)) => match &*arg.ty {
            Type::Reference(reference) if names(&reference.elem, "Ctx") => {
                errors.push(syn::Error::new_spanned(
                    &arg.ty,
                    format!("`{PAGE_FN}` takes `&Page`: write `page: &Page` and reach the context with `page.ctx()`"),
                ));
                None
            }
            Type::Reference(reference) => Some(first_span(&reference.elem)),
            ty => Some(first_span(ty)),
        },
    };
    for extra in inputs {
        errors.push(syn::Error::new_spanned(
            extra,
            format!("`{PAGE_FN}` takes `&Page` and nothing else: remove this argument (the context is `page.ctx()`)"),
        ));
    }
    let output_span = match &sig.output {
        ReturnType::Type(_, ty) if matches!(&**ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Result")) => {
            Some(first_span(ty))
        }
        ReturnType::Type(_, ty) => {
            errors.push(syn::Error::new_spanned(
                ty,
                format!(
                    "`{PAGE_FN}` returns `orion::Result<Document>`, not `{}`: write `-> orion::Result<Document>` and \
                     return `Ok(Document::new(\"…\").body(…))`",
                    ty.to_token_stream()
                ),
            ));
            None
        }
        ReturnType::Default => {
            errors.push(syn::Error::new(
                sig.ident.span(),
                format!("`{PAGE_FN}` returns the document: write `{PAGE_SIGNATURE}`"),
            ));
            None
        }
    };
    Some((page_span?, output_span?))
}

fn names(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == name))
}

fn paths(resource: &Resource, key: &str, example: &str, errors: &mut Errors) -> Vec<Path> {
    let Some((_, value)) = resource.args.get(key) else {
        return Vec::new();
    };
    let items = match value {
        Value::List(items, _) => items.iter().collect::<Vec<_>>(),
        Value::Path(path) => {
            errors.push(value.error(format!("`{key}` is a list: write `{key} = [{}]`", path.to_token_stream())));
            return Vec::new();
        }
        other => {
            errors.push(other.error(format!("`{key}` is a list of names, e.g. `{example}`")));
            return Vec::new();
        }
    };
    let mut paths = Vec::new();
    for item in items {
        match item {
            Value::Path(path) => paths.push(path.clone()),
            Value::Str(lit) => errors
                .push(item.error(format!("`{key}` lists names, not strings: write `{}` without quotes", lit.value()))),
            other => errors.push(other.error(format!("`{key}` lists names, e.g. `{example}`"))),
        }
    }
    paths
}
