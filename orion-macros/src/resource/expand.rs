//! The code a `#[resource]` writes: the `orion::Resource` impl.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Resource;
use super::validate::Checked;

pub(crate) fn expand(resource: &Resource, checked: &Checked) -> TokenStream {
    let item = &resource.item;
    let self_ty = &item.self_ty;
    let Checked { path, regions, commands } = checked;
    let regions = regions.iter().map(|region| {
        quote_spanned! {region.span()=> ::orion::region::RegionDef::of::<#region>() }
    });
    let commands = commands.iter().map(|command| {
        quote_spanned! {command.span()=> <#command as ::orion::Command>::route() }
    });
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
                <#self_ty>::page(page)
            }
        }
    }
}
