//! `#[resource("/path", regions = [...], commands = [...])]` on an `impl` block with `fn page`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn resource(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let resource = ast::Resource::parse(attr, item)?;
    let checked = validate::check(&resource)?;
    Ok(expand::expand(&resource, &checked))
}
