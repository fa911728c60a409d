//! `#[derive(Input)]`: read a command's input from signals, field by field, and validate it.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::args::Errors;

pub(crate) fn derive(item: TokenStream) -> syn::Result<TokenStream> {
    let item: DeriveInput = syn::parse2(item)?;
    let mut errors = Errors::default();
    let input = ast::Input::parse(&item, &mut errors);
    if let Some(input) = &input {
        validate::check(input, &mut errors);
    }
    errors.finish()?;
    let Some(input) = input else { unreachable!("an input without errors is parsed") };
    Ok(expand::expand(&input))
}

/// What a `#[derive(Input)]` with errors writes besides them: a stand-in `orion::Input` impl.
pub(crate) fn fallback(item: TokenStream) -> TokenStream {
    syn::parse2::<DeriveInput>(item).map(|item| expand::fallback(&item)).unwrap_or_default()
}
