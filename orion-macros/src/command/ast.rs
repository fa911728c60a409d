//! The parsed form of a `#[command]`.

use proc_macro2::{Span, TokenStream};
use syn::{ItemFn, LitStr};

use crate::args::{Args, Value};
use crate::symbol::{FORM, METHOD};

pub(crate) struct Command {
    pub(crate) item: ItemFn,
    pub(crate) path: Option<LitStr>,
    pub(crate) method: Option<(Span, Value)>,
    pub(crate) form: Option<(Span, Value)>,
}

impl Command {
    pub(crate) fn parse(attr: TokenStream, item: TokenStream) -> syn::Result<Command> {
        let item: ItemFn = syn::parse2(item).map_err(|error| {
            syn::Error::new(
                error.span(),
                "`#[command]` goes on an `async fn`, e.g. `#[command(\"/todos\")] async fn add(ctx: Ctx, input: NewTodo) -> orion::Result<Reply>`",
            )
        })?;
        let mut args = Args::parse(attr, &[METHOD, FORM])?;
        let take = |args: &mut Args, key: &str| {
            let index = args.pairs.iter().position(|(k, _)| k == key)?;
            let (k, v) = args.pairs.remove(index);
            Some((k.span(), v))
        };
        let method = take(&mut args, METHOD);
        let form = take(&mut args, FORM);
        Ok(Command { item, path: args.positional, method, form })
    }
}
