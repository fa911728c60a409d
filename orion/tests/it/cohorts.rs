//! Cohort-shared compression: viewers that received the same bytes share one encoder, the
//! number of encoders is capped, and a member too far behind is disconnected to reconnect.

use http::StatusCode;
use orion::region::stream::StreamOptions;
use orion::testing::{Client, StreamEnd, TestServer};
use serde_json::json;

use crate::counter::Fixture;

fn count(elements: &str) -> Option<i64> {
    elements.split("count=").nth(1)?.split('<').next()?.parse().ok()
}

fn options(change: impl FnOnce(&mut StreamOptions)) -> StreamOptions {
    let mut options = StreamOptions {
        pacing: orion::region::stream::Pacing::Fixed(std::time::Duration::ZERO),
        ..StreamOptions::default()
    };
    change(&mut options);
    options
}

#[tokio::test]
async fn viewers_that_joined_together_share_one_encoder_and_the_same_bytes() {
    let fixture = Fixture::new("cohort-share");
    let router = fixture.app().router();
    let server = TestServer::start(router.clone()).await;
    let client = Client::new();
    let mut viewers = Vec::new();
    for _ in 0..4 {
        let mut stream = client.stream(&server.url("/"), true).await;
        assert_eq!(stream.headers.get("content-encoding").unwrap(), "br");
        stream.wait_for(|e| count(&e.elements()) == Some(0)).await;
        viewers.push(stream);
    }
    assert_eq!(router.live_stats().encoders, 1, "one cohort for four viewers");
    for expected in 1..=5 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        for viewer in &mut viewers {
            viewer.wait_for(|e| count(&e.elements()) == Some(expected)).await;
        }
    }
    let wire: Vec<usize> = viewers.iter().map(|v| v.bytes().0).collect();
    assert!(wire.windows(2).all(|w| w[0] == w[1]), "members receive identical bytes: {wire:?}");
    let stats = router.stream_stats();
    assert!(stats.iter().all(|s| s.brotli && s.wire_bytes < s.plain_bytes), "{stats:?}");
}

#[tokio::test]
async fn a_viewer_joining_after_many_frames_starts_a_new_cohort_with_a_fresh_render() {
    let fixture = Fixture::new("cohort-new");
    let router = fixture.app().router();
    let server = TestServer::start(router.clone()).await;
    let client = Client::new();
    let mut first = client.stream(&server.url("/"), true).await;
    first.wait_for(|e| count(&e.elements()) == Some(0)).await;
    for expected in 1..=20 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        first.wait_for(|e| count(&e.elements()) == Some(expected)).await;
    }
    let mut late = client.stream(&server.url("/"), true).await;
    let opening = late.wait_for(|e| count(&e.elements()).is_some()).await;
    assert_eq!(count(&opening.elements()), Some(20), "the late viewer starts at the current state");
    assert_eq!(router.live_stats().encoders, 2);
}

#[tokio::test]
async fn past_the_encoder_budget_new_viewers_get_uncompressed_streams() {
    let fixture = Fixture::new("cohort-budget");
    let router = fixture.app().streams(options(|o| o.brotli_encoders = 1)).router();
    let server = TestServer::start(router.clone()).await;
    let client = Client::new();
    let mut first = client.stream(&server.url("/"), true).await;
    first.wait_for(|e| count(&e.elements()) == Some(0)).await;
    for expected in 1..=20 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        first.wait_for(|e| count(&e.elements()) == Some(expected)).await;
    }
    let mut second = client.stream(&server.url("/"), true).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.headers.get("content-encoding").is_none(), "the budget is spent: plain stream");
    second.wait_for(|e| count(&e.elements()) == Some(20)).await;
    assert_eq!(router.live_stats().encoders, 1);
}

#[tokio::test]
async fn a_member_further_behind_than_the_log_is_disconnected_to_reconnect() {
    use http_body_util::BodyExt;
    let fixture = Fixture::new("cohort-lag");
    let router = fixture.app().streams(options(|o| o.cohort_log = 16)).router();
    let server = TestServer::start(router.clone()).await;
    let client = Client::new();
    let request = http::Request::get("/")
        .header("datastar-request", "true")
        .header("accept-encoding", "br")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let response = router.handle(request).await;
    assert_eq!(response.headers().get("content-encoding").unwrap(), "br");
    let mut slow = response.into_body();
    let mut watcher = client.stream(&server.url("/"), true).await;
    for expected in 1..=40 {
        client.post_json(&server.url("/bump"), &json!({})).await;
        watcher.wait_for(|e| count(&e.elements()) == Some(expected)).await;
    }
    // The slow member's next chunk was dropped from the log: its stream ends with an error.
    let frame = slow.frame().await.unwrap();
    assert!(frame.is_err(), "a lagging member must be disconnected, not fed a corrupt stream");
    // The watcher, in the same cohort but keeping up, is unaffected.
    client.post_json(&server.url("/bump"), &json!({})).await;
    watcher.wait_for(|e| count(&e.elements()) == Some(41)).await;
    let _ = StreamEnd::Finished;
}
