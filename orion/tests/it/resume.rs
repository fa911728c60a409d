//! Resumable streams over real HTTP: region events carry the commit sequence as their SSE `id`,
//! and a reconnect with `Last-Event-ID` renders only the regions whose topics changed since —
//! after a restart too, plain or brotli.

use std::sync::Arc;

use bytes::Bytes;
use http::Method;
use http_body_util::BodyExt;
use maud::html;
use orion::datastar::client::DatastarClient;
use orion::region::stream::{Pacing, StreamOptions};
use orion::store::{Migration, Seq};
use orion::testing::{Client, EventStream, SseEvent, TestServer};
use orion::{App, Bus, Ctx, Document, Html, Page, Reply, Result, Router, Routes, Store, command, region, resource};
use serde_json::json;

use crate::support::TempDir;

const MIGRATIONS: &[Migration] = &[Migration {
    name: "20261122110000_sides.sql",
    sql: "CREATE TABLE sides (name TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
          INSERT INTO sides (name, n) VALUES ('left', 0), ('right', 0);",
}];

fn side(ctx: &Ctx, name: &str) -> Result<i64> {
    Ok(ctx.store.query_one("SELECT n FROM sides WHERE name = ?1", [name])?.map_or(0, |(n,)| n))
}

async fn bump(ctx: &Ctx, name: &'static str) -> Result<Reply> {
    ctx.store
        .write(move |tx| {
            tx.execute("UPDATE sides SET n = n + 1 WHERE name = ?1", [name])?;
            tx.publish(name);
            Ok(())
        })
        .await?;
    Ok(Reply::new())
}

#[derive(Debug)]
struct Left;

#[region(topics = ["left"])]
impl Left {
    fn model(ctx: &Ctx) -> Result<i64> {
        side(ctx, "left")
    }

    fn view(n: &i64) -> Html {
        html! { p { "left=" (n) } }
    }
}

#[derive(Debug)]
struct Right;

#[region(topics = ["right"])]
impl Right {
    fn model(ctx: &Ctx) -> Result<i64> {
        side(ctx, "right")
    }

    fn view(n: &i64) -> Html {
        html! { p { "right=" (n) } }
    }
}

#[command("/left")]
async fn left(ctx: Ctx) -> Result<Reply> {
    bump(&ctx, "left").await
}

#[command("/right")]
async fn right(ctx: Ctx) -> Result<Reply> {
    bump(&ctx, "right").await
}

#[derive(Debug)]
struct Sides;

#[resource("/", regions = [Left, Right], commands = [left, right])]
impl Sides {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("sides").body(html! { (page.region(Left)) (page.region(Right)) }))
    }
}

/// The two-region app over a store in `dir`.
struct Sided {
    dir: Arc<TempDir>,
    store: Store,
    router: Router,
}

impl Sided {
    fn new(label: &str) -> Sided {
        let app = Sided::open(Arc::new(TempDir::new(label)));
        // Until a commit publishes a topic, whether it changed cannot be told (it may be
        // published outside commits), so its regions are always re-rendered: publish both once.
        app.store.transaction(|tx| Ok(["left", "right"].map(|topic| tx.publish(topic)))).unwrap();
        app
    }

    /// Opens the store in `dir` and builds the app: what a restarted process does.
    fn open(dir: Arc<TempDir>) -> Sided {
        let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
        store.migrate(MIGRATIONS).unwrap();
        let router = App::new(&store)
            .routes(Routes::new().resource(Sides))
            .datastar(DatastarClient::cdn())
            .streams(StreamOptions { pacing: Pacing::Fixed(std::time::Duration::ZERO), ..StreamOptions::default() })
            .router();
        Sided { dir, store, router }
    }
}

fn shows(event: &SseEvent, text: &str) -> bool {
    event.elements().contains(&format!("{text}<"))
}

/// A stream request, as Datastar sends it when it reconnects with `last_event_id`.
fn stream_request(url: &str, last_event_id: Option<&str>, brotli: bool) -> http::Request<Bytes> {
    let mut request = http::Request::builder().method(Method::GET).uri(url).header("datastar-request", "true");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    if brotli {
        request = request.header("accept-encoding", "br");
    }
    request.body(Bytes::new()).unwrap()
}

async fn reconnect(client: &Client, url: &str, last_event_id: &str, brotli: bool) -> EventStream {
    client.stream_request(stream_request(url, Some(last_event_id), brotli)).await
}

/// Reads a new stream's first frames (one per region) and returns the id it ended on.
async fn first_render(stream: &mut EventStream) -> String {
    let first = stream.wait_for(|e| e.event == "datastar-patch-elements").await;
    let second = stream.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert!(shows(&first, "left=0") || shows(&first, "right=0"), "{first}");
    assert!(shows(&second, "left=0") || shows(&second, "right=0"), "{second}");
    assert_eq!(first.id, None, "the first frame cannot vouch for the region not sent yet");
    second.id.expect("the page's first id comes with its last first frame")
}

/// The raw bytes of the first body frame of a stream opened in-process.
async fn first_bytes(router: &Router, last_event_id: &str) -> (String, orion::http::Body) {
    let request = http::Request::get("/")
        .header("datastar-request", "true")
        .header("last-event-id", last_event_id)
        .body(http_body_util::Empty::<Bytes>::new())
        .unwrap();
    let mut body = router.handle(request).await.into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    (String::from_utf8_lossy(&first).into_owned(), body)
}

