//! The parsed form of a `#[region]`.

use proc_macro2::TokenStream;
use syn::{ImplItem, ImplItemFn, ItemImpl, LitStr};

use crate::args::{Args, Value};
use crate::symbol::{ID, MODEL_FN, TOPICS, VIEW_FN};

pub(crate) struct Region {
    pub(crate) item: ItemImpl,
    pub(crate) topics: Option<Value>,
    pub(crate) id: Option<LitStr>,
    pub(crate) model: Option<ImplItemFn>,
    pub(crate) view: Option<ImplItemFn>,
}

impl Region {
    pub(crate) fn parse(attr: TokenStream, item: TokenStream) -> syn::Result<Region> {
        let item: ItemImpl = syn::parse2(item).map_err(|error| {
            syn::Error::new(
                error.span(),
                "`#[region]` goes on an `impl` block with `fn model` and `fn view`, \
                 e.g. `#[region(topics = [\"todos\"])] impl TodoList { … }`",
            )
        })?;
        let args = Args::parse(attr, &[TOPICS, ID])?;
        let topics = args.get(TOPICS).map(|(_, value)| clone_value(value));
        let id = match args.get(ID) {
            Some((_, Value::Str(lit))) => Some(lit.clone()),
            Some((key, _)) => return Err(syn::Error::new(key.span(), "`id` is a string literal, e.g. `id = \"todo-list\"`")),
            None => None,
        };
        let find = |name: &str| {
            item.items.iter().find_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == name => Some(f.clone()),
                _ => None,
            })
        };
        let (model, view) = (find(MODEL_FN), find(VIEW_FN));
        Ok(Region { item, topics, id, model, view })
    }
}

fn clone_value(value: &Value) -> Value {
    match value {
        Value::Str(lit) => Value::Str(lit.clone()),
        Value::Path(path) => Value::Path(path.clone()),
        Value::List(items) => Value::List(items.iter().map(clone_value).collect()),
    }
}
