//! The code a `#[region]` writes: the `orion::Region` impl, delegating to the block's functions.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::ast::Region;
use super::validate::Checked;

pub(crate) fn expand(region: &Region, checked: &Checked) -> TokenStream {
    let item = &region.item;
    let self_ty = &item.self_ty;
    let Checked { id, topics, model_type, ctx_span, model_span, result_span } = checked;
    // Spanned on the user's signature, so that a wrong argument or return type is reported there.
    let ctx = quote_spanned!(*ctx_span=> ctx);
    let model = quote_spanned!(*model_span=> model);
    let read = quote_spanned!(*result_span=> <#self_ty>::model(#ctx));
    quote! {
        #item

        #[automatically_derived]
        impl ::orion::Region for #self_ty {
            type Model = #model_type;
            const ID: &'static str = #id;
            const TOPICS: &'static [&'static str] = &[#(#topics),*];

            fn model(ctx: &::orion::Ctx) -> ::orion::Result<Self::Model> {
                #read
            }

            fn view(model: &Self::Model) -> ::orion::Html {
                <#self_ty>::view(#model)
            }
        }
    }
}

/// What a `#[region]` with errors writes besides them: the block unchanged and, when it is the
/// type's own non-generic `impl`, a stand-in `orion::Region` impl, so that the resources and
/// pages using the region report nothing more.
pub(crate) fn fallback(item: TokenStream) -> TokenStream {
    let Some(self_ty) = crate::item::own_impl_type(&item) else {
        return item;
    };
    quote! {
        #item

        #[automatically_derived]
        impl ::orion::Region for #self_ty {
            type Model = ();
            const ID: &'static str = "";
            const TOPICS: &'static [&'static str] = &[];

            fn model(_: &::orion::Ctx) -> ::orion::Result<()> {
                ::core::unreachable!()
            }

            fn view(_: &()) -> ::orion::Html {
                ::core::unreachable!()
            }
        }
    }
}
