//! Tenancy at its boundary: tenant files on disk, rows bound to their tenant, and two tenants
//! side by side over real HTTP — in both models (db-per-tenant and shared-db).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;

use http::StatusCode;
use http::header::HOST;
use maud::html;
use orion::datastar::client::DatastarClient;
use orion::region::stream::{Pacing, StreamOptions};
use orion::store::rusqlite::{Connection, OpenFlags};
use orion::store::{Migration, named_params};
use orion::tenant::{self, PerFileOptions, Tenancy, TenancyModel, TenantKey, TenantSql, TenantStore};
use orion::testing::{Client, EventStream, TestServer};
use orion::{App, Bus, Ctx, Document, ErrorKind, Html, Input, Page, Reply, Result, Routes, Store, command, region};
use orion::{Router, resource};
use serde_json::json;

use crate::support::TempDir;

const NOTES: Migration = Migration {
    name: "20261201000000_notes.sql",
    sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;",
};

const NOTES_DONE: Migration = Migration {
    name: "20261201000100_notes_done.sql",
    sql: "ALTER TABLE notes ADD COLUMN done INTEGER NOT NULL DEFAULT 0;",
};

const TAGS: Migration = Migration {
    name: "20261201000200_tags.sql",
    sql: "CREATE TABLE tags (workspace_id TEXT NOT NULL, tag TEXT NOT NULL);",
};

fn key(key: &str) -> TenantKey {
    TenantKey::parse(key).unwrap()
}

fn bodies(db: &impl TenantSql) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = db.query("SELECT body FROM notes WHERE workspace_id = :tenant ORDER BY id", &[])?;
    Ok(rows.into_iter().map(|(body,)| body).collect())
}

fn add_note(tenant: &TenantStore, body: &str) {
    let body = body.to_owned();
    tenant
        .transaction(move |tx| {
            tx.execute(
                "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)",
                named_params! { ":body": body },
            )
        })
        .unwrap();
}

fn assert_kind<T: std::fmt::Debug>(result: Result<T>, kind: ErrorKind) -> orion::Error {
    let error = result.expect_err("expected an error");
    assert_eq!(error.kind(), kind, "{error:?}");
    error
}

