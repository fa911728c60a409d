//! `#[region(topics = [...])]` on an `impl` block with `fn model` and `fn view`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

use crate::args::Errors;

pub(crate) fn region(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let region = ast::Region::parse(attr, item, &mut errors);
    let checked = region.as_ref().and_then(|region| validate::check(region, &mut errors));
    errors.finish()?;
    let (Some(region), Some(checked)) = (region, checked) else {
        unreachable!("a region without errors is parsed and checked")
    };
    Ok(expand::expand(&region, &checked))
}

pub(crate) use expand::fallback;
