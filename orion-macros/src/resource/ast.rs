//! The parsed form of a `#[resource]`.

use proc_macro2::TokenStream;
use syn::{ImplItem, ItemImpl};

use crate::args::Args;
use crate::symbol::{COMMANDS, PAGE_FN, REGIONS};

pub(crate) struct Resource {
    pub(crate) item: ItemImpl,
    pub(crate) args: Args,
    pub(crate) has_page: bool,
}

impl Resource {
    pub(crate) fn parse(attr: TokenStream, item: TokenStream) -> syn::Result<Resource> {
        let item: ItemImpl = syn::parse2(item).map_err(|error| {
            syn::Error::new(
                error.span(),
                "`#[resource]` goes on an `impl` block with `fn page`, e.g. `#[resource(\"/todos\")] impl Todos { fn page(page: &Page) -> orion::Result<Document> { … } }`",
            )
        })?;
        let args = Args::parse(attr, &[REGIONS, COMMANDS])?;
        let has_page = item.items.iter().any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == PAGE_FN));
        Ok(Resource { item, args, has_page })
    }
}
