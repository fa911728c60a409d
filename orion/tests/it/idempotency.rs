//! The idempotency kernel at its boundaries: outcomes and errors of `once` / `write_once` on
//! real SQLite files, and commands with an `Idempotency-Key` header over real HTTP.
//!
//! The race between two real processes lives in `examples/idempotency-race`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Method, StatusCode};
use orion::command::{CommandRequest, CommandRoute, Reply};
use orion::idempotency::{Idempotency, IdempotencyOptions, ManualClock, OnceError, Outcome};
use orion::region::RegionDef;
use orion::store::{Migration, Store};
use orion::testing::{Client, TestResponse, TestServer};
use orion::{App, Bus, Document, Error, ErrorKind, Page, Resource, Result, Routes};
use tokio::sync::oneshot;

use crate::support::TempDir;

const NOTES: Migration = Migration {
    name: "20261121140000_notes.sql",
    // Append-only on purpose: no UNIQUE constraint that would hide a duplicate.
    sql: "CREATE TABLE notes (text TEXT NOT NULL) STRICT;",
};

fn store(label: &str) -> (TempDir, Store) {
    let dir = TempDir::new(label);
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    store.migrate(&[NOTES]).unwrap();
    (dir, store)
}

fn kernel(store: &Store, clock: &ManualClock) -> Idempotency {
    let options = IdempotencyOptions {
        retention: Duration::from_secs(3600),
        lease: Duration::from_secs(30),
        clock: clock.clock(),
    };
    Idempotency::new(store, options).unwrap()
}

/// An effect that counts its runs and returns `result`.
fn counted(runs: &Arc<AtomicUsize>, result: &'static str) -> impl FnOnce() -> Ready + use<> {
    let runs = runs.clone();
    move || {
        runs.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(result.as_bytes().to_vec()) })
    }
}

type Ready = Pin<Box<dyn Future<Output = Result<Vec<u8>>> + Send>>;

fn notes(store: &Store) -> Vec<String> {
    let rows: Vec<(String,)> = store.query("SELECT text FROM notes", ()).unwrap();
    rows.into_iter().map(|(text,)| text).collect()
}

/// Polls `future` once; it must still be pending.
async fn poll_once<F: Future + Unpin>(future: &mut F) {
    tokio::select! {
        biased;
        _ = future => panic!("finished while it should wait"),
        () = std::future::ready(()) => {}
    }
}

// ---- the kernel ----

