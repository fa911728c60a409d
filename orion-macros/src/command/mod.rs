//! `#[command("/path/{param}")]` on an `async fn(ctx, params…, input)`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

use crate::args::Errors;

pub(crate) fn command(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let command = ast::Command::parse(attr, item, &mut errors);
    let checked = command.as_ref().map(|command| validate::check(command, &mut errors));
    errors.finish()?;
    let (Some(command), Some(checked)) = (command, checked) else {
        unreachable!("a command without errors is parsed and checked")
    };
    Ok(expand::expand(&command, &checked))
}
