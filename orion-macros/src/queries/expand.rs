//! The code a `queries!` block writes: one function per query (and a row struct where asked),
//! a module of helpers per `table`, and the `include_bytes!` of every migration that makes
//! Cargo rebuild the crate when one is edited. Each function holds `__private::proven()`
//! while it runs: its query was proven (or opted out) here, so the runtime's dev-mode
//! tenancy oracle lets it through.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::ast::Cardinality;
use super::validate::{Build, CheckedBlock, Generated, Handle, Output, Query, Returned};

pub(crate) fn expand(checked: &CheckedBlock) -> TokenStream {
    let mut tokens = TokenStream::new();
    for item in &checked.items {
        tokens.extend(match item {
            Output::Query(query) => {
                let row = query.generated.as_ref().map(row_struct);
                let function = function(query);
                quote! { #row #function }
            }
            Output::Table { attrs, vis, name, row, queries } => {
                let row = row.as_ref().map(row_struct);
                let functions = queries.iter().map(function);
                let doc = format!(
                    "The helpers of table `{name}`: `all`, `get`, `insert`, `update` and `delete`, each written and \
                     checked by `orion::queries!`."
                );
                quote! {
                    #row
                    #(#attrs)*
                    #[doc = #doc]
                    #vis mod #name {
                        #[allow(unused_imports)]
                        use super::*;
                        #(#functions)*
                    }
                }
            }
            Output::Fallback { attrs, vis, name, params, returns } => {
                let params = params.iter().map(|_| quote!(_: impl ::core::marker::Sized));
                quote! {
                    #(#attrs)*
                    #[allow(unused_variables, clippy::all)]
                    #vis fn #name<D: ?::core::marker::Sized>(_: &D, #(#params),*) -> ::orion::Result<#returns> {
                        ::core::unimplemented!()
                    }
                }
            }
        });
    }
    let paths = checked.migrations.iter().map(|path| path.to_string_lossy().into_owned());
    tokens.extend(quote! {
        // Every migration is an input of the crate: editing one rebuilds it and checks the
        // queries again. (A new migration is noticed by the crate's `build.rs`.)
        const _: &[&[u8]] = &[#(::core::include_bytes!(#paths)),*];
    });
    tokens
}