#[tokio::test]
async fn region_events_carry_the_commit_sequence_as_their_id() {
    let app = Sided::new("resume-ids");
    let server = TestServer::start(app.router.clone()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    assert_eq!(first_render(&mut stream).await, app.store.seq().to_string());
    client.post_json(&server.url("/left"), &json!({})).await;
    let next = stream.wait_for(|e| shows(e, "left=1")).await;
    assert_eq!(next.id, Some(app.store.seq().to_string()));
}

#[tokio::test]
async fn a_reconnect_renders_only_the_regions_that_changed_since_its_last_event_id() {
    let app = Sided::new("resume-changed");
    let server = TestServer::start(app.router.clone()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    let last = first_render(&mut stream).await;
    drop(stream);
    client.post_json(&server.url("/left"), &json!({})).await;

    let mut resumed = reconnect(&client, &server.url("/"), &last, false).await;
    let first = resumed.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert!(shows(&first, "left=1"), "{first}");
    assert_eq!(first.id, Some(app.store.seq().to_string()));
    client.post_json(&server.url("/right"), &json!({})).await;
    let next = resumed.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert!(shows(&next, "right=1"), "the unchanged region was not re-sent before its change: {next}");
}

#[tokio::test]
async fn a_reconnect_when_nothing_changed_gets_a_comment_and_no_render() {
    let app = Sided::new("resume-nothing");
    let server = TestServer::start(app.router.clone()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    let last = first_render(&mut stream).await;

    let (first, mut body) = first_bytes(&app.router, &last).await;
    assert_eq!(first, ": resumed; unchanged: left, right\n\n");
    client.post_json(&server.url("/left"), &json!({})).await;
    let next = body.frame().await.unwrap().unwrap().into_data().unwrap();
    let next = String::from_utf8_lossy(&next);
    assert!(next.contains("left=1<"), "{next}");
    assert!(next.contains(&format!("\nid: {}\n", app.store.seq())), "{next}");
}

#[tokio::test]
async fn a_reconnect_after_a_restart_renders_only_what_changed_meanwhile() {
    let before = Sided::new("resume-restart");
    let server = TestServer::start(before.router.clone()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    let last = first_render(&mut stream).await;
    server.stop().await;
    before.store.close().unwrap();
    let dir = before.dir.clone();
    drop(before);

    // A new process: the store reopened, a write while no one watched, a new hub.
    let after = Sided::open(dir);
    after
        .store
        .transaction(|tx| {
            tx.execute("UPDATE sides SET n = 5 WHERE name = 'right'", ())?;
            tx.publish("right");
            Ok(())
        })
        .unwrap();
    let server = TestServer::start(after.router.clone()).await;
    let mut resumed = reconnect(&client, &server.url("/"), &last, false).await;
    let first = resumed.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert!(shows(&first, "right=5"), "{first}");
    client.post_json(&server.url("/left"), &json!({})).await;
    let next = resumed.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert!(shows(&next, "left=1"), "left was unchanged, so not re-sent: {next}");
}

#[tokio::test]
async fn an_id_this_database_never_reached_or_not_a_number_gets_every_region() {
    let app = Sided::new("resume-unknown");
    let server = TestServer::start(app.router.clone()).await;
    let client = Client::new();
    let future = Seq::new(app.store.seq().get() + 1000).to_string();
    for last in [future.as_str(), "not-a-number", ""] {
        let mut stream = reconnect(&client, &server.url("/"), last, false).await;
        first_render(&mut stream).await;
    }
}

#[tokio::test]
async fn resuming_brotli_viewers_share_a_cohort_of_their_own() {
    let app = Sided::new("resume-cohorts");
    let server = TestServer::start(app.router.clone()).await;
    let client = Client::new();
    let mut fresh = client.stream(&server.url("/"), true).await;
    assert_eq!(fresh.headers.get("content-encoding").unwrap(), "br");
    let last = first_render(&mut fresh).await;
    client.post_json(&server.url("/left"), &json!({})).await;
    fresh.wait_for(|e| shows(e, "left=1")).await;

    let mut resumed = Vec::new();
    for _ in 0..3 {
        let mut stream = reconnect(&client, &server.url("/"), &last, true).await;
        assert_eq!(stream.headers.get("content-encoding").unwrap(), "br");
        let first = stream.wait_for(|e| e.event == "datastar-patch-elements").await;
        assert!(shows(&first, "left=1"), "{first}");
        resumed.push(stream);
    }
    assert_eq!(app.router.live_stats().encoders, 2, "one cohort of new viewers, one of resumed ones");
    // A new viewer still joins the new viewers' cohort and gets every region.
    let mut late = client.stream(&server.url("/"), true).await;
    late.wait_for(|e| shows(e, "right=0")).await;
    late.wait_for(|e| shows(e, "left=1")).await;
    assert_eq!(app.router.live_stats().encoders, 2);

    client.post_json(&server.url("/right"), &json!({})).await;
    for stream in resumed.iter_mut().chain([&mut fresh, &mut late]) {
        let next = stream.wait_for(|e| e.event == "datastar-patch-elements").await;
        assert!(shows(&next, "right=1"), "{next}");
        assert_eq!(next.id, Some(app.store.seq().to_string()));
    }
    let wire: Vec<usize> = resumed.iter().map(|s| s.bytes().0).collect();
    assert!(wire.windows(2).all(|w| w[0] == w[1]), "resumed members receive identical bytes: {wire:?}");
}
