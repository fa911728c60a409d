//! The live loop over real HTTP: a page's stream, shared renders, the dirty check, coalescing,
//! brotli, and shutdown.

use std::sync::atomic::{AtomicUsize, Ordering};

use http::StatusCode;
use maud::html;
use orion::datastar::client::DatastarClient;
use orion::region::stream::{Pacing, StreamOptions};
use orion::testing::{Client, StreamEnd, TestServer};
use orion::{App, Ctx, Document, Html, Page, Result, Routes, region, resource};
use serde_json::json;

use crate::counter::{Fixture, TOPIC, bump};

/// How many times [`Tally`]'s model was read. Only one test uses it: tests of this binary run
/// concurrently, so a counter shared with other tests would count their reads too.
static TALLY_READS: AtomicUsize = AtomicUsize::new(0);

/// The counter, as a region whose model reads are counted.
#[derive(Debug)]
struct Tally;

#[region(topics = [TOPIC])]
impl Tally {
    fn model(ctx: &Ctx) -> Result<i64> {
        TALLY_READS.fetch_add(1, Ordering::SeqCst);
        Ok(ctx.store.query_one("SELECT n FROM counter", ())?.map_or(0, |(n,)| n))
    }

    fn view(n: &i64) -> Html {
        html! { p { "count=" (n) } }
    }
}

#[derive(Debug)]
struct TallyPage;

#[resource("/", regions = [Tally], commands = [bump])]
impl TallyPage {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("tally").body(html! { (page.region(Tally)) }))
    }
}

fn count(elements: &str) -> Option<i64> {
    elements.split("count=").nth(1)?.split('<').next()?.parse().ok()
}

#[tokio::test]
async fn a_stream_starts_with_the_full_render_and_follows_every_change() {
    let fixture = Fixture::new("live-follow");
    let server = TestServer::start(fixture.app().router()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    assert_eq!(stream.status, StatusCode::OK);
    assert_eq!(stream.headers.get("content-type").unwrap(), "text/event-stream");
    let first = stream.wait_for(|e| e.event == "datastar-patch-elements").await;
    assert_eq!(first.elements(), "<div id=\"count\"><p>count=0</p></div>");
    for expected in 1..=3 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        stream.wait_for(|e| count(&e.elements()) == Some(expected)).await;
    }
}

#[tokio::test]
async fn a_publish_that_changes_nothing_sends_nothing() {
    let fixture = Fixture::new("live-dirty");
    let server = TestServer::start(fixture.app().router()).await;
    let client = Client::new();
    let mut stream = client.stream(&server.url("/"), false).await;
    stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
    client.post_json(&server.url("/touch"), &json!({})).await;
    client.post_json(&server.url("/touch"), &json!({})).await;
    client.post_json(&server.url("/bump"), &json!({})).await;
    // The next frame is the bump's: the touches re-read an unchanged model and sent nothing.
    let next = stream.next_event().await.unwrap();
    assert_eq!(count(&next.elements()), Some(1), "unexpected frame: {next}");
}

#[tokio::test]
async fn viewers_of_one_region_instance_share_one_model_read_and_the_same_bytes() {
    let fixture = Fixture::new("live-shared");
    let app = App::new(&fixture.store)
        .routes(Routes::new().resource(TallyPage))
        .datastar(DatastarClient::cdn())
        .streams(StreamOptions { pacing: Pacing::Fixed(std::time::Duration::ZERO), ..StreamOptions::default() });
    let server = TestServer::start(app.router()).await;
    let client = Client::new();
    let mut viewers = Vec::new();
    for _ in 0..5 {
        let mut stream = client.stream(&server.url("/"), false).await;
        stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
        viewers.push(stream);
    }
    let reads_before = TALLY_READS.load(Ordering::SeqCst);
    client.post_json(&server.url("/bump"), &json!({})).await;
    let mut frames = Vec::new();
    for viewer in &mut viewers {
        frames.push(viewer.wait_for(|e| count(&e.elements()) == Some(1)).await);
    }
    assert!(frames.windows(2).all(|w| w[0] == w[1]), "every viewer got the same frame");
    let reads = TALLY_READS.load(Ordering::SeqCst) - reads_before;
    assert_eq!(reads, 1, "5 viewers, one publish: one model read");
}

