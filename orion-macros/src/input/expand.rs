//! The code a `#[derive(Input)]` writes: `orion::Input::from_signals`, calling the rules of
//! `orion::input::rules` field by field.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::ast::{Field, Input, Rule};
use crate::item::first_span;

pub(crate) fn expand(input: &Input) -> TokenStream {
    let ident = &input.ident;
    let signals: Vec<&String> = input.fields.iter().map(|f| &f.signal).collect();
    let reads = input.fields.iter().map(read);
    let vars: Vec<_> = input.fields.iter().map(|f| format_ident!("__{}", f.ident)).collect();
    let names: Vec<_> = input.fields.iter().map(|f| &f.ident).collect();
    quote! {
        #[automatically_derived]
        impl ::orion::Input for #ident {
            const FIELDS: &'static [&'static str] = &[#(#signals),*];

            fn from_signals(
                signals: &::orion::datastar::Signals,
            ) -> ::core::result::Result<Self, ::orion::input::FieldErrors> {
                let mut errors = ::orion::input::FieldErrors::new();
                #(#reads)*
                match (#(#vars,)*) {
                    (#(::core::option::Option::Some(#vars),)*) if errors.is_empty() => {
                        ::core::result::Result::Ok(#ident { #(#names: #vars),* })
                    }
                    _ => ::core::result::Result::Err(errors),
                }
            }
        }
    }
}

fn read(field: &Field) -> TokenStream {
    let var = format_ident!("__{}", field.ident);
    let ty = &field.ty;
    let signal = &field.signal;
    // Trimming comes first, whatever the order written: the other rules see the trimmed text.
    let trims = field.rules.iter().filter(|r| matches!(r, Rule::Trim(_)));
    let others = field.rules.iter().filter(|r| !matches!(r, Rule::Trim(_)));
    let rules = trims.chain(others).map(|rule| apply(rule, field));
    // Rules apply to the value itself, or to what an `Option` holds when it holds something.
    let body = match &field.optional {
        None => quote! { { let value = &mut value; #(#rules)* } },
        Some(_) => {
            quote! { if let ::core::option::Option::Some(value) = value.as_mut() { #(#rules)* } }
        }
    };
    let read = quote_spanned! {first_span(ty)=>
        ::orion::input::rules::field::<#ty>(signals, #signal, &mut errors)
    };
    quote! {
        let #var = #read.map(|mut value| {
            #body
            value
        });
    }
}

fn apply(rule: &Rule, field: &Field) -> TokenStream {
    let signal = &field.signal;
    // Each bound is typed (a length is a `usize`, a range bound has the field's type), so a bound
    // of the wrong type is reported on the bound itself.
    let bound = |value: &Option<syn::Expr>, ty: TokenStream| match value {
        Some(value) => quote_spanned! {first_span(value)=>
            ::core::option::Option::Some({ let bound: #ty = #value; bound })
        },
        None => quote!(::core::option::Option::None),
    };
    let value_ty = field.optional.as_ref().unwrap_or(&field.ty);
    match rule {
        Rule::Trim(span) => quote_spanned! {*span=> ::orion::input::rules::trim(value); },
        Rule::Required(span) => {
            quote_spanned! {*span=> ::orion::input::rules::required(#signal, &*value, &mut errors); }
        }
        Rule::Length { span, min, max } => {
            let (min, max) = (bound(min, quote!(usize)), bound(max, quote!(usize)));
            quote_spanned! {*span=> ::orion::input::rules::length(#signal, &*value, #min, #max, &mut errors); }
        }
        Rule::Range { span, min, max } => {
            let (min, max) = (bound(min, quote!(#value_ty)), bound(max, quote!(#value_ty)));
            quote_spanned! {*span=> ::orion::input::rules::range(#signal, &*value, #min, #max, &mut errors); }
        }
        // Called through a closure, so that a rule taking `&str` accepts a `String` field.
        Rule::Custom(path) => {
            quote_spanned! {first_span(path)=>
                ::orion::input::rules::custom(#signal, &*value, |value| #path(value), &mut errors);
            }
        }
    }
}

/// What a `#[derive(Input)]` with errors writes besides them: a stand-in `orion::Input` impl, so
/// that the commands taking the input report nothing more.
pub(crate) fn fallback(item: &syn::DeriveInput) -> TokenStream {
    let ident = &item.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::orion::Input for #ident #ty_generics #where_clause {
            const FIELDS: &'static [&'static str] = &[];

            fn from_signals(
                _: &::orion::datastar::Signals,
            ) -> ::core::result::Result<Self, ::orion::input::FieldErrors> {
                ::core::unreachable!()
            }
        }
    }
}