#[tokio::test]
async fn concurrent_callers_in_one_process_share_one_run() {
    let (_dir, store) = store("idem-single-flight");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let runs = Arc::new(AtomicUsize::new(0));

    let (started, has_started) = oneshot::channel();
    let (open, gate) = oneshot::channel::<()>();
    let leader = {
        let (idempotency, runs) = (idempotency.clone(), runs.clone());
        tokio::spawn(async move {
            idempotency
                .once("order-1", b"pay 42", || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    let _ = started.send(());
                    let _ = gate.await;
                    Ok(b"receipt 1".to_vec())
                })
                .await
        })
    };
    has_started.await.unwrap();

    // Nineteen more callers arrive while the effect runs; each is polled until it waits.
    let mut followers: Vec<_> =
        (0..19).map(|_| Box::pin(idempotency.once("order-1", b"pay 42", counted(&runs, "second run")))).collect();
    for follower in &mut followers {
        poll_once(follower).await;
    }
    // A caller with the same key and another payload is refused at once, even mid-flight.
    let other = idempotency.once("order-1", b"pay 43", counted(&runs, "other")).await;
    assert!(matches!(other, Err(OnceError::PayloadMismatch { .. })), "{other:?}");

    open.send(()).unwrap();
    assert_eq!(leader.await.unwrap().unwrap(), Outcome::Ran(Bytes::from_static(b"receipt 1")));
    for follower in followers {
        assert_eq!(follower.await.unwrap(), Outcome::Joined(Bytes::from_static(b"receipt 1")));
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_completed_key_replays_its_stored_result() {
    let (_dir, store) = store("idem-replay");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let runs = Arc::new(AtomicUsize::new(0));

    let first = idempotency.once("order-2", b"pay 7", counted(&runs, "receipt 2")).await.unwrap();
    assert_eq!(first, Outcome::Ran(Bytes::from_static(b"receipt 2")));
    let again = idempotency.once("order-2", b"pay 7", counted(&runs, "another receipt")).await.unwrap();
    assert_eq!(again, Outcome::Replayed(Bytes::from_static(b"receipt 2")));
    assert!(again.is_repeat());

    // The result is durable: a new kernel on the same file (a restarted process) replays it.
    let restarted = kernel(&store, &clock);
    let after_restart = restarted.once("order-2", b"pay 7", counted(&runs, "another receipt")).await.unwrap();
    assert_eq!(after_restart.into_result(), Bytes::from_static(b"receipt 2"));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_payload_is_a_422() {
    let (_dir, store) = store("idem-mismatch");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let runs = Arc::new(AtomicUsize::new(0));

    idempotency.once("order-3", b"pay 1", counted(&runs, "receipt 3")).await.unwrap();
    let error = idempotency.once("order-3", b"pay 1000", counted(&runs, "stolen")).await.unwrap_err();
    assert!(matches!(&error, OnceError::PayloadMismatch { key } if key == "order-3"), "{error:?}");
    assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.to_string().contains("send a new key"), "{error}");
    assert_eq!(error.into_response().status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn keys_expire_after_the_retention() {
    let (_dir, store) = store("idem-retention");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let runs = Arc::new(AtomicUsize::new(0));

    idempotency.once("order-4", b"pay", counted(&runs, "first")).await.unwrap();
    clock.advance(Duration::from_secs(3599));
    let kept = idempotency.once("order-4", b"pay", counted(&runs, "second")).await.unwrap();
    assert_eq!(kept, Outcome::Replayed(Bytes::from_static(b"first")));

    clock.advance(Duration::from_secs(1));
    let forgotten = idempotency.once("order-4", b"pay", counted(&runs, "second")).await.unwrap();
    assert_eq!(forgotten, Outcome::Ran(Bytes::from_static(b"second")));
    // Forgotten means forgotten: another payload is no longer a mismatch either.
    clock.advance(Duration::from_secs(3600));
    let reused = idempotency.once("order-4", b"other", counted(&runs, "third")).await.unwrap();
    assert_eq!(reused, Outcome::Ran(Bytes::from_static(b"third")));
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_dead_claim_answers_409_until_its_lease_passes() {
    let (_dir, store) = store("idem-lease");
    let clock = ManualClock::new(SystemTime::now());
    let runs = Arc::new(AtomicUsize::new(0));

    // "Another process" claims the key, starts its effect, and dies: its runtime goes away
    // and its future is never dropped, so nothing renews or releases the claim.
    {
        let (store, clock, runs) = (store.clone(), clock.clone(), runs.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let dead = kernel(&store, &clock);
                let (started, has_started) = oneshot::channel();
                let mut claim = Box::pin(dead.once("order-5", b"pay", || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    let _ = started.send(());
                    std::future::pending::<Result<Vec<u8>>>().await
                }));
                tokio::select! {
                    _ = &mut claim => unreachable!("the effect never finishes"),
                    _ = has_started => {}
                }
                std::mem::forget(claim);
            });
        })
        .join()
        .unwrap();
    }

    let idempotency = kernel(&store, &clock);
    let busy = idempotency.once("order-5", b"pay", counted(&runs, "retried")).await.unwrap_err();
    assert!(matches!(busy, OnceError::InFlight { .. }), "{busy:?}");
    assert_eq!(busy.status(), StatusCode::CONFLICT);
    let response = busy.into_response();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(response.headers()["retry-after"], "1");

    clock.advance(Duration::from_secs(29));
    let still = idempotency.once("order-5", b"pay", counted(&runs, "retried")).await;
    assert!(matches!(still, Err(OnceError::InFlight { .. })), "{still:?}");

    clock.advance(Duration::from_secs(1));
    let taken_over = idempotency.once("order-5", b"pay", counted(&runs, "retried")).await.unwrap();
    assert_eq!(taken_over, Outcome::Ran(Bytes::from_static(b"retried")));
    // The dead process's effect started, and the new caller's ran: exactly two runs.
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_effect_stores_nothing_and_the_next_call_runs() {
    let (_dir, store) = store("idem-failed");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let runs = Arc::new(AtomicUsize::new(0));

    let failed = idempotency
        .once("order-6", b"pay", || async { Err(Error::internal("the card network is down")) })
        .await
        .unwrap_err();
    assert!(matches!(&failed, OnceError::Failed(error) if error.kind() == ErrorKind::Internal), "{failed:?}");
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let retried = idempotency.once("order-6", b"pay", counted(&runs, "paid")).await.unwrap();
    assert_eq!(retried, Outcome::Ran(Bytes::from_static(b"paid")));
}

#[tokio::test]
async fn write_once_commits_the_effect_and_the_key_together() {
    let (_dir, store) = store("idem-write-once");
    let clock = ManualClock::new(SystemTime::now());
    let idempotency = kernel(&store, &clock);
    let insert = |text: &'static str| {
        move |tx: &orion::store::Tx<'_>| {
            tx.execute("INSERT INTO notes (text) VALUES (?1)", [text])?;
            Ok(text.as_bytes().to_vec())
        }
    };

    assert_eq!(
        idempotency.write_once("note-1", b"a", insert("a")).await.unwrap(),
        Outcome::Ran(Bytes::from_static(b"a"))
    );
    assert_eq!(
        idempotency.write_once("note-1", b"a", insert("again")).await.unwrap(),
        Outcome::Replayed(Bytes::from_static(b"a"))
    );
    assert!(matches!(
        idempotency.write_once("note-1", b"b", insert("b")).await,
        Err(OnceError::PayloadMismatch { .. })
    ));
    // `once` and `write_once` share the keys.
    assert_eq!(
        idempotency.once("note-1", b"a", || async { Ok(b"unused".to_vec()) }).await.unwrap(),
        Outcome::Replayed(Bytes::from_static(b"a"))
    );

    // An effect that fails rolls back its writes and the claim: the key is still free.
    let failed = idempotency
        .write_once("note-2", b"c", |tx| {
            tx.execute("INSERT INTO notes (text) VALUES ('half-done')", ())?;
            Err(Error::internal("validation failed after the insert"))
        })
        .await;
    assert!(matches!(failed, Err(OnceError::Failed(_))), "{failed:?}");
    assert_eq!(
        idempotency.write_once("note-2", b"c", insert("c")).await.unwrap(),
        Outcome::Ran(Bytes::from_static(b"c"))
    );
    assert_eq!(notes(&store), ["a", "c"]);
}

