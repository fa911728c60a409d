//! The code a `#[region]` writes: the `orion::Region` impl, delegating to the block's functions.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Region;
use super::validate::Checked;

pub(crate) fn expand(region: &Region, checked: &Checked) -> TokenStream {
    let item = &region.item;
    let self_ty = &item.self_ty;
    let Checked { id, topics, model_type } = checked;
    quote! {
        #item

        #[automatically_derived]
        impl ::orion::Region for #self_ty {
            type Model = #model_type;
            const ID: &'static str = #id;
            const TOPICS: &'static [&'static str] = &[#(#topics),*];

            fn model(ctx: &::orion::Ctx) -> ::orion::Result<Self::Model> {
                <#self_ty>::model(ctx)
            }

            fn view(model: &Self::Model) -> ::orion::Html {
                <#self_ty>::view(model)
            }
        }
    }
}
