//! `#[region(topics = [...])]` on an `impl` block with `fn model` and `fn view`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn region(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let region = ast::Region::parse(attr, item)?;
    let checked = validate::check(&region)?;
    Ok(expand::expand(&region, &checked))
}
