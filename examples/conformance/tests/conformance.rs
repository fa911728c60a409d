//! The Datastar SDK conformance suite, run against the `conformance` binary.
//!
//! Every case (the official ones, found by [`suite::official_folder`], and our own under
//! `examples/conformance/cases/`) is sent to a freshly started server as the conformance README
//! prescribes, and the answer is compared with the case's `output.txt` by the README's rules
//! ([`compare`]). Every failing case is reported, with the reasons and a line diff, before the
//! test fails.
//!
//! # Layout
//! - `suite`: where the cases are, reading them, the request each one makes.
//! - `server`: the binary as a child process, killed when dropped.
//! - `events`: a `text/event-stream` body split into events and data groups.
//! - `html`: the tag/attribute normalizer the `elements` comparison uses.
//! - `compare`: the README's comparison rules.
//! - `diff`: a line diff for failure reports.

mod compare;
mod diff;
mod events;
mod html;
mod server;
mod suite;

use bytes::Bytes;
use orion::testing::{Client, TestResponse};

use crate::server::Server;
use crate::suite::{Case, Method};

#[tokio::test]
async fn the_official_cases_pass() {
    let folder = suite::official_folder();
    let cases = suite::official(&folder);
    let missing: Vec<String> = [
        suite::missing(&cases, Method::Get, &suite::OFFICIAL_GET),
        suite::missing(&cases, Method::Post, &suite::OFFICIAL_POST),
    ]
    .concat();
    assert!(
        missing.is_empty(),
        "the official cases in `{}` are incomplete: missing {missing:?}; point `{}` at a complete copy \
         (`get-cases/` with 19 cases, `post-cases/` with 1)",
        folder.display(),
        suite::ENV
    );
    run("official", &cases).await;
}

#[tokio::test]
async fn our_own_cases_pass() {
    let folder = suite::own_folder();
    let cases = suite::own(&folder);
    let missing = suite::missing(&cases, Method::Get, &suite::OWN_GET);
    assert!(missing.is_empty(), "our own cases in `{}` are incomplete: missing {missing:?}", folder.display());
    run("own", &cases).await;
}

/// Sends every case to a new server and fails, listing every failing case, unless all match.
async fn run(label: &str, cases: &[Case]) {
    let server = Server::start();
    let client = Client::new();
    let mut failures = Vec::new();
    for case in cases {
        let response = client.send(case.request(&server.base())).await;
        if let Some(failure) = check(case, &response) {
            failures.push(failure);
        }
    }
    let get = cases.iter().filter(|case| case.method == Method::Get).count();
    let post = cases.len() - get;
    println!("{label} cases: {} of {} passed ({get} GET, {post} POST)", cases.len() - failures.len(), cases.len());
    if !failures.is_empty() {
        panic!(
            "{} of {} {label} conformance case(s) failed:\n\n{}\nserver log:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n"),
            server.log()
        );
    }
}

/// The report of how `response` fails `case`, or `None` when it passes.
fn check(case: &Case, response: &TestResponse) -> Option<String> {
    let mut problems = Vec::new();
    if response.status != http::StatusCode::OK {
        problems.push(format!("status {} (expected 200): {}", response.status, response.text().trim()));
    }
    let content_type = response.header("content-type").unwrap_or("(none)");
    if !content_type.starts_with("text/event-stream") {
        problems.push(format!("content-type `{content_type}` (expected `text/event-stream`)"));
    }
    let actual = response.text();
    if response.status == http::StatusCode::OK {
        problems.extend(compare::differences(&case.expected, &actual));
    }
    if problems.is_empty() {
        return None;
    }
    let mut report = format!("✗ {case}  ({})\n", case.folder.display());
    for problem in problems {
        report.push_str(&format!("  - {}\n", problem.replace('\n', "\n  ")));
    }
    report.push_str("  diff (- expected output.txt, + actual):\n");
    for line in diff::lines(&case.expected, &actual).lines() {
        report.push_str(&format!("    {line}\n"));
    }
    Some(report)
}

#[tokio::test]
async fn a_malformed_case_is_answered_400_naming_the_entry_and_field() {
    let server = Server::start();
    let client = Client::new();
    let url = format!("{}/test", server.base());
    let get = |input: &str| {
        let uri = format!("{url}?datastar={}", suite::encode_component(input));
        http::Request::get(uri).header("datastar-request", "true").body(Bytes::new()).unwrap()
    };
    let post = |body: &str| {
        http::Request::post(&url)
            .header("datastar-request", "true")
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_owned()))
            .unwrap()
    };
    let cases = [
        (
            get(r#"{"events":[{"type":"patchElements"},{"type":"mergeFragments"}]}"#),
            "`events[1].type`: unknown type `mergeFragments`",
        ),
        (post(r#"{"events":[{"type":"patchElements","mode":3}]}"#), "`events[0].mode`: must be a string, found `3`"),
        (
            post(r#"{"events":[{"type":"patchSignals","onlyIfMissing":"yes"}]}"#),
            "`events[0].onlyIfMissing`: must be `true` or `false`",
        ),
        (post("{}"), "the signals have no `events` array"),
        (get(r#"{"events":"patchElements"}"#), "`events` must be an array"),
        (post("{not json"), "malformed signals: the request body is not valid JSON"),
    ];
    for (request, expected) in cases {
        let description = format!("{} {}", request.method(), request.uri());
        let response = client.send(request).await;
        assert_eq!(response.status, http::StatusCode::BAD_REQUEST, "{description}: {}", response.text());
        assert!(response.text().contains(expected), "{description}: expected {expected:?} in {:?}", response.text());
    }
    // The server is still there (a malformed case never panics it).
    let valid = client.send(get(r#"{"events":[{"type":"patchSignals","signals":{"a":1}}]}"#)).await;
    assert_eq!(valid.status, http::StatusCode::OK);
    assert_eq!(valid.text(), "event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n");
    assert!(!server.log().contains("panicked"), "the server panicked:\n{}", server.log());
}

#[test]
fn the_server_keeps_its_store_in_a_temp_file_and_removes_it_on_exit() {
    let server = Server::start();
    let database = format!("orion-conformance-{}.db", server.pid());
    assert!(server.temp_files().contains(&database), "expected `{database}` in {:?}", server.temp_files());
    let (status, left) = server.terminate();
    assert!(status.success(), "the server exited with {status}");
    assert_eq!(left, Vec::<String>::new(), "the server left files in its temp folder");
}
