//! The parsed form of a `#[command]`.

use proc_macro2::TokenStream;
use syn::{Ident, ItemFn, LitStr};

use crate::args::{Args, Errors, Spec, Value};
use crate::item;
use crate::symbol::{FORM, METHOD, MODE, SELECTOR};

/// A command writes and answers its requester; a fragment is a read that renders once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[command]`: an `async fn` answering `orion::Result<Reply>`.
    Command,
    /// `#[fragment]`: a synchronous `fn` answering `orion::Result<Html>`, routed as `GET`.
    Fragment,
}

impl Kind {
    /// The attribute's name: `command` or `fragment`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Fragment => "fragment",
        }
    }
}

pub(crate) struct Command {
    pub(crate) kind: Kind,
    pub(crate) item: ItemFn,
    pub(crate) args: Args,
    pub(crate) path: Option<LitStr>,
    pub(crate) method: Option<(Ident, Value)>,
    pub(crate) form: Option<(Ident, Value)>,
    pub(crate) selector: Option<(Ident, Value)>,
    pub(crate) mode: Option<(Ident, Value)>,
}

impl Command {
    /// The command, or `None` (with the error recorded) when the item is not a function.
    pub(crate) fn parse(attr: TokenStream, item: TokenStream, kind: Kind, errors: &mut Errors) -> Option<Command> {
        let (known, not_a_fn): (&[&str], &str) = match kind {
            Kind::Command => (
                &[METHOD, FORM],
                "`#[command]` goes on an `async fn`, \
                 e.g. `#[command(\"/todos\")] async fn add(ctx: Ctx, input: NewTodo) -> orion::Result<Reply>`",
            ),
            Kind::Fragment => (
                &[SELECTOR, MODE, FORM],
                "`#[fragment]` goes on a `fn`, \
                 e.g. `#[fragment(\"/todos/{id}/details\")] fn details(ctx: &Ctx, id: i64) -> orion::Result<Html>`",
            ),
        };
        let args = Args::parse(attr, &Spec { name: kind.name(), path: true, known }, errors);
        let item = item::function(item, not_a_fn).map_err(|error| errors.push(error)).ok()?;
        let get = |key: &str| args.get(key).map(|(k, v)| (k.clone(), v.clone()));
        let (method, form, selector, mode) = (get(METHOD), get(FORM), get(SELECTOR), get(MODE));
        Some(Command { kind, item, path: args.positional.clone(), args, method, form, selector, mode })
    }
}
