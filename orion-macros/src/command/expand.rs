//! The code a `#[command]` writes: a handle type named like the function, its `orion::Command`
//! impl, and URL helpers for views.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Command;
use super::validate::{Arg, Checked};

pub(crate) fn expand(command: &Command, checked: &Checked) -> TokenStream {
    let item = &command.item;
    let vis = &item.vis;
    let name = &item.sig.ident;
    let Checked { path, pattern, method, method_name, form, args } = checked;

    let mut reads = Vec::new();
    let mut call = Vec::new();
    let mut checks = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let var = format_ident!("__arg{}", i);
        match arg {
            Arg::Ctx => call.push(quote!(request.ctx())),
            Arg::Param { name, ty } => {
                let key = name.to_string();
                reads.push(quote! { let #var: #ty = request.param(#key)?; });
                call.push(quote!(#var));
            }
            Arg::Input { ty } => {
                checks.push(quote_spanned! {ty.span()=>
                    ::orion::__private::assert_input::<#ty>();
                });
                reads.push(quote! {
                    let #var: #ty = match request.input::<#ty>()? {
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

    let params: Vec<_> = pattern.params.iter().map(|p| format_ident!("{}", p)).collect();
    let url_format = pattern.url_format();
    let doc = format!("The handle of command `{name}`: `{} {}`.", method_name.to_uppercase(), path.value());

    quote! {
        #item

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        #[allow(dead_code)]
        impl #name {
            /// The command's path pattern.
            pub const PATH: &'static str = #path;

            /// The command's URL, relative to the app's base.
            pub fn url(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                ::std::format!(#url_format, #(::orion::__private::encode(&#params.to_string())),*)
            }

            /// The Datastar action that runs the command: `@post('…')`.
            pub fn action(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                ::orion::html::action(#method_name, &Self::url(#(#params),*))
            }

            /// The id of the command's form (where its field errors appear).
            pub fn form(#(#params: impl ::core::fmt::Display),*) -> ::std::string::String {
                let mut form = ::std::string::String::from(#form);
                #( form = form.replace(::std::concat!("{", ::std::stringify!(#params), "}"), &#params.to_string()); )*
                form
            }
        }

        const _: () = {
            #[allow(dead_code)]
            fn __orion_checks() {
                #(#checks)*
            }
        };

        #[automatically_derived]
        impl ::orion::Command for #name {
            fn route() -> ::orion::command::CommandRoute {
                ::orion::command::CommandRoute::new(
                    ::orion::__private::Method::#method,
                    #path,
                    |request: ::orion::command::CommandRequest| async move {
                        #(#reads)*
                        #name(#(#call),*).await
                    },
                )
            }
        }
    }
}