#[tokio::test]
async fn a_viewer_that_does_not_read_gets_the_newest_frame_not_a_backlog() {
    use http_body_util::BodyExt;
    let fixture = Fixture::new("live-coalesce");
    let router = fixture.app().router();
    let server = TestServer::start(router.clone()).await;
    let client = Client::new();
    // A viewer whose body nobody polls: the connection is not ready for more.
    let stream = http::Request::get("/")
        .header("datastar-request", "true")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let mut slow = router.handle(stream).await.into_body();
    let first = slow.frame().await.unwrap().unwrap().into_data().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("count=0<"));
    let bumps = 40;
    for _ in 0..bumps {
        client.post_json(&server.url("/bump"), &json!({})).await;
    }
    // Another viewer confirms the region instance has rendered the final state.
    let mut watcher = client.stream(&server.url("/"), false).await;
    watcher.wait_for(|e| count(&e.elements()) == Some(bumps)).await;
    // The slow viewer's next frame is that state: the 40 renders in between coalesced.
    let next = slow.frame().await.unwrap().unwrap().into_data().unwrap();
    let next = String::from_utf8_lossy(&next);
    assert_eq!(next.matches("event: datastar-patch-elements").count(), 1, "{next}");
    assert!(next.contains(&format!("count={bumps}<")), "{next}");
}

#[tokio::test]
async fn brotli_streams_decode_frame_by_frame_and_compress_repeated_renders() {
    let fixture = Fixture::new("live-brotli");
    let server = TestServer::start(fixture.app().router()).await;
    let client = Client::new();
    let mut plain = client.stream(&server.url("/"), false).await;
    let mut brotli = client.stream(&server.url("/"), true).await;
    assert_eq!(brotli.headers.get("content-encoding").unwrap(), "br");
    assert!(plain.headers.get("content-encoding").is_none());
    brotli.wait_for(|e| count(&e.elements()) == Some(0)).await;
    plain.wait_for(|e| count(&e.elements()) == Some(0)).await;
    for expected in 1..=30 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        // Every flushed frame decodes whole: the reader sees each change as it happens.
        let compressed = brotli.wait_for(|e| count(&e.elements()) == Some(expected)).await;
        let uncompressed = plain.wait_for(|e| count(&e.elements()) == Some(expected)).await;
        assert_eq!(compressed, uncompressed);
    }
    let (wire, decoded) = brotli.bytes();
    assert!(decoded > 5 * wire, "repeated renders should compress well: {wire} bytes on the wire for {decoded}");
}

#[tokio::test]
async fn shutdown_aborts_streams_instead_of_finishing_them() {
    let fixture = Fixture::new("live-shutdown");
    let server = TestServer::start(fixture.app().router()).await;
    let mut stream = Client::new().stream(&server.url("/"), false).await;
    stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
    server.stop().await;
    // Datastar retries only after an error, so the stream must not end cleanly.
    assert!(matches!(stream.wait_for_end().await, StreamEnd::Aborted(_)));
}

#[tokio::test]
async fn a_stream_is_authorised_like_its_page_and_unknown_pages_have_no_stream() {
    let fixture = Fixture::new("live-404");
    let server = TestServer::start(fixture.app().router()).await;
    let stream = Client::new().stream(&server.url("/nope"), false).await;
    assert_eq!(stream.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_silent_stream_sends_keep_alive_comments() {
    let fixture = Fixture::new("live-keepalive");
    let options = orion::region::stream::StreamOptions {
        keep_alive: std::time::Duration::from_millis(50),
        ..orion::region::stream::StreamOptions::default()
    };
    let router = fixture.app().streams(options).router();
    let server = TestServer::start(router.clone()).await;
    let mut stream = Client::new().stream(&server.url("/"), false).await;
    stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
    // Comments are not events: the next event still is the next change, but the stream's bytes
    // (counted on the server) grow while nothing changes.
    let before = router.stream_stats()[0].plain_bytes;
    let grown = tokio::time::timeout(orion::testing::WAIT, async {
        loop {
            if router.stream_stats()[0].frames >= 3 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await; // tidy: sleep-ok the server's counters have no change notification
        }
    })
    .await;
    assert!(grown.is_ok(), "no keep-alive within the wait");
    assert!(router.stream_stats()[0].plain_bytes > before);
}

#[tokio::test]
async fn a_disconnected_viewer_frees_its_stream_and_region_instances() {
    let fixture = Fixture::new("live-freed");
    let options = orion::region::stream::StreamOptions {
        keep_alive: std::time::Duration::from_millis(50),
        ..orion::region::stream::StreamOptions::default()
    };
    let router = fixture.app().streams(options).router();
    let server = TestServer::start(router.clone()).await;
    let mut stream = Client::new().stream(&server.url("/"), true).await;
    stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
    let live = router.live_stats();
    assert_eq!((live.viewers, live.instances, live.encoders), (1, 1, 1));
    drop(stream);
    // The server notices the closed connection at its next write (a keep-alive at the latest).
    let freed = tokio::time::timeout(orion::testing::WAIT, async {
        loop {
            let live = router.live_stats();
            if (live.viewers, live.instances, live.encoders) == (0, 0, 0) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await; // tidy: sleep-ok a closed connection has no notification here
        }
    })
    .await;
    assert!(freed.is_ok(), "still live after the viewer left: {:?}", router.live_stats());
    assert_eq!(fixture.store.bus().subscribers(crate::counter::TOPIC), 0, "the instance's subscription ended");
}
