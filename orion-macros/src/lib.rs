//! The attribute macros of orion. A thin shell: each macro parses its input into a small AST,
//! checks it (reporting every problem at once, on the offending tokens), and expands into plain
//! calls of the `orion` runtime through `orion::__private`. Use them through `orion`, which
//! re-exports them.
//!
//! Every diagnostic a macro owns has a compile-fail case in `ui-tests/tests/<macro>/fail/`, with
//! its reviewed `.stderr`; the legitimate forms are in `ui-tests/tests/<macro>/pass/`.
//!
//! Every macro has a hand-written equivalent, shown in the docs of the trait it implements:
//! [`region`] → `orion::Region`, [`command`] → `orion::Command`, [`resource`] →
//! `orion::Resource`, [`derive@Input`] → `orion::Input`. Set `ORION_MACROS_DEBUG=1` to print each
//! expansion while compiling.
//!
//! Dependencies: `syn`, `quote` and `proc-macro2` (parsing and writing Rust), and
//! `orion-sql-check` (the migration layout rule shared with the runtime's tools).

mod args;
mod command;
mod input;
mod item;
mod migrations;
mod path;
mod queries;
mod region;
mod resource;
mod symbol;

use proc_macro::TokenStream;

/// A live region: `#[region(topics = ["todos"])]` on an `impl` block holding
/// `fn model(ctx: &Ctx) -> orion::Result<Model>` and `fn view(model: &Model) -> Html`.
///
/// Writes `impl orion::Region` (see its docs for the hand-written form). Keys: `topics` (one
/// string or a list; required) and `id` (the element id; by default the type's name in
/// kebab-case, `TodoList` → `todo-list`).
///
/// Its errors are covered in `ui-tests/tests/region/`.
#[proc_macro_attribute]
pub fn region(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    finish("region", region::region(attr.into(), item.clone()), || region::fallback(item))
}

/// A command: `#[command("/todos/{id}/rename")]` on `async fn(ctx: Ctx, id: i64, input: Rename)
/// -> orion::Result<Reply>`.
///
/// Arguments after the context named like a `{param}` of the path are parsed from it (a bad
/// one is a 404); one other argument is the input, read from the signals with
/// `orion::Input` — when it fails validation the command answers the requester with the field
/// errors, writes nothing and does not run. Keys: `method` (`"post"` by default) and `form` (the
/// form's id, where field errors appear; by default the function's name and the path's
/// parameters, `rename-{id}`).
///
/// Besides `impl orion::Command`, it writes a handle type named like the function with
/// `url(params…)`, `action(params…)` (the Datastar `@post('…')` expression) and `form(params…)`.
///
/// Its errors are covered in `ui-tests/tests/command/`.
#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    finish("command", command::command(attr.into(), item.clone(), command::Kind::Command), || item)
}

/// A fragment: `#[fragment("/todos/{id}/details")]` on `fn(ctx: &Ctx, id: i64) ->
/// orion::Result<Html>` — an on-demand read that renders once, patches, and closes (a modal's
/// body, a combobox's options).
///
/// Routed as `GET`. Arguments work as for [`command`] (path parameters, at most one input read
/// from the signals). The HTML is morphed in by its ids, or into `selector` with `mode`
/// (`"inner"`, `"append"`, …). Writes `impl orion::command::Fragment` and a handle type with
/// `url(params…)` and `action(params…)` (`@get('…')`).
///
/// Its errors are covered in `ui-tests/tests/fragment/`.
#[proc_macro_attribute]
pub fn fragment(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    finish("fragment", command::command(attr.into(), item.clone(), command::Kind::Fragment), || item)
}

/// A resource: `#[resource("/", regions = [TodoList], commands = [add, toggle], fragments =
/// [details])]` on an `impl` block holding `fn page(page: &Page) -> orion::Result<Document>`.
///
/// Writes `impl orion::Resource`: `GET path` answers the page, or — for Datastar — the page's
/// one live stream of its `regions`; the `commands` and `fragments` are routed with it.
///
/// Its errors are covered in `ui-tests/tests/resource/`.
#[proc_macro_attribute]
pub fn resource(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    finish("resource", resource::resource(attr.into(), item.clone()), || resource::fallback(item))
}

/// A command input read from signals: `#[derive(Input)]` on a struct with named fields.
///
/// Field rules: `#[input(trim, required, length(min = 1, max = 200), range(min = 0, max = 9),
/// custom = path::to::rule, name = "signal")]`. Trimming happens first. A `custom` rule is a
/// `fn(&T) -> Result<(), String>` (`&str` for a `String` field works too).
///
/// Its errors are covered in `ui-tests/tests/input/`.
#[proc_macro_derive(Input, attributes(input))]
pub fn derive_input(item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    finish("Input", input::derive(item.clone()), || input::fallback(item))
}

/// Every migration under the crate's `src/` (or the given folder), in their global order:
/// `store.migrate(orion::migrations!())`.
///
/// Each feature keeps its migrations in its own `migrations/` folder, named
/// `<YYYYMMDDHHMMSS>_<name>.sql`; the order is global, by file name. The folder is relative to
/// the crate's `Cargo.toml`.
///
/// Its errors are covered in `ui-tests/tests/migrations/`.
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    match migrations::migrations(input.into()) {
        Ok(tokens) => tokens.into(),
        Err(error) => migrations::fallback(error).into(),
    }
}

/// Named queries: `queries! { … }` in a feature's `sql.rs`, each query checked against the
/// crate's migrations while compiling and written out as a typed function.
///
/// (Documented in full below, in the crate docs' "Named queries".)
#[proc_macro]
pub fn queries(input: TokenStream) -> TokenStream {
    let (mut tokens, error) = queries::queries(input.into());
    if let Some(error) = error {
        let mut errors = error.into_compile_error();
        errors.extend(tokens);
        tokens = errors;
    }
    debug("queries!", tokens).into()
}

/// On success, the expansion; on error, every error plus the macro's fallback: an attribute's item
/// unchanged and, where other code relies on it, a stand-in trait impl, so the user sees the
/// macro's errors and not a cascade of "not implemented" errors where the item is used.
fn finish(
    name: &str,
    result: syn::Result<proc_macro2::TokenStream>,
    fallback: impl FnOnce() -> proc_macro2::TokenStream,
) -> TokenStream {
    match result {
        Ok(tokens) => debug(name, tokens).into(),
        Err(error) => {
            let mut tokens = error.into_compile_error();
            tokens.extend(fallback());
            tokens.into()
        }
    }
}

fn debug(name: &str, tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    if std::env::var_os("ORION_MACROS_DEBUG").is_some_and(|v| v == "1") {
        let shown = if name.ends_with('!') { format!("{name}{{ … }}") } else { format!("#[{name}]") };
        eprintln!("// {shown} expands to:\n{tokens}\n");
    }
    tokens
}