/// Every file in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A read-only connection to a database file, outside any store.
fn inspect(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn per_file(dir: &TempDir, migrations: &[Migration]) -> tenant::PerFile {
    match Tenancy::per_file(&dir.join("tenants"), migrations).unwrap() {
        Tenancy::PerFile(files) => files,
        Tenancy::Shared(_) => unreachable!("per_file makes a PerFile"),
    }
}

// ---- db-per-tenant: the files ----

#[test]
fn a_tenant_file_is_created_and_migrated_on_create_and_never_by_open() {
    let dir = TempDir::new("tenant-create");
    let files = per_file(&dir, &[NOTES]);
    let acme = key("acme");
    assert_kind(files.open(&acme), ErrorKind::NotFound);
    assert!(!files.path(&acme).exists(), "opening an unknown tenant must not create its file");
    assert!(files.tenants().unwrap().is_empty());

    let tenant = files.create(&acme).unwrap();
    assert_eq!(tenant.key(), &acme);
    assert_eq!(tenant.model(), TenancyModel::PerFile);
    assert_eq!(files.path(&acme), dir.join("tenants").join("acme.db"));
    assert!(files.exists(&acme));
    add_note(&tenant, "hello");
    assert_eq!(bodies(&tenant).unwrap(), ["hello"]);
    assert_eq!(files.tenants().unwrap(), [key("acme")]);
    // A file that is not a tenant's is not listed.
    std::fs::write(dir.join("tenants").join("notes.txt"), "x").unwrap();
    std::fs::write(dir.join("tenants").join("Bad.db"), "x").unwrap();
    assert_eq!(files.tenants().unwrap(), [acme]);
    files.close().unwrap();
}

#[test]
fn a_tenant_file_is_migrated_when_first_opened_with_new_migrations() {
    let dir = TempDir::new("tenant-first-open");
    let old = per_file(&dir, &[NOTES]);
    add_note(&old.create(&key("acme")).unwrap(), "before");
    old.close().unwrap();

    let new = per_file(&dir, &[NOTES, NOTES_DONE]);
    let tenant = new.open(&key("acme")).unwrap();
    let rows: Vec<(String, bool)> =
        tenant.query("SELECT body, done FROM notes WHERE workspace_id = :tenant", &[]).unwrap();
    assert_eq!(rows, [("before".to_owned(), false)]);
    new.close().unwrap();
}

#[test]
fn migrate_all_brings_every_tenant_file_up_to_date_without_opening_them() {
    let dir = TempDir::new("tenant-migrate-all");
    let old = per_file(&dir, &[NOTES]);
    for name in ["acme", "globex"] {
        old.create(&key(name)).unwrap();
    }
    old.close().unwrap();

    let new = per_file(&dir, &[NOTES, NOTES_DONE, TAGS]);
    assert_eq!(new.migrate_all().unwrap(), 4, "two migrations on each of two files");
    assert!(new.open_tenants().is_empty(), "migrate_all leaves the cache as it was");
    assert_eq!(new.migrate_all().unwrap(), 0);
    for name in ["acme", "globex"] {
        let conn = inspect(&new.path(&key(name)));
        let applied: i64 = conn.query_row("SELECT count(*) FROM _orion_migrations", [], |row| row.get(0)).unwrap();
        assert_eq!(applied, 3, "{name}");
        conn.execute_batch("SELECT done FROM notes; SELECT tag FROM tags;").unwrap();
    }
}

#[test]
fn the_least_recently_used_idle_tenant_is_closed_cleanly_and_held_ones_stay_open() {
    let dir = TempDir::new("tenant-lru");
    let options = PerFileOptions { max_open: 2, ..PerFileOptions::default() };
    let tenancy = Tenancy::per_file_with(&dir.join("tenants"), &[NOTES], options).unwrap();
    let Tenancy::PerFile(files) = &tenancy else { unreachable!() };
    let (a, b, c) = (key("a"), key("b"), key("c"));
    add_note(&tenancy.create(&a).unwrap(), "a");
    add_note(&tenancy.create(&b).unwrap(), "b");
    tenancy.open(&a).unwrap();
    assert_eq!(files.open_tenants(), [b.clone(), a.clone()]);
    let wal = |key: &TenantKey| dir.join("tenants").join(format!("{key}.db-wal"));
    assert!(wal(&b).exists(), "an open store has its WAL");

    let held = tenancy.create(&c).unwrap();
    assert_eq!(files.open_tenants(), [a.clone(), c.clone()], "b was the least recently used");
    assert!(!wal(&b).exists(), "a clean close checkpoints and removes the WAL");

    // `c` is held: opening `b` again evicts `a`, never `c`.
    tenancy.open(&b).unwrap();
    assert_eq!(files.open_tenants(), [c.clone(), b.clone()]);
    assert_eq!(bodies(&held).unwrap(), Vec::<String>::new(), "a held handle keeps working");
    // An evicted tenant opens again, with its rows.
    assert_eq!(bodies(&tenancy.open(&a).unwrap()).unwrap(), ["a"]);
    tenancy.close().unwrap();
    assert!(files.open_tenants().is_empty());
}

#[test]
fn a_backup_taken_while_writing_is_a_consistent_copy() {
    let dir = TempDir::new("tenant-backup");
    let files = per_file(&dir, &[NOTES]);
    let tenant = files.create(&key("acme")).unwrap();
    // Each transaction writes two rows: a consistent copy has an even number of them.
    let stop = Arc::new(AtomicBool::new(false));
    let (first, committed) = mpsc::channel();
    let writer = thread::spawn({
        let (tenant, stop) = (tenant.clone(), stop.clone());
        move || {
            let mut transactions = 0;
            while !stop.load(Ordering::SeqCst) {
                tenant
                    .transaction(|tx| {
                        for half in ["first half", "second half"] {
                            tx.execute(
                                "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)",
                                named_params! { ":body": half },
                            )?;
                        }
                        Ok(())
                    })
                    .unwrap();
                transactions += 1;
                let _ = first.send(());
            }
            transactions
        }
    });
    committed.recv().unwrap();
    let copies: Vec<_> = (0..3).map(|i| dir.join(&format!("backup-{i}.db"))).collect();
    for copy in &copies {
        files.backup(&key("acme"), copy).unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    let transactions = writer.join().unwrap();

    let mut counts = Vec::new();
    for copy in &copies {
        let conn = inspect(copy);
        let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(check, "ok");
        let rows: i64 = conn.query_row("SELECT count(*) FROM notes", [], |row| row.get(0)).unwrap();
        assert!(rows > 0 && rows % 2 == 0, "{rows} rows: a copy holds whole transactions only");
        counts.push(rows);
    }
    assert!(counts.windows(2).all(|pair| pair[0] <= pair[1]), "{counts:?}");
    assert!(counts[2] <= 2 * transactions, "{counts:?} of {transactions} transactions");
    let existing = assert_kind(files.backup(&key("acme"), &copies[0]), ErrorKind::Io);
    assert!(existing.message().contains("already exists: back up to a new file"), "{existing:?}");
    assert_kind(files.backup(&key("nope"), &dir.join("nope.db")), ErrorKind::NotFound);
    files.close().unwrap();
}

#[test]
fn an_export_is_the_bytes_of_a_complete_database_and_leaves_nothing_behind() {
    let dir = TempDir::new("tenant-export");
    let files = per_file(&dir, &[NOTES]);
    let tenant = files.create(&key("acme")).unwrap();
    add_note(&tenant, "exported");
    let before = listing(&dir.join("tenants"));
    let bytes = files.export(&key("acme")).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert_eq!(listing(&dir.join("tenants")), before, "no temporary file is left");
    let copy = dir.join("export.db");
    std::fs::write(&copy, &bytes).unwrap();
    let body: String = inspect(&copy).query_row("SELECT body FROM notes", [], |row| row.get(0)).unwrap();
    assert_eq!(body, "exported");
    assert_kind(files.export(&key("nope")), ErrorKind::NotFound);
    files.close().unwrap();
}

#[test]
fn delete_closes_the_store_and_removes_the_file_with_its_wal_and_shm() {
    let dir = TempDir::new("tenant-delete");
    let files = per_file(&dir, &[NOTES]);
    let acme = key("acme");
    let held = files.create(&acme).unwrap();
    add_note(&held, "secret");
    assert_eq!(listing(&dir.join("tenants")), ["acme.db", "acme.db-shm", "acme.db-wal"]);

    files.delete(&acme).unwrap();
    assert!(listing(&dir.join("tenants")).is_empty());
    assert_kind(bodies(&held), ErrorKind::Closed);
    assert_kind(files.open(&acme), ErrorKind::NotFound);
    assert_kind(files.delete(&acme), ErrorKind::NotFound);
    assert!(files.tenants().unwrap().is_empty());
    // A new tenant of the same name starts empty: nothing of the old one comes back.
    assert!(bodies(&files.create(&acme).unwrap()).unwrap().is_empty());
    files.close().unwrap();
}

// ---- both models: binding `:tenant` ----

/// The app's store and a tenancy of `model` with two tenants, `acme` and `globex`.
fn tenancy(label: &str, model: TenancyModel) -> (TempDir, Store, Tenancy) {
    let dir = TempDir::new(label);
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    let tenancy = match model {
        TenancyModel::PerFile => Tenancy::per_file(&dir.join("tenants"), &[NOTES]).unwrap(),
        TenancyModel::Shared => {
            store.migrate(&[NOTES]).unwrap();
            Tenancy::shared(&store).unwrap()
        }
    };
    for name in ["acme", "globex"] {
        tenancy.create(&key(name)).unwrap();
    }
    (dir, store, tenancy)
}

fn a_tenant_store_reads_and_writes_its_own_rows_only(model: TenancyModel) {
    let (_dir, store, tenancy) = tenancy("tenant-binding", model);
    let (acme, globex) = (tenancy.open(&key("acme")).unwrap(), tenancy.open(&key("globex")).unwrap());
    assert_eq!(acme.model(), model);
    add_note(&acme, "acme's");
    add_note(&globex, "globex's");
    assert_eq!(bodies(&acme).unwrap(), ["acme's"]);
    assert_eq!(bodies(&globex).unwrap(), ["globex's"]);
    assert_eq!(acme.read(|db| bodies(db)).unwrap(), ["acme's"]);
    let inside = acme.transaction(|tx| bodies(tx)).unwrap();
    assert_eq!(inside, ["acme's"]);

    // `acme` cannot touch `globex`'s row by its id: the statement is bound to `acme`. (The id is
    // one `acme` does not have in either model: under db-per-tenant, ids are per file.)
    add_note(&globex, "globex's second");
    let (globex_id,): (i64,) =
        globex.query_one("SELECT max(id) FROM notes WHERE workspace_id = :tenant", &[]).unwrap().unwrap();
    let changed = acme
        .transaction(move |tx| {
            tx.execute(
                "UPDATE notes SET body = 'pwned' WHERE id = :id AND workspace_id = :tenant",
                named_params! { ":id": globex_id },
            )
        })
        .unwrap();
    assert_eq!(changed, 0);
    assert_eq!(bodies(&globex).unwrap(), ["globex's", "globex's second"]);
    assert_eq!(bodies(&acme).unwrap(), ["acme's"]);

    // A statement that does not mention `:tenant` fails, and says what to do.
    let unscoped = assert_kind(acme.query::<(String,)>("SELECT body FROM notes", &[]), ErrorKind::Sql);
    assert!(
        unscoped.message().starts_with("the statement does not use `:tenant`: constrain every tenant table"),
        "{unscoped:?}"
    );
    let write = acme.transaction(|tx| tx.execute("DELETE FROM notes", &[]));
    assert_kind(write, ErrorKind::Sql);
    assert_eq!(bodies(&acme).unwrap(), ["acme's"], "the refused delete deleted nothing");
    // Parameters cannot choose the tenant.
    let chosen = assert_kind(
        acme.query::<(String,)>(
            "SELECT body FROM notes WHERE workspace_id = :tenant",
            named_params! { ":tenant": "globex" },
        ),
        ErrorKind::Sql,
    );
    assert!(chosen.message().contains("a tenant store binds `:tenant`"), "{chosen:?}");

    if model == TenancyModel::Shared {
        let all: Vec<(String,)> = acme.unscoped().query("SELECT body FROM notes ORDER BY id", ()).unwrap();
        assert_eq!(all.len(), 3, "one file holds both tenants");
        assert_eq!(tenancy.tenants().unwrap(), [key("acme"), key("globex")]);
    }
    assert_kind(tenancy.open(&key("initech")), ErrorKind::NotFound);
    assert!(!tenancy.exists(&key("initech")).unwrap());
    tenancy.close().unwrap();
    store.close().unwrap();
}

#[test]
fn per_file_a_tenant_store_reads_and_writes_its_own_rows_only() {
    a_tenant_store_reads_and_writes_its_own_rows_only(TenancyModel::PerFile);
}

#[test]
fn shared_a_tenant_store_reads_and_writes_its_own_rows_only() {
    a_tenant_store_reads_and_writes_its_own_rows_only(TenancyModel::Shared);
}

// ---- both models: over HTTP ----

#[derive(Debug)]
pub(crate) struct NoteList;

#[region(topics = ["notes"])]
impl NoteList {
    fn model(ctx: &Ctx) -> Result<Vec<String>> {
        bodies(&ctx.tenant()?)
    }

    fn view(bodies: &Vec<String>) -> Html {
        html! { ul { @for body in bodies { li { (body) } } } }
    }
}

/// A new note's text.
#[derive(Debug, Input)]
pub(crate) struct NewNote {
    #[input(trim, length(min = 1, max = 100))]
    body: String,
}

async fn insert(ctx: &Ctx, input: NewNote) -> Result<()> {
    ctx.tenant()?
        .write(move |tx| {
            tx.execute(
                "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)",
                named_params! { ":body": input.body },
            )?;
            tx.publish("notes");
            Ok(())
        })
        .await
}

#[command("/w/{workspace}/notes")]
pub(crate) async fn add(ctx: Ctx, workspace: String, input: NewNote) -> Result<Reply> {
    insert(&ctx, input).await?;
    Ok(Reply::new().reset::<NewNote>(&add::form(&workspace)))
}

#[derive(Debug)]
pub(crate) struct Workspace;

#[resource("/w/{workspace}", regions = [NoteList], commands = [add])]
impl Workspace {
    fn page(page: &Page) -> Result<Document> {
        let tenant = page.tenant()?;
        Ok(Document::new(tenant.key().as_str()).body(html! { h1 { (tenant.key()) } (page.region(NoteList)) }))
    }
}

#[command("/notes")]
pub(crate) async fn add_here(ctx: Ctx, input: NewNote) -> Result<Reply> {
    insert(&ctx, input).await?;
    Ok(Reply::new())
}

#[derive(Debug)]
pub(crate) struct Here;

#[resource("/", regions = [NoteList], commands = [add_here])]
impl Here {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("here").body(html! { (page.region(NoteList)) }))
    }
}

