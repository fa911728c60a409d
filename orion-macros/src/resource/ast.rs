//! The parsed form of a `#[resource]`.

use proc_macro2::TokenStream;
use syn::{ImplItem, ImplItemFn, ItemImpl};

use crate::args::{Args, Errors, Spec};
use crate::item;
use crate::symbol::{COMMANDS, FRAGMENTS, PAGE_FN, REGIONS};

pub(crate) struct Resource {
    pub(crate) item: ItemImpl,
    pub(crate) args: Args,
    pub(crate) page: Option<ImplItemFn>,
}

const NOT_AN_IMPL: &str = "`#[resource]` goes on an `impl` block with `fn page`, \
     e.g. `#[resource(\"/todos\")] impl Todos { fn page(page: &Page) -> orion::Result<Document> { … } }`";

impl Resource {
    /// The resource, or `None` (with the error recorded) when the item is not an `impl` block.
    pub(crate) fn parse(attr: TokenStream, item: TokenStream, errors: &mut Errors) -> Option<Resource> {
        let args =
            Args::parse(attr, &Spec { name: "resource", path: true, known: &[REGIONS, COMMANDS, FRAGMENTS] }, errors);
        let item = item::impl_block(item, NOT_AN_IMPL).map_err(|error| errors.push(error)).ok()?;
        let page = item.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == PAGE_FN => Some(f.clone()),
            _ => None,
        });
        Some(Resource { item, args, page })
    }
}
