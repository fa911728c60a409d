//! The parsed form of a `#[region]`.

use proc_macro2::TokenStream;
use syn::{Ident, ImplItem, ImplItemFn, ItemImpl};

use crate::args::{Args, Errors, Spec, Value};
use crate::item;
use crate::symbol::{ID, MODEL_FN, TOPICS, VIEW_FN};

pub(crate) struct Region {
    pub(crate) item: ItemImpl,
    /// `None` when missing (or written wrongly, with the error reported: then `topics_meant`).
    pub(crate) topics: Option<(Ident, Value)>,
    pub(crate) topics_meant: bool,
    pub(crate) id: Option<Value>,
    pub(crate) model: Option<ImplItemFn>,
    pub(crate) view: Option<ImplItemFn>,
}

pub(crate) const NOT_AN_IMPL: &str = "`#[region]` goes on an `impl` block with `fn model` and `fn view`, \
     e.g. `#[region(topics = [\"todos\"])] impl TodoList { … }`";

impl Region {
    /// The region, or `None` (with the error recorded) when the item is not an `impl` block.
    pub(crate) fn parse(attr: TokenStream, item: TokenStream, errors: &mut Errors) -> Option<Region> {
        let args = Args::parse(attr, &Spec { name: "region", path: false, known: &[TOPICS, ID] }, errors);
        let item = item::impl_block(item, NOT_AN_IMPL).map_err(|error| errors.push(error)).ok()?;
        let topics = args.get(TOPICS).map(|(key, value)| (key.clone(), value.clone()));
        let id = args.get(ID).map(|(_, value)| value.clone());
        let find = |name: &str| {
            item.items.iter().find_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == name => Some(f.clone()),
                _ => None,
            })
        };
        let (model, view) = (find(MODEL_FN), find(VIEW_FN));
        let topics_meant = !args.missing(TOPICS);
        Some(Region { item, topics, topics_meant, id, model, view })
    }
}