fn router(
    store: &Store,
    tenancy: &Tenancy,
    resolve: impl Fn(&Ctx, &orion::http::Request) -> Option<String> + Send + Sync + 'static,
) -> Router {
    App::new(store)
        .tenancy(tenancy, resolve)
        .routes(Routes::new().resource(Workspace).resource(Here))
        .datastar(DatastarClient::cdn())
        .streams(StreamOptions { pacing: Pacing::Fixed(std::time::Duration::ZERO), ..StreamOptions::default() })
        .router()
}

/// A viewer's stream of `path`, past its first render.
async fn viewer(client: &Client, url: &str) -> EventStream {
    let mut stream = client.stream(url, true).await;
    assert_eq!(stream.status, StatusCode::OK);
    stream.wait_for(|event| event.elements().contains("id=\"note-list\"")).await;
    stream
}

async fn unknown_tenants_are_404_and_invalid_keys_400(model: TenancyModel) {
    let (_dir, store, tenancy) = tenancy("tenant-http-errors", model);
    let server = TestServer::start(router(&store, &tenancy, tenant::from_param("workspace"))).await;
    let client = Client::new();
    assert_eq!(client.get(&server.url("/w/acme")).await.status, StatusCode::OK);
    let unknown = client.get(&server.url("/w/initech")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text().contains("unknown tenant `initech`"), "{}", unknown.text());
    for bad in ["Acme", "..", "%2E%2E", "a%2Fb", "a%5Cb", "a%00b", ".acme"] {
        let invalid = client.get(&server.url(&format!("/w/{bad}"))).await;
        assert_eq!(invalid.status, StatusCode::BAD_REQUEST, "{bad}: {}", invalid.text());
        assert!(invalid.text().starts_with("invalid tenant key"), "{bad}: {}", invalid.text());
    }
    let command = client.post_json(&server.url("/w/initech/notes"), &json!({"body": "x"})).await;
    assert_eq!(command.status, StatusCode::NOT_FOUND);
    assert!(!tenancy.exists(&key("initech")).unwrap(), "a request never creates a tenant");
    // `/` names no tenant with this resolver.
    assert_eq!(client.get(&server.url("/")).await.status, StatusCode::NOT_FOUND);
    server.stop().await;
    tenancy.close().unwrap();
}

