//! The code a `#[derive(Input)]` writes: `orion::Input::from_signals`, calling the rules of
//! `orion::input::rules` field by field.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Field, Input, Rule};

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
    let rules = trims.chain(others).map(|rule| apply(rule, signal));
    // Rules apply to the value itself, or to what an `Option` holds when it holds something.
    let body = match &field.optional {
        None => quote! { { let value = &mut value; #(#rules)* } },
        Some(_) => quote! { if let ::core::option::Option::Some(value) = value.as_mut() { #(#rules)* } },
    };
    let read = quote_spanned! {ty.span()=>
        ::orion::input::rules::field::<#ty>(signals, #signal, &mut errors)
    };
    quote! {
        let #var = #read.map(|mut value| {
            #body
            value
        });
    }
}

fn apply(rule: &Rule, signal: &str) -> TokenStream {
    let bound = |value: &Option<syn::Expr>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    match rule {
        Rule::Trim(span) => quote_spanned! {*span=> ::orion::input::rules::trim(value); },
        Rule::Required(span) => quote_spanned! {*span=> ::orion::input::rules::required(#signal, &*value, &mut errors); },
        Rule::Length { span, min, max } => {
            let (min, max) = (bound(min), bound(max));
            quote_spanned! {*span=> ::orion::input::rules::length(#signal, &*value, #min, #max, &mut errors); }
        }
        Rule::Range { span, min, max } => {
            let (min, max) = (bound(min), bound(max));
            quote_spanned! {*span=> ::orion::input::rules::range(#signal, &*value, #min, #max, &mut errors); }
        }
        Rule::Custom(path) => {
            quote_spanned! {path.span()=> ::orion::input::rules::custom(#signal, &*value, #path, &mut errors); }
        }
    }
}