// ---- commands over HTTP ----

/// A page whose commands write notes; `/slow` waits for a publish of `go` before writing.
struct Notes;

impl Resource for Notes {
    const PATH: &'static str = "/";

    fn regions() -> Vec<RegionDef> {
        Vec::new()
    }

    fn commands() -> Vec<CommandRoute> {
        vec![
            CommandRoute::new(
                Method::POST,
                "/notes",
                |request: CommandRequest| async move { add(request, false).await },
            ),
            CommandRoute::new(Method::POST, "/slow", |request: CommandRequest| async move { add(request, true).await }),
            CommandRoute::new(Method::POST, "/flaky", |request: CommandRequest| async move { flaky(request).await }),
        ]
    }

    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("notes"))
    }
}

async fn add(request: CommandRequest, slow: bool) -> Result<Reply> {
    let signals = request.signals()?;
    let text = signals.get("text").and_then(|text| text.as_str()).unwrap_or_default().to_owned();
    let ctx = request.ctx();
    if slow {
        let mut go = ctx.bus.subscribe(&["go"]);
        ctx.bus.publish("entered");
        go.changed().await;
    }
    let count = ctx
        .store
        .write(move |tx| {
            tx.execute("INSERT INTO notes (text) VALUES (?1)", [&text])?;
            Ok(tx.query_one::<(i64,)>("SELECT count(*) FROM notes", ())?.map_or(0, |(n,)| n))
        })
        .await?;
    Ok(Reply::new().signals(serde_json::json!({ "notes": count })).toast("saved"))
}

