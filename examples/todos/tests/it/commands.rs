//! Each command of the todos feature: what it writes, what the requester gets back, and what
//! every viewer's stream shows.

use http::StatusCode;
use serde_json::json;

use crate::support::App;

#[tokio::test]
async fn the_first_paint_is_a_complete_page_with_the_list() {
    let app = App::start("paint").await;
    app.post("/todos", json!({"title": "buy milk"})).await;
    let page = app.client.get(&app.url("/")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("buy milk"), "{html}");
    assert!(html.contains("<strong>1</strong> item left"), "{html}");
    assert!(html.contains("@get('./', {retry: 'always', retryMaxCount: Infinity})"), "{html}");
    let css = app.client.get(&app.url("/static/app.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
}

#[tokio::test]
async fn adding_resets_the_requesters_form_and_every_viewer_sees_the_todo() {
    let app = App::start("add").await;
    let mut alice = app.viewer().await;
    let mut bob = app.viewer().await;
    let reply = app.post("/todos", json!({"title": "  buy milk  "})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let events = reply.events();
    assert_eq!(events[0].event, "datastar-patch-signals");
    assert_eq!(events[0].get("signals").as_deref(), Some(r#"{"title":""}"#));
    assert_eq!(events[1].elements(), r#"<p id="add-title-error" class="field-error" role="alert"></p>"#);
    assert_eq!(app.titles(), [("buy milk".to_owned(), false)], "the title is stored trimmed");
    for viewer in [&mut alice, &mut bob] {
        viewer.wait_for(|e| e.elements().contains(">buy milk</span>")).await;
        viewer.wait_for(|e| e.elements().contains("<strong>1</strong> item left")).await;
    }
}

#[tokio::test]
async fn a_bad_title_answers_only_the_requester_and_writes_nothing() {
    let app = App::start("invalid").await;
    for (signals, message) in [
        (json!({"title": "   "}), "required"),
        (json!({}), "required"),
        (json!({"title": "x".repeat(201)}), "must be 1 to 200 characters"),
        (json!({"title": 42}), "expected a string"),
    ] {
        let reply = app.post("/todos", signals.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{signals}");
        let events = reply.events();
        assert_eq!(events.len(), 1, "{signals}: {events:?}");
        assert_eq!(
            events[0].elements(),
            format!(r#"<p id="add-title-error" class="field-error" role="alert">{message}</p>"#),
        );
    }
    assert!(app.titles().is_empty());
    // Exactly 200 characters (not bytes) is fine.
    app.post("/todos", json!({"title": "é".repeat(200)})).await;
    assert_eq!(app.titles().len(), 1);
}

#[tokio::test]
async fn malformed_signals_are_a_400_that_says_what_is_wrong() {
    let app = App::start("malformed").await;
    let request = http::Request::post(app.url("/todos"))
        .header("datastar-request", "true")
        .header("content-type", "application/json")
        .body(bytes::Bytes::from_static(b"{\"title\": "))
        .unwrap();
    let reply = app.client.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().starts_with("malformed signals: the request body is not valid JSON"), "{}", reply.text());
    assert!(app.titles().is_empty());
}

#[tokio::test]
async fn toggle_rename_delete_and_clear_reach_every_viewer() {
    let app = App::start("edit").await;
    for title in ["milk", "eggs", "bread"] {
        app.post("/todos", json!({ "title": title })).await;
    }
    let mut viewer = app.viewer().await;

    assert_eq!(app.post("/todos/1/toggle", json!({})).await.status, StatusCode::NO_CONTENT);
    viewer.wait_for(|e| e.elements().contains("<strong>2</strong> items left")).await;
    assert_eq!(app.titles()[0], ("milk".to_owned(), true));

    let reply = app.post("/todos/2/rename", json!({"draft": " free-range eggs "})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.events()[0].get("signals").as_deref(), Some(r#"{"draft":"","editing":0}"#));
    viewer.wait_for(|e| e.elements().contains(">free-range eggs</span>")).await;

    let reply = app.post("/todos/2/rename", json!({"draft": ""})).await;
    assert_eq!(
        reply.events()[0].elements(),
        r#"<p id="rename-2-draft-error" class="field-error" role="alert">required</p>"#
    );
    assert_eq!(app.titles()[1].0, "free-range eggs", "a failed rename writes nothing");

    assert_eq!(app.delete("/todos/3").await.status, StatusCode::NO_CONTENT);
    viewer.wait_for(|e| e.elements().contains("id=\"todo-list\"") && !e.elements().contains("bread")).await;

    assert_eq!(app.post("/todos/clear-completed", json!({})).await.status, StatusCode::NO_CONTENT);
    viewer.wait_for(|e| e.elements().contains("id=\"todo-list\"") && !e.elements().contains(">milk<")).await;
    assert_eq!(app.titles(), [("free-range eggs".to_owned(), false)]);
}

#[tokio::test]
async fn a_todo_deleted_meanwhile_is_a_toast_for_the_requester() {
    let app = App::start("gone").await;
    let reply = app.post("/todos/99/toggle", json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let toast = &reply.events()[0];
    assert_eq!(toast.get("selector").as_deref(), Some("#toasts"));
    assert!(toast.elements().contains("That todo was deleted meanwhile."), "{toast}");
}

#[tokio::test]
async fn a_bad_id_in_the_path_is_a_404() {
    let app = App::start("bad-id").await;
    assert_eq!(app.post("/todos/abc/toggle", json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete("/todos/1.5").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_details_fragment_renders_once_into_the_panel_for_the_requester() {
    let app = App::start("details").await;
    app.post("/todos", json!({"title": "buy <milk>"})).await;
    let mut viewer = app.viewer().await;
    let reply = app.client.datastar(http::Method::GET, &app.url("/todos/1/details"), &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    let events = reply.events();
    assert_eq!(events.len(), 1, "render once, patch, close: {events:?}");
    assert_eq!(events[0].get("selector").as_deref(), Some("#details"));
    assert_eq!(events[0].get("mode").as_deref(), Some("inner"));
    let html = events[0].elements();
    assert!(html.contains("<h2>buy &lt;milk&gt;</h2>"), "escaped: {html}");
    assert!(html.contains("Still to do."), "{html}");
    let gone = app.client.datastar(http::Method::GET, &app.url("/todos/9/details"), &json!({})).await;
    assert!(gone.events()[0].elements().contains("deleted meanwhile"));
    // A read publishes nothing: the other viewers' streams stay quiet; the next frame they get
    // is the next write's.
    app.post("/todos/1/toggle", json!({})).await;
    let next = viewer.next_event().await.unwrap();
    assert!(next.elements().contains("class=\"todo\"") || next.elements().contains("remaining"), "{next}");
}
