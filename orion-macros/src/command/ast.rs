//! The parsed form of a `#[command]`.

use proc_macro2::TokenStream;
use syn::{Ident, ItemFn, LitStr};

use crate::args::{Args, Errors, Spec, Value};
use crate::item;
use crate::symbol::{FORM, METHOD};

pub(crate) struct Command {
    pub(crate) item: ItemFn,
    pub(crate) args: Args,
    pub(crate) path: Option<LitStr>,
    pub(crate) method: Option<(Ident, Value)>,
    pub(crate) form: Option<(Ident, Value)>,
}

const NOT_A_FN: &str = "`#[command]` goes on an `async fn`, \
     e.g. `#[command(\"/todos\")] async fn add(ctx: Ctx, input: NewTodo) -> orion::Result<Reply>`";

impl Command {
    /// The command, or `None` (with the error recorded) when the item is not a function.
    pub(crate) fn parse(attr: TokenStream, item: TokenStream, errors: &mut Errors) -> Option<Command> {
        let args = Args::parse(attr, &Spec { name: "command", path: true, known: &[METHOD, FORM] }, errors);
        let item = item::function(item, NOT_A_FN).map_err(|error| errors.push(error)).ok()?;
        let get = |key: &str| args.get(key).map(|(k, v)| (k.clone(), v.clone()));
        let (method, form) = (get(METHOD), get(FORM));
        Some(Command { item, path: args.positional.clone(), args, method, form })
    }
}
