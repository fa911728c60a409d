//! The checks of a `#[resource]`, all reported at once.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{LitStr, Path};

use super::ast::Resource;
use crate::args::{Errors, Value};
use crate::path;
use crate::symbol::{COMMANDS, REGIONS};

pub(crate) struct Checked {
    pub(crate) path: LitStr,
    pub(crate) regions: Vec<Path>,
    pub(crate) commands: Vec<Path>,
}

pub(crate) fn check(resource: &Resource) -> syn::Result<Checked> {
    let mut errors = Errors::default();
    let hint = "a resource's path is a string literal starting with `/`, e.g. `#[resource(\"/todos\")]`";
    let path = match &resource.args.positional {
        Some(lit) => {
            if let Err(error) = path::parse(lit) {
                errors.push(error);
            }
            lit.clone()
        }
        None => {
            let span = resource.args.pairs.first().map_or_else(Span::call_site, |(k, _)| k.span());
            errors.push(syn::Error::new(span, hint));
            LitStr::new("/", Span::call_site())
        }
    };
    let regions = paths(resource, REGIONS, "regions = [TodoList, Remaining]", &mut errors);
    let commands = paths(resource, COMMANDS, "commands = [add, toggle]", &mut errors);
    if !resource.has_page {
        errors.push(syn::Error::new(
            resource.item.self_ty.span(),
            "this resource has no `fn page(page: &Page) -> orion::Result<Document>`: add one that renders the page",
        ));
    }
    if resource.item.trait_.is_some() {
        errors.push(syn::Error::new(
            resource.item.self_ty.span(),
            "`#[resource]` goes on the type's own `impl` block, not a trait impl",
        ));
    }
    errors.finish()?;
    Ok(Checked { path, regions, commands })
}

fn paths(resource: &Resource, key: &str, example: &str, errors: &mut Errors) -> Vec<Path> {
    let Some((name, value)) = resource.args.get(key) else { return Vec::new() };
    let items = match value {
        Value::List(items) => items.iter().collect::<Vec<_>>(),
        _ => {
            errors.push(syn::Error::new(name.span(), format!("`{key}` is a list of names, e.g. `{example}`")));
            return Vec::new();
        }
    };
    let mut paths = Vec::new();
    for item in items {
        match item {
            Value::Path(path) => paths.push(path.clone()),
            other => errors.push(syn::Error::new(
                other.span(),
                format!("`{key}` lists names, not strings, e.g. `{example}`"),
            )),
        }
    }
    paths
}
