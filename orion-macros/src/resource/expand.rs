//! The code a `#[resource]` writes: the `orion::Resource` impl.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::ast::Resource;
use super::validate::Checked;
use crate::item::first_span;

pub(crate) fn expand(resource: &Resource, checked: &Checked) -> TokenStream {
    let item = &resource.item;
    let self_ty = &item.self_ty;
    let Checked { path, regions, commands, fragments, page_span, output_span } = checked;
    // Spanned on the listed names, so that a name that is not a region or a command is reported
    // there; the page call is spanned on `page`'s signature for the same reason.
    let regions = regions.iter().map(|region| {
        quote_spanned! {first_span(region)=> ::orion::region::RegionDef::of::<#region>() }
    });
    let commands = commands
        .iter()
        .map(|command| quote_spanned! {first_span(command)=> <#command as ::orion::Command>::route() })
        .chain(fragments.iter().map(|fragment| {
            quote_spanned! {first_span(fragment)=> <#fragment as ::orion::command::Fragment>::route() }
        }));
    let page = quote_spanned!(*page_span=> page);
    let render = quote_spanned!(*output_span=> <#self_ty>::page(#page));
    quote! {
        #item

        #[automatically_derived]
        impl ::orion::Resource for #self_ty {
            const PATH: &'static str = #path;

            fn regions() -> ::std::vec::Vec<::orion::region::RegionDef> {
                ::std::vec![#(#regions),*]
            }

            fn commands() -> ::std::vec::Vec<::orion::command::CommandRoute> {
                ::std::vec![#(#commands),*]
            }

            fn page(page: &::orion::Page) -> ::orion::Result<::orion::Document> {
                #render
            }
        }
    }
}

/// What a `#[resource]` with errors writes besides them: the block unchanged and, when it is the
/// type's own non-generic `impl`, a stand-in `orion::Resource` impl, so that the routes adding
/// the resource report nothing more.
pub(crate) fn fallback(item: TokenStream) -> TokenStream {
    let Some(self_ty) = crate::item::own_impl_type(&item) else {
        return item;
    };
    quote! {
        #item

        #[automatically_derived]
        impl ::orion::Resource for #self_ty {
            const PATH: &'static str = "/";

            fn regions() -> ::std::vec::Vec<::orion::region::RegionDef> {
                ::core::unreachable!()
            }

            fn commands() -> ::std::vec::Vec<::orion::command::CommandRoute> {
                ::core::unreachable!()
            }

            fn page(_: &::orion::Page) -> ::orion::Result<::orion::Document> {
                ::core::unreachable!()
            }
        }
    }
}
