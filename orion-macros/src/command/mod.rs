//! `#[command("/path/{param}")]` on an `async fn(ctx, params…, input)`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn command(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let command = ast::Command::parse(attr, item)?;
    let checked = validate::check(&command)?;
    Ok(expand::expand(&command, &checked))
}
