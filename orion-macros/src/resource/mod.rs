//! `#[resource("/path", regions = [...], commands = [...], fragments = [...])]` on an `impl` block
//! with `fn page`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

use crate::args::Errors;

pub(crate) fn resource(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let resource = ast::Resource::parse(attr, item, &mut errors);
    let checked = resource.as_ref().and_then(|resource| validate::check(resource, &mut errors));
    errors.finish()?;
    let (Some(resource), Some(checked)) = (resource, checked) else {
        unreachable!("a resource without errors is parsed and checked")
    };
    Ok(expand::expand(&resource, &checked))
}

pub(crate) use expand::fallback;
