//! `#[derive(Input)]`: read a command's input from signals, field by field, and validate it.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn derive(item: TokenStream) -> syn::Result<TokenStream> {
    let input = ast::Input::parse(item)?;
    validate::check(&input)?;
    Ok(expand::expand(&input))
}