/// Fails with a server error on its first run (after writing), succeeds afterwards.
async fn flaky(request: CommandRequest) -> Result<Reply> {
    let ctx = request.ctx();
    let runs = ctx
        .store
        .write(|tx| {
            tx.execute("INSERT INTO notes (text) VALUES ('attempt')", ())?;
            Ok(tx.query_one::<(i64,)>("SELECT count(*) FROM notes", ())?.map_or(0, |(n,)| n))
        })
        .await?;
    if runs == 1 {
        return Err(Error::internal("the first attempt fails"));
    }
    Ok(Reply::new().signals(serde_json::json!({ "attempts": runs })))
}

struct NotesApp {
    server: TestServer,
    client: Client,
}

impl NotesApp {
    async fn start(store: &Store, idempotency: Option<&Idempotency>) -> NotesApp {
        let mut app = App::new(store).routes(Routes::new().resource(Notes));
        if let Some(idempotency) = idempotency {
            app = app.idempotency(idempotency);
        }
        NotesApp { server: TestServer::start(app.router()).await, client: Client::new() }
    }

    async fn post(&self, path: &str, key: Option<&str>, text: &str) -> TestResponse {
        self.post_as(path, key, text, None).await
    }

    /// A POST carrying `cookie` (another user's session, say).
    async fn post_as(&self, path: &str, key: Option<&str>, text: &str, cookie: Option<&str>) -> TestResponse {
        let body = serde_json::json!({ "text": text }).to_string();
        let mut request = http::Request::builder()
            .method(Method::POST)
            .uri(self.server.url(path))
            .header("datastar-request", "true")
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.client.send(request.body(Bytes::from(body)).unwrap()).await
    }
}

fn is_replay(response: &TestResponse) -> bool {
    response.header("idempotent-replayed") == Some("true")
}

