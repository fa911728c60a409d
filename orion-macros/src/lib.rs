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
//! `orion::Resource`, [`derive@Input`] → `orion::Input`; [`queries!`] → plain functions over the
//! store (its docs show one). Set `ORION_MACROS_DEBUG=1` to print each
//! expansion while compiling.
//!
//! Dependencies: `syn`, `quote` and `proc-macro2` (parsing and writing Rust), and
//! `orion-sql-check` (the migration layout rule shared with the runtime's tools, and the SQL
//! checker `queries!` calls: it is a plain library, so the checking is tested without a
//! compiler and this crate stays a thin shell).

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
/// ```ignore
/// orion::queries! {
///     /// Every todo, oldest first.
///     pub fn all() -> many Todo = "SELECT id, title, done FROM todos ORDER BY id";
///     pub fn details(id) -> optional struct Details = "SELECT id, title, due FROM todos WHERE id = :id";
///     pub fn counts() -> one (i64, i64) = "SELECT count(*), count(due) FROM todos";
///     pub fn insert(title) -> one i64 = "INSERT INTO todos (title) VALUES (:title) RETURNING id";
///     pub fn rename(id, title) -> count = "UPDATE todos SET title = :title WHERE id = :id";
/// }
/// ```
///
/// **Items.** `fn name(params) -> shape = "SQL";` — the SQL is a string literal holding exactly
/// one statement. `params` lists every `:parameter` of the query by name, in the order the
/// function takes them; their types come from the query (the column a parameter is compared
/// with or written into, or a `CAST(:p AS INTEGER)`; text is taken as `&str`, a blob as
/// `&[u8]`), and a parameter that may be NULL takes an `Option`. The shape is `many Row` (a `Vec`), `one Row` (exactly one row; none is a
/// not-found error naming the query), `optional Row` (an `Option`), or `count` (the number of
/// rows a write changed). A write with `RETURNING` reads its rows like a `SELECT`.
///
/// **Rows.** `struct Name` asks the macro to write the row struct, one public field per result
/// column; a path (`Todo`) fills your struct by field name (every column needs a field of
/// exactly the column's type); a column type (`i64`, `Option<String>`, `bool`, `f64`,
/// `Vec<u8>`) reads one column; a tuple reads several in order. Nullability is honest:
/// whatever SQLite cannot prove NOT NULL (a nullable column, the nullable side of a `LEFT
/// JOIN`, `max` over no rows, a scalar subquery) is an `Option`. When the type of an expression
/// cannot be known, say it in its alias: `AS "n: i64"`; `AS "n!"` asserts it is never NULL.
/// Prefer `STRICT` tables: SQLite enforces their declared types.
///
/// **Handles.** A read takes `db: &impl orion::store::Sql` (the store, or a transaction); a
/// write takes `tx: &orion::store::Tx`, so it runs inside a transaction and its publishes wait
/// for the commit.
///
/// **Tenancy.** A table declared tenant-scoped in a migration (`-- orion: tenant
/// notes.workspace_id` before its `CREATE TABLE`) can only be reached by a query marked
/// `#[tenant_scoped]` (or a block marked `#![tenant_scoped]`): it takes the tenant's handle
/// (`&impl orion::tenant::TenantSql`, `&orion::tenant::TenantTx`), which binds `:tenant`
/// itself, and it compiles only if every occurrence of every tenant table in it is proven
/// constrained to `:tenant`. `#[unscoped(reason = "…")]` opts a query out, greppably, with a
/// reason; it takes the plain store. `pub table notes -> Note;` writes a module `notes` (with
/// the item's visibility) of helpers `all`, `get`, `insert`, `update` and `delete`, each checked
/// (and, for a tenant table, scoped) like a hand-written query; for a tenant table, each
/// constrains its rows to `:tenant` itself, and the row type leaves the tenant column out.
///
/// **Rebuilds.** The expansion `include_bytes!`s every migration, so editing one recompiles
/// the crate; a crate using `queries!` needs a `build.rs` printing
/// `cargo:rerun-if-changed=src`, so that a new migration does too (the macro asks for it).
/// `#![migrations = "db"]` looks for `migrations/` folders under another folder than `src`.
///
/// **By hand.** Each query is a plain function over the store's methods — what the macro
/// writes for `rename` above is:
///
/// ```ignore
/// pub fn rename(tx: &orion::store::Tx<'_>, id: i64, title: &str) -> orion::Result<usize> {
///     // Proven here: the store's dev-mode tenancy oracle does not check it again.
///     let _proven = orion::__private::proven();
///     let params: &[(&str, &dyn orion::store::ToSql)] = &[(":id", &id), (":title", &title)];
///     tx.execute("UPDATE todos SET title = :title WHERE id = :id", params)
/// }
/// ```
///
/// A `#[tenant_scoped]` query is the same over the tenant's handle, which binds `:tenant`
/// itself (a read takes `db: &impl orion::tenant::TenantSql` and calls
/// `orion::tenant::TenantSql::query`):
///
/// ```ignore
/// pub fn toggle(tx: &orion::tenant::TenantTx<'_>, id: i64) -> orion::Result<usize> {
///     let _proven = orion::__private::proven();
///     let params: &[(&str, &dyn orion::store::ToSql)] = &[(":id", &id)];
///     tx.execute("UPDATE notes SET done = 1 - done WHERE id = :id AND workspace_id = :tenant", params)
/// }
/// ```
///
/// and `pub table notes -> Note;`, for `notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT
/// NULL, body TEXT NOT NULL, done … DEFAULT 0)` declared tenant-scoped, is a module of five such
/// functions (a column with a default is left to SQLite by `insert`; a table without an
/// `INTEGER PRIMARY KEY` is found by its primary key, and its `insert` returns a count):
///
/// ```text
/// pub mod notes {
///     use super::*;
///     /// SELECT id, body, done FROM notes WHERE workspace_id = :tenant ORDER BY id
///     pub fn all(db: &impl TenantSql) -> orion::Result<Vec<Note>> { … }
///     /// SELECT id, body, done FROM notes WHERE id = :id AND workspace_id = :tenant
///     pub fn get(db: &impl TenantSql, id: i64) -> orion::Result<Option<Note>> { … }
///     /// INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body) RETURNING id
///     pub fn insert(tx: &TenantTx<'_>, body: &str) -> orion::Result<i64> { … }
///     /// UPDATE notes SET body = :body, done = :done WHERE id = :id AND workspace_id = :tenant
///     pub fn update(tx: &TenantTx<'_>, id: i64, body: &str, done: bool) -> orion::Result<usize> { … }
///     /// DELETE FROM notes WHERE id = :id AND workspace_id = :tenant
///     pub fn delete(tx: &TenantTx<'_>, id: i64) -> orion::Result<usize> { … }
/// }
/// ```
///
/// A command calls them inside the tenant's write, a region with the tenant's store:
/// `ctx.tenant()?.write(move |tx| notes::insert(tx, &body)).await?`,
/// `notes::all(&ctx.tenant()?)`.
///
/// Each row type implements `orion::store::FromRow`. What the macro adds is the proof: the
/// query was prepared against the migrations, its types and nullability match the row, and
/// it cannot leak another tenant's rows (hand-written SQL is put to the same tenancy proof at
/// run time, in debug builds; see `orion::store`). Its errors are covered in `ui-tests/tests/queries/`.
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
