//! `migrations!()`: every migration of the crate, found by `orion-sql-check`'s layout rule and
//! embedded in the binary in their global order.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

pub(crate) fn migrations(input: TokenStream) -> syn::Result<TokenStream> {
    let dir: Option<LitStr> = if input.is_empty() { None } else { Some(syn::parse2(input)?) };
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| syn::Error::new(Span::call_site(), "`migrations!` needs `CARGO_MANIFEST_DIR`: build with cargo"))?;
    let relative = dir.as_ref().map_or_else(|| "src".to_owned(), LitStr::value);
    let root = std::path::Path::new(&manifest_dir).join(&relative);
    let span = dir.as_ref().map_or_else(Span::call_site, LitStr::span);
    let files = orion_sql_check::discover(&root).map_err(|error| {
        syn::Error::new(span, format!("cannot collect the migrations under `{relative}`:\n{error}"))
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
