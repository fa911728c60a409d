//! The item an attribute is put on: an `impl` block or a function, or an error on the keyword of
//! whatever it is instead (`struct`, `enum`, …); and where in it rustc's own errors should land.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Item, ItemFn, ItemImpl};

/// The `impl` block the attribute is on; otherwise `message`, on the item's keyword.
pub(crate) fn impl_block(item: TokenStream, message: &str) -> syn::Result<ItemImpl> {
    match syn::parse2::<Item>(item)? {
        Item::Impl(item) => Ok(item),
        other => Err(keyword_error(&other, message)),
    }
}

/// The function the attribute is on; otherwise `message`, on the item's keyword.
pub(crate) fn function(item: TokenStream, message: &str) -> syn::Result<ItemFn> {
    match syn::parse2::<Item>(item)? {
        Item::Fn(item) => Ok(item),
        other => Err(keyword_error(&other, message)),
    }
}

/// The type of the `impl` block in `item` when it is the type's own, non-generic `impl` — the
/// only block a macro's fallback can give a stand-in trait impl for; `None` for anything else.
pub(crate) fn own_impl_type(item: &TokenStream) -> Option<Box<syn::Type>> {
    let block = syn::parse2::<ItemImpl>(item.clone()).ok()?;
    (block.trait_.is_none() && block.generics.params.is_empty()).then_some(block.self_ty)
}

fn keyword_error(item: &Item, message: &str) -> syn::Error {
    let keyword: Option<&dyn ToTokens> = match item {
        Item::Const(item) => Some(&item.const_token),
        Item::Enum(item) => Some(&item.enum_token),
        Item::Fn(item) => Some(&item.sig.fn_token),
        Item::Impl(item) => Some(&item.impl_token),
        Item::Mod(item) => Some(&item.mod_token),
        Item::Static(item) => Some(&item.static_token),
        Item::Struct(item) => Some(&item.struct_token),
        Item::Trait(item) => Some(&item.trait_token),
        Item::Type(item) => Some(&item.type_token),
        Item::Union(item) => Some(&item.union_token),
        Item::Use(item) => Some(&item.use_token),
        _ => None,
    };
    match keyword {
        Some(keyword) => syn::Error::new_spanned(keyword, message),
        None => syn::Error::new_spanned(item, message),
    }
}

/// The span of `node`'s first token. Generated code spanned there makes rustc report a type
/// mismatch on the user's own signature (a span cannot cover several tokens on stable).
pub(crate) fn first_span(node: &impl ToTokens) -> Span {
    node.to_token_stream().into_iter().next().map_or_else(Span::call_site, |token| token.span())
}
