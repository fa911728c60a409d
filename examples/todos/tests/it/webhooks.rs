//! The webhooks slice: a test event to an address orion's guard refuses dies at once, every
//! viewer of `/webhooks` sees it with the reason, and its retry button sends it again; a URL
//! that cannot be delivered to at all is refused to the requester, and nothing is queued.

use http::StatusCode;
use orion::jobs::{self, State};
use orion::testing::WAIT;
use orion::webhook::outbound;
use serde_json::json;

use crate::support::App;

#[tokio::test]
async fn a_refused_test_event_shows_up_dead_with_its_reason_for_every_viewer_and_can_be_retried() {
    let app = App::start("webhooks").await;
    let runner = todos::jobs(&app.store).start().unwrap();
    let page = app.client.get(&app.url("/webhooks")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("No failed deliveries."), "{}", page.text());
    let mut alice = app.client.stream(&app.url("/webhooks"), true).await;
    let mut bob = app.client.stream(&app.url("/webhooks"), true).await;
    for viewer in [&mut alice, &mut bob] {
        viewer.wait_for(|e| e.elements().contains("No failed deliveries.")).await;
    }

    // Loopback: refused by the guard before any connection is made, so it is dead at once.
    let reply = app.post("/webhooks/test", json!({"url": "http://127.0.0.1:9/hook"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("Sent. If it fails for good, it shows up below."), "{}", reply.text());
    for viewer in [&mut alice, &mut bob] {
        let shown = viewer.wait_for(|e| e.elements().contains("refused to deliver")).await.elements();
        for part in ["todos.test", "http://127.0.0.1:9/hook", "is a loopback address", "1 attempt<", "Retry"] {
            assert!(shown.contains(part), "{part:?} in {shown}");
        }
    }
    let dead = outbound::dead(&app.store, 10).unwrap();
    assert_eq!(dead.len(), 1);
    let (job, died_at) = (dead[0].job, dead[0].died_at.unwrap());

    // The retry button re-queues it; the sender refuses it again, and it is dead once more.
    let reply = app.post(&format!("/webhooks/{job}/retry"), json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    let mut changes = app.store.bus().subscribe(&[jobs::TOPIC]);
    tokio::time::timeout(WAIT, async {
        while !jobs::get(&app.store, job)
            .unwrap()
            .is_some_and(|r| r.state == State::Dead && r.finished_at > Some(died_at))
        {
            changes.changed().await;
        }
    })
    .await
    .expect("the re-queued delivery was refused again");
    let record = jobs::get(&app.store, job).unwrap().unwrap();
    assert_eq!(record.attempts, 1, "a refusal is never retried by the runner");
    runner.stop().await.unwrap();
}

#[tokio::test]
async fn a_url_that_cannot_be_delivered_to_is_refused_to_the_requester_and_nothing_is_queued() {
    let app = App::start("webhooks-refused").await;
    let reply = app.post("/webhooks/test", json!({"url": "ftp://example.com/hook"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("uses the scheme `ftp`"), "{}", reply.text());
    let reply = app.post("/webhooks/test", json!({"url": "  "})).await;
    assert!(reply.text().contains("url"), "a blank URL is a field error: {}", reply.text());
    assert_eq!(jobs::list(&app.store, State::Queued, 10).unwrap(), []);

    let reply = app.post("/webhooks/7/retry", json!({})).await;
    assert!(reply.text().contains("That delivery is not waiting for a retry."), "{}", reply.text());
}