fn function(query: &Query) -> TokenStream {
    let Query { attrs, vis, name, sql, span, handle, params, returns, unscoped, .. } = query;
    let span = *span;
    let (arg, handle_ty) = match handle {
        Handle::Read => (quote!(db), quote!(&impl ::orion::store::Sql)),
        Handle::Write => (quote!(tx), quote!(&::orion::store::Tx<'_>)),
        Handle::TenantRead => (quote!(db), quote!(&impl ::orion::tenant::TenantSql)),
        Handle::TenantWrite => (quote!(tx), quote!(&::orion::tenant::TenantTx<'_>)),
    };
    let idents: Vec<_> = params.iter().map(|p| &p.ident).collect();
    let types: Vec<_> = params.iter().map(|p| &p.ty).collect();
    let sql_names: Vec<_> = params.iter().map(|p| &p.sql_name).collect();
    let bind = quote! {
        let params: &[(&str, &dyn ::orion::store::ToSql)] = &[#((#sql_names, &#idents as &dyn ::orion::store::ToSql)),*];
    };
    let (output, body) = match returns {
        Returned::Count => (quote!(usize), quote! { #bind #arg.execute(SQL, params) }),
        Returned::Rows { cardinality, row } => {
            let row_ty = &row.ty;
            let reads = row.columns.iter().enumerate().map(|(i, column)| {
                let ty = &column.ty;
                quote_spanned!(span=> row.get::<_, #ty>(#i)?)
            });
            let build = match &row.build {
                Build::Struct(path, checked) => {
                    let fields = row.columns.iter().map(|c| {
                        let mut field = c.field.clone();
                        field.set_span(span);
                        field
                    });
                    // The user's struct: each field must have the column's type, or rustc says
                    // so (`Column`'s own message) on the query.
                    let values: Vec<TokenStream> = if *checked {
                        reads
                            .zip(&row.columns)
                            .map(|(read, column)| {
                                let ty = &column.ty;
                                quote_spanned!(span=> <_ as ::orion::__private::Column<#ty>>::column(#read))
                            })
                            .collect()
                    } else {
                        reads.collect()
                    };
                    quote_spanned!(span=> #path { #(#fields: #values),* })
                }
                Build::Scalar => quote!(#(#reads)*),
                Build::Tuple => quote!((#(#reads,)*)),
            };
            let query_many = call(*handle, &arg, false);
            let query_one = call(*handle, &arg, true);
            let (output, finish) = match cardinality {
                Cardinality::Many => (
                    quote!(::std::vec::Vec<#row_ty>),
                    quote! {
                        let rows: ::std::vec::Vec<Read> = #query_many?;
                        ::core::result::Result::Ok(rows.into_iter().map(|Read(row)| row).collect())
                    },
                ),
                Cardinality::Optional => (
                    quote!(::core::option::Option<#row_ty>),
                    quote! {
                        let row: ::core::option::Option<Read> = #query_one?;
                        ::core::result::Result::Ok(row.map(|Read(row)| row))
                    },
                ),
                Cardinality::One => {
                    let name = name.to_string();
                    (
                        row_ty.clone(),
                        quote! {
                            let row: ::core::option::Option<Read> = #query_one?;
                            row.map(|Read(row)| row).ok_or_else(|| ::orion::__private::no_row(#name))
                        },
                    )
                }
            };
            let body = quote! {
                struct Read(#row_ty);
                #[automatically_derived]
                impl ::orion::store::FromRow for Read {
                    fn from_row(row: &::orion::store::Row<'_>) -> ::orion::store::rusqlite::Result<Read> {
                        ::core::result::Result::Ok(Read(#build))
                    }
                }
                #bind
                #finish
            };
            (output, body)
        }
    };
    let mut docs = vec![String::new(), "```sql".to_owned()];
    docs.extend(dedent(sql));
    docs.push("```".to_owned());
    if let Some(reason) = unscoped {
        docs.push(String::new());
        docs.push(format!("Not checked for tenancy (`#[unscoped]`): {reason}"));
    }
    // A doc comment line starting with a space reads as rustdoc's own.
    let docs = docs.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    let name = name.clone();
    quote! {
        #(#attrs)*
        #(#[doc = #docs])*
        #vis fn #name(#arg: #handle_ty, #(#idents: #types),*) -> ::orion::Result<#output> {
            const SQL: &str = #sql;
            let _proven = ::orion::__private::proven();
            #body
        }
    }
}

/// `db.query(SQL, params)`, `tx.query_one(SQL, params)`, … for the handle.
fn call(handle: Handle, arg: &TokenStream, one: bool) -> TokenStream {
    let method = if one { format_ident!("query_one") } else { format_ident!("query") };
    match handle {
        Handle::Read => quote!(::orion::store::Sql::#method(#arg, SQL, params)),
        Handle::TenantRead => quote!(::orion::tenant::TenantSql::#method(#arg, SQL, params)),
        Handle::Write | Handle::TenantWrite => quote!(#arg.#method(SQL, params)),
    }
}

fn row_struct(generated: &Generated) -> TokenStream {
    let Generated { vis, name, query, fields } = generated;
    let doc = format!(" A row of [`{query}`], one field per result column.");
    let fields = fields.iter().map(|(field, ty, doc)| {
        let doc = format!(" {doc}");
        quote! { #[doc = #doc] #vis #field: #ty }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #vis struct #name {
            #(#fields,)*
        }
    }
}

/// The query's lines without the blank lines around them and their common indentation, for
/// its docs.
fn dedent(sql: &str) -> Vec<String> {
    let lines: Vec<&str> = sql.lines().skip_while(|l| l.trim().is_empty()).collect();
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(0, |i| i + 1);
    let lines = &lines[..end];
    let indent = lines.iter().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| match indent {
            // The first line often follows the opening quote directly.
            Some(indent) if i > 0 || line.len() - line.trim_start().len() >= indent => {
                line.get(indent.min(line.len() - line.trim_start().len())..).unwrap_or(line).trim_end().to_owned()
            }
            _ => line.trim().to_owned(),
        })
        .collect()
}
