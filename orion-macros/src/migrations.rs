//! `migrations!()`: every migration of the crate, found by `orion-sql-check`'s layout rule and
//! embedded in the binary in their global order.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

use crate::args::Errors;

const USAGE: &str = "`migrations!` takes the folder to search, relative to the crate's `Cargo.toml`, \
     as a string literal: `migrations!(\"src\")`, or `migrations!()` for `src`";

pub(crate) fn migrations(input: TokenStream) -> syn::Result<TokenStream> {
    let dir: Option<LitStr> = if input.is_empty() {
        None
    } else {
        Some(syn::parse2(input.clone()).map_err(|_| syn::Error::new_spanned(&input, USAGE))?)
    };
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| {
        syn::Error::new(Span::call_site(), "`migrations!` needs `CARGO_MANIFEST_DIR`: build with cargo")
    })?;
    let relative = dir.as_ref().map_or_else(|| "src".to_owned(), LitStr::value);
    let root = std::path::Path::new(&manifest_dir).join(&relative);
    let span = dir.as_ref().map_or_else(Span::call_site, LitStr::span);
    if !root.is_dir() {
        return Err(syn::Error::new(span, format!("`{relative}` is not a folder of this crate: {USAGE}")));
    }
    let files = orion_sql_check::discover(&root).map_err(|error| {
        // One error per problem, each naming its file relative to the crate, as the user wrote it.
        let root = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
        let shown = format!("{}/", relative.trim_end_matches('/'));
        let mut errors = Errors::default();
        for problem in error.problems() {
            errors.push(syn::Error::new(span, problem.to_string().replace(&root, &shown)));
        }
        errors.finish().err().unwrap_or_else(|| syn::Error::new(span, error.to_string()))
    })?;
    let entries = files.iter().map(|file| {
        let name = &file.name;
        let path = file.path.to_string_lossy();
        quote! { ::orion::store::Migration { name: #name, sql: ::core::include_str!(#path) } }
    });
    Ok(quote! {
        {
            const MIGRATIONS: &[::orion::store::Migration] = &[#(#entries),*];
            MIGRATIONS
        }
    })
}

/// What `migrations!` with errors writes: a block holding the errors (one per problem, so they
/// must sit in statement position) and ending in an empty list, so that the code using the list
/// reports nothing more.
pub(crate) fn fallback(error: syn::Error) -> TokenStream {
    let errors = error.into_compile_error();
    quote! {
        {
            #errors
            let migrations: &[::orion::store::Migration] = &[];
            migrations
        }
    }
}
