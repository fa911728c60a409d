//! The code a `#[command]` writes: a handle type named like the function, its `orion::Command`
//! impl, and URL helpers for views.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::ast::{Command, Kind};
use super::validate::{Arg, Checked};
use crate::item::first_span;

pub(crate) fn expand(command: &Command, checked: &Checked) -> TokenStream {
    let item = &command.item;
    let vis = &item.vis;
    let name = &item.sig.ident;
    let Checked { path, pattern, method, method_name, form, args, output_span, selector, mode } = checked;

    // Each read and each argument is spanned on the user's type, so that rustc's own errors (an
    // input that is not `orion::Input`, a parameter that does not parse) land on the signature.
    let mut reads = Vec::new();
    let mut call = Vec::new();
    let mut checks = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let var = format_ident!("__arg{}", i);
        match arg {
            Arg::Ctx { span, by_ref: false } => call.push(quote_spanned!(*span=> request.ctx())),
            Arg::Ctx { span, by_ref: true } => call.push(quote_spanned!(*span=> &request.ctx())),
            Arg::Param { name, ty } => {
                let key = name.to_string();
                let read = quote_spanned!(first_span(ty)=> request.param::<#ty>(#key));
                reads.push(quote! { let #var: #ty = #read?; });
                call.push(quote!(#var));
            }
            Arg::Input { ty } => {
                let span = first_span(ty);
                checks.push(quote_spanned! {span=>
                    ::orion::__private::assert_input::<#ty>();
                });
                let read = quote_spanned!(span=> request.input::<#ty>());
                reads.push(quote! {
                    let #var: #ty = match #read? {
                        ::core::result::Result::Ok(input) => input,
                        ::core::result::Result::Err(errors) => {
                            let form = ::orion::__private::fill(#form, &request.ctx());
                            return ::core::result::Result::Ok(::orion::Reply::field_errors(
                                &form,
                                <#ty as ::orion::Input>::FIELDS,
                                &errors,
                            ));
                        }
                    };
                });
                call.push(quote!(#var));
            }
        }
    }
    // The whole call is spanned on the return type, so a wrong one is reported there.
    let mut callee = name.clone();
    callee.set_span(*output_span);
    let run = match command.kind {
        Kind::Command => quote_spanned!(*output_span=> #callee(#(#call),*).await),
        Kind::Fragment => {
            let selector = match selector {
                Some(selector) => quote!(::core::option::Option::Some(#selector)),
                None => quote!(::core::option::Option::None),
            };
            let mode = mode.as_ref().map_or_else(|| "outer".to_owned(), |mode| mode.value());
            let rendered = quote_spanned!(*output_span=> #callee(#(#call),*));
            quote! {{
                let html: ::orion::Result<::orion::Html> = #rendered;
                html.map(|html| ::orion::Reply::fragment(html, #selector, #mode))
            }}
        }
    };
    let (what, trait_path) = match command.kind {
        Kind::Command => ("command", quote!(::orion::Command)),
        Kind::Fragment => ("fragment", quote!(::orion::command::Fragment)),
    };

    let params: Vec<_> = pattern.params.iter().map(|p| format_ident!("{}", p)).collect();
    let url_format = pattern.url_format();
    let doc = format!("The handle of {what} `{name}`: `{} {}`.", method_name.to_uppercase(), path.value());

    quote! {
        #item

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        #[allow(dead_code)]
        impl #name {
            /// The path pattern.
            pub const PATH: &'static str = #path;

            /// The URL, relative to the app's base.
            pub fn url(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                ::std::format!(#url_format, #(::orion::__private::encode(&#params.to_string())),*)
            }

            /// The Datastar action that calls it: `@post('…')`, `@get('…')`.
            pub fn action(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                ::orion::html::action(#method_name, &Self::url(#(#params),*))
            }

            /// The id of its form (where its field errors appear).
            pub fn form(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                let mut form = ::std::string::String::from(#form);
                #( form = form.replace(::std::concat!("{", ::std::stringify!(#params), "}"), &#params.to_string()); )*
                form
            }
        }

        #[automatically_derived]
        impl #trait_path for #name {
            fn route() -> ::orion::command::CommandRoute {
                // In the same body as the reads, so rustc reports a missing impl once.
                #(#checks)*
                ::orion::command::CommandRoute::new(
                    ::orion::__private::Method::#method,
                    #path,
                    |request: ::orion::command::CommandRequest| async move {
                        #(#reads)*
                        let reply: ::orion::Result<::orion::Reply> = #run;
                        reply
                    },
                )
            }
        }
    }
}