#[tokio::test]
async fn a_command_with_an_idempotency_key_runs_once_and_replays_its_response() {
    let (_dir, store) = store("idem-command-replay");
    let idempotency = Idempotency::new(&store, IdempotencyOptions::default()).unwrap();
    let app = NotesApp::start(&store, Some(&idempotency)).await;

    let first = app.post("/notes", Some("key-1"), "milk").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert!(first.text().contains(r#""notes":1"#), "{}", first.text());
    assert!(!is_replay(&first));
    for _ in 0..2 {
        let repeat = app.post("/notes", Some("key-1"), "milk").await;
        assert_eq!((repeat.status, repeat.text()), (first.status, first.text()));
        assert_eq!(repeat.header("content-type"), Some("text/event-stream"));
        assert_eq!(repeat.header("cache-control"), Some("no-store"));
        assert!(is_replay(&repeat));
    }
    // Another key is another request.
    let second = app.post("/notes", Some("key-2"), "milk").await;
    assert!(second.text().contains(r#""notes":2"#), "{}", second.text());
    assert_eq!(notes(&store), ["milk", "milk"]);
    app.server.stop().await;
}

#[tokio::test]
async fn a_command_key_reused_for_another_request_is_a_422() {
    let (_dir, store) = store("idem-command-422");
    let idempotency = Idempotency::new(&store, IdempotencyOptions::default()).unwrap();
    let app = NotesApp::start(&store, Some(&idempotency)).await;

    assert_eq!(app.post("/notes", Some("key-1"), "milk").await.status, StatusCode::OK);
    let other_body = app.post("/notes", Some("key-1"), "eggs").await;
    assert_eq!(other_body.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other_body.text());
    assert!(other_body.text().contains("idempotency key `command:key-1`"), "{}", other_body.text());
    let other_command = app.post("/slow", Some("key-1"), "milk").await;
    assert_eq!(other_command.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another user sending the same key and body never gets the first user's response.
    let other_user = app.post_as("/notes", Some("key-1"), "milk", Some("session=someone-else")).await;
    assert_eq!(other_user.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_key = app.post("/notes", Some(&"k".repeat(256)), "milk").await;
    assert_eq!(bad_key.status, StatusCode::BAD_REQUEST);
    assert!(bad_key.text().contains("`Idempotency-Key`"), "{}", bad_key.text());
    assert_eq!(notes(&store), ["milk"]);
    app.server.stop().await;
}

#[tokio::test]
async fn a_command_key_held_by_another_process_is_a_409_then_a_replay() {
    // Two "processes": two stores on one file, each app with its own kernel.
    let (dir, store) = store("idem-command-409");
    let other_store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    let here = NotesApp::start(&store, Some(&Idempotency::new(&store, IdempotencyOptions::default()).unwrap())).await;
    let there =
        NotesApp::start(&other_store, Some(&Idempotency::new(&other_store, IdempotencyOptions::default()).unwrap()))
            .await;

    let mut entered = store.bus().subscribe(&["entered"]);
    let first = {
        let (client, url) = (here.client.clone(), here.server.url("/slow"));
        tokio::spawn(async move {
            let request = http::Request::builder()
                .method(Method::POST)
                .uri(url)
                .header("content-type", "application/json")
                .header("idempotency-key", "pay-1")
                .body(Bytes::from_static(br#"{"text":"paid"}"#))
                .unwrap();
            client.send(request).await
        })
    };
    entered.changed().await;

    let conflict = there.post("/slow", Some("pay-1"), "paid").await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.text());
    assert_eq!(conflict.header("retry-after"), Some("1"));
    assert!(conflict.text().contains("still in progress"), "{}", conflict.text());

    store.bus().publish("go");
    let first = first.await.unwrap();
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let retry = there.post("/slow", Some("pay-1"), "paid").await;
    assert_eq!((retry.status, retry.text()), (first.status, first.text()));
    assert!(is_replay(&retry));
    assert_eq!(notes(&store), ["paid"]);
    here.server.stop().await;
    there.server.stop().await;
}

#[tokio::test]
async fn a_command_that_fails_with_a_server_error_stores_nothing() {
    let (_dir, store) = store("idem-command-500");
    let idempotency = Idempotency::new(&store, IdempotencyOptions::default()).unwrap();
    let app = NotesApp::start(&store, Some(&idempotency)).await;

    let failed = app.post("/flaky", Some("key-1"), "").await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    let retried = app.post("/flaky", Some("key-1"), "").await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.text());
    assert!(!is_replay(&retried));
    let replayed = app.post("/flaky", Some("key-1"), "").await;
    assert_eq!(replayed.text(), retried.text());
    assert!(is_replay(&replayed));
    assert_eq!(notes(&store).len(), 2);
    app.server.stop().await;
}

#[tokio::test]
async fn without_the_opt_in_the_header_is_ignored() {
    let (_dir, store) = store("idem-command-off");
    let app = NotesApp::start(&store, None).await;
    for _ in 0..2 {
        let response = app.post("/notes", Some("key-1"), "milk").await;
        assert_eq!(response.status, StatusCode::OK);
        assert!(!is_replay(&response));
    }
    // Even a key the kernel would refuse is ignored.
    assert_eq!(app.post("/notes", Some(""), "milk").await.status, StatusCode::OK);
    assert_eq!(notes(&store).len(), 3);
    app.server.stop().await;
}
