//! The export slice: the command enqueues a job in its own transaction, and every viewer of
//! `/exports` watches the job's `<progress>` move to 100% on the live stream, then the CSV.

use http::StatusCode;
use orion::jobs::{self, JobId, State};
use orion::testing::WAIT;
use serde_json::json;

use crate::support::App;

/// The percentage an event's export shows, if it shows one.
fn percent(elements: &str) -> Option<u64> {
    let rest = elements.split("class=\"percent\">").nth(1)?;
    rest.split('%').next()?.parse().ok()
}

#[tokio::test]
async fn exporting_runs_a_job_whose_progress_every_viewer_watches_reach_100_percent() {
    let app = App::start("export").await;
    let runner = todos::jobs(&app.store).start().unwrap();
    app.post("/todos", json!({"title": "buy milk"})).await;
    app.post("/todos", json!({"title": "say \"hi\", then leave"})).await;

    let page = app.client.get(&app.url("/exports")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("No exports yet."), "{}", page.text());
    let mut alice = app.client.stream(&app.url("/exports"), true).await;
    let mut bob = app.client.stream(&app.url("/exports"), true).await;
    for viewer in [&mut alice, &mut bob] {
        viewer.wait_for(|e| e.elements().contains("No exports yet.")).await;
    }

    let reply = app.post("/exports", json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "the command answers the requester only: {}", reply.text());
    // Committed with the export row, in the command's transaction.
    let (export, job): (i64, JobId) = app.store.query_one("SELECT id, job FROM exports", ()).unwrap().unwrap();

    for viewer in [&mut alice, &mut bob] {
        let mut seen = Vec::new();
        tokio::time::timeout(WAIT, async {
            while seen.last() != Some(&100) {
                let event = viewer.next_event().await.expect("the stream ended");
                if let Some(percent) = percent(&event.elements()) {
                    seen.push(percent);
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("the bar did not reach 100% within {WAIT:?}; seen {seen:?}"));
        assert!(seen.windows(2).all(|pair| pair[0] <= pair[1]), "the bar only moves forward: {seen:?}");
        assert!(seen.iter().any(|p| (1..100).contains(p)), "the bar moved live, not only at the end: {seen:?}");
        let done = viewer.wait_for(|e| e.elements().contains("<pre>")).await.elements();
        assert!(done.contains("2 todos"), "{done}");
        assert!(done.contains(r#"1,&quot;buy milk&quot;,no"#), "{done}");
        assert!(done.contains(r#"2,&quot;say &quot;&quot;hi&quot;&quot;, then leave&quot;,no"#), "{done}");
    }
    runner.stop().await.unwrap();

    let record = jobs::get(&app.store, job).unwrap().unwrap();
    assert_eq!((record.kind.as_str(), record.payload.as_str()), ("export.build", export.to_string().as_str()));
    assert_eq!((record.state, record.attempts, record.progress.percent()), (State::Done, 1, 100));
    let (csv,): (String,) = app.store.query_one("SELECT csv FROM exports WHERE id = ?1", [export]).unwrap().unwrap();
    assert_eq!(csv, "id,title,done\n1,\"buy milk\",no\n2,\"say \"\"hi\"\", then leave\",no\n");
}

#[tokio::test]
async fn retrying_an_export_that_did_not_fail_says_so_to_the_requester_only() {
    let app = App::start("export-retry").await;
    let reply = app.post("/exports/7/retry", json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("That export is not waiting for a retry."), "{}", reply.text());
}
