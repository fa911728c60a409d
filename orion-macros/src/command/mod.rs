//! `#[command("/path/{param}")]` on an `async fn(ctx, params…, input)`, and its read-only
//! sibling `#[fragment("/path/{param}")]` on a `fn(ctx, params…) -> Result<Html>`.

mod ast;
mod expand;
mod validate;

use proc_macro2::TokenStream;

use crate::args::Errors;

pub(crate) use ast::Kind;

pub(crate) fn command(attr: TokenStream, item: TokenStream, kind: Kind) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let command = ast::Command::parse(attr, item, kind, &mut errors);
    let checked = command.as_ref().map(|command| validate::check(command, &mut errors));
    errors.finish()?;
    let (Some(command), Some(checked)) = (command, checked) else {
        unreachable!("a command without errors is parsed and checked")
    };
    Ok(expand::expand(&command, &checked))
}
