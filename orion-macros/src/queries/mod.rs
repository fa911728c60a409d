//! `queries! { … }`: named queries, checked against the crate's migrations while compiling,
//! each written out as a typed function (see the macro's docs in `lib.rs`).

mod ast;
mod expand;
mod report;
mod table;
mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proc_macro2::{Span, TokenStream};

use orion_sql_check::{Schema, crate_root};

use crate::args::Errors;
use crate::symbol::MIGRATIONS;

/// The expansion, and the errors (reported with it: the items that passed are written out, and
/// the ones that failed as stand-ins, so their callers report nothing more).
pub(crate) fn queries(input: TokenStream) -> (TokenStream, Option<syn::Error>) {
    let mut errors = Errors::default();
    let block = ast::Block::parse(input, &mut errors);
    let tokens = match load(&block, &mut errors) {
        Some(schema) => expand::expand(&validate::check(&block, &schema, &mut errors)),
        None => TokenStream::new(),
    };
    (tokens, errors.finish().err())
}

/// The schema of the crate's migrations: `src/**/migrations/*.sql` of the crate the block is
/// written in (or the folder `#![migrations = "…"]` names).
fn load(block: &ast::Block, errors: &mut Errors) -> Option<Arc<Schema>> {
    let at = block.migrations.as_ref().map_or_else(Span::call_site, syn::LitStr::span);
    let source = proc_macro::Span::call_site().local_file();
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let Some(root) = crate_root(source.as_deref(), manifest.as_deref()) else {
        errors.push(syn::Error::new(
            at,
            "`queries!` cannot tell which crate it is in (no source file and no `CARGO_MANIFEST_DIR`): build with cargo",
        ));
        return None;
    };
    if !has_build_script(&root) {
        errors.push(syn::Error::new(
            at,
            format!(
                "`{}` has no `build.rs`, so cargo would not rebuild it when a migration is added: add `build.rs` \
                 beside its `Cargo.toml`, holding `fn main() {{ println!(\"cargo:rerun-if-changed=src\"); }}`",
                crate_name(&root)
            ),
        ));
    }
    let relative = block.migrations.as_ref().map_or_else(|| "src".to_owned(), syn::LitStr::value);
    let dir = root.join(&relative);
    if !dir.is_dir() {
        errors.push(syn::Error::new(
            at,
            format!(
                "`{relative}` is not a folder of `{}`: `#![{MIGRATIONS} = \"…\"]` names the folder holding the \
                 `migrations/` folders, relative to the crate's `Cargo.toml`",
                crate_name(&root)
            ),
        ));
        return None;
    }
    match Schema::load(&dir) {
        Ok(schema) => Some(schema),
        Err(error) => {
            let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
            for problem in error.problems() {
                errors.push(syn::Error::new(at, problem.to_string().replace(&prefix, "")));
            }
            None
        }
    }
}

/// Whether the crate has a build script (`build.rs`, or one its `Cargo.toml` names).
fn has_build_script(root: &Path) -> bool {
    root.join("build.rs").is_file()
        || std::fs::read_to_string(root.join("Cargo.toml")).is_ok_and(|manifest| {
            manifest.lines().any(|line| {
                let line = line.trim_start();
                line.strip_prefix("build").is_some_and(|rest| rest.trim_start().starts_with('='))
                    && !line.contains("false")
            })
        })
}

fn crate_name(root: &Path) -> String {
    root.file_name().map_or_else(|| root.display().to_string(), |name| name.to_string_lossy().into_owned())
}