#[tokio::test]
async fn per_file_unknown_tenants_are_404_and_invalid_keys_400() {
    unknown_tenants_are_404_and_invalid_keys_400(TenancyModel::PerFile).await;
}

#[tokio::test]
async fn shared_unknown_tenants_are_404_and_invalid_keys_400() {
    unknown_tenants_are_404_and_invalid_keys_400(TenancyModel::Shared).await;
}

async fn a_write_in_one_tenant_reaches_its_viewers_and_never_the_others(model: TenancyModel) {
    let (_dir, store, tenancy) = tenancy("tenant-http-live", model);
    let server = TestServer::start(router(&store, &tenancy, tenant::from_param("workspace"))).await;
    let client = Client::new();
    let mut acme = viewer(&client, &server.url("/w/acme")).await;
    let mut globex = viewer(&client, &server.url("/w/globex")).await;

    // Each tenant's regions listen on the tenant's own bus: nothing listens on the app's.
    assert_eq!(store.bus().subscribers("notes"), 0);
    let reply = client.post_json(&server.url("/w/acme/notes"), &json!({"body": "acme plans"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    acme.wait_for(|event| event.elements().contains("<li>acme plans</li>")).await;
    client.post_json(&server.url("/w/globex/notes"), &json!({"body": "globex plans"})).await;
    globex.wait_for(|event| event.elements().contains("<li>globex plans</li>")).await;
    assert!(
        globex.events().iter().all(|event| !event.elements().contains("acme")),
        "globex's viewer saw acme's write: {:?}",
        globex.events()
    );
    let page = client.get(&server.url("/w/globex")).await.text();
    assert!(page.contains("globex plans") && !page.contains("acme plans"), "{page}");
    server.stop().await;
    tenancy.close().unwrap();
}

#[tokio::test]
async fn per_file_a_write_in_one_tenant_reaches_its_viewers_and_never_the_others() {
    a_write_in_one_tenant_reaches_its_viewers_and_never_the_others(TenancyModel::PerFile).await;
}

#[tokio::test]
async fn shared_a_write_in_one_tenant_reaches_its_viewers_and_never_the_others() {
    a_write_in_one_tenant_reaches_its_viewers_and_never_the_others(TenancyModel::Shared).await;
}

/// A request for `path` on the host `host`.
fn on_host(method: http::Method, url: &str, host: &str, body: &str) -> http::Request<bytes::Bytes> {
    http::Request::builder()
        .method(method)
        .uri(url)
        .header(HOST, host)
        .header("datastar-request", "true")
        .header("content-type", "application/json")
        .body(bytes::Bytes::from(body.to_owned()))
        .unwrap()
}

async fn a_subdomain_tenant_gets_region_instances_of_its_own(model: TenancyModel) {
    let (_dir, store, tenancy) = tenancy("tenant-http-subdomain", model);
    add_note(&tenancy.open(&key("acme")).unwrap(), "acme's");
    add_note(&tenancy.open(&key("globex")).unwrap(), "globex's");
    let server = TestServer::start(router(&store, &tenancy, tenant::from_subdomain("example.test"))).await;
    let client = Client::new();
    // The same path on two hosts: the region instance is keyed by the tenant, not the path.
    let mut acme = client.stream_request(on_host(http::Method::GET, &server.url("/"), "acme.example.test", "")).await;
    acme.wait_for(|event| event.elements().contains("<li>acme's</li>")).await;
    let mut globex =
        client.stream_request(on_host(http::Method::GET, &server.url("/"), "GLOBEX.example.test:8080", "")).await;
    let first = globex.wait_for(|event| event.elements().contains("id=\"note-list\"")).await;
    assert!(first.elements().contains("<li>globex's</li>") && !first.elements().contains("acme"), "{first}");

    let reply = client
        .send(on_host(http::Method::POST, &server.url("/notes"), "acme.example.test", r#"{"body": "acme again"}"#))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    acme.wait_for(|event| event.elements().contains("<li>acme again</li>")).await;
    client
        .send(on_host(http::Method::POST, &server.url("/notes"), "globex.example.test", r#"{"body": "globex again"}"#))
        .await;
    globex.wait_for(|event| event.elements().contains("<li>globex again</li>")).await;
    assert!(globex.events().iter().all(|event| !event.elements().contains("acme")), "{:?}", globex.events());

    let bare = client.send(on_host(http::Method::GET, &server.url("/"), "example.test", "")).await;
    assert_eq!(bare.status, StatusCode::NOT_FOUND, "the bare domain names no tenant");
    let deep = client.send(on_host(http::Method::GET, &server.url("/"), "a.b.example.test", "")).await;
    assert_eq!(deep.status, StatusCode::BAD_REQUEST, "`a.b` is not a key");
    server.stop().await;
    tenancy.close().unwrap();
}

#[tokio::test]
async fn per_file_a_subdomain_tenant_gets_region_instances_of_its_own() {
    a_subdomain_tenant_gets_region_instances_of_its_own(TenancyModel::PerFile).await;
}

#[tokio::test]
async fn shared_a_subdomain_tenant_gets_region_instances_of_its_own() {
    a_subdomain_tenant_gets_region_instances_of_its_own(TenancyModel::Shared).await;
}

#[tokio::test]
async fn ctx_tenant_in_an_app_without_tenancy_is_an_opaque_500() {
    let dir = TempDir::new("tenant-none");
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    store.migrate(&[NOTES]).unwrap();
    let router = App::new(&store).routes(Routes::new().resource(Workspace)).datastar(DatastarClient::cdn()).router();
    let server = TestServer::start(router).await;
    let page = Client::new().get(&server.url("/w/acme")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!page.text().contains("tenancy"), "the detail stays in the log: {}", page.text());
    server.stop().await;
    store.close().unwrap();
}
