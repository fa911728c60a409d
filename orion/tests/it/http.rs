//! The HTTP seam: routing, limits, timeouts, headers, the bundled client script, mounting.

use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use orion::datastar::client::{self, DatastarClient};
use orion::testing::{Client, TestServer};
use orion::{App, Routes, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::counter::Fixture;

fn text(status: StatusCode, body: &'static str) -> orion::http::Response {
    orion::http::respond::text(status, body)
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_with_allow() {
    let fixture = Fixture::new("http-404");
    let server = TestServer::start(fixture.app().router()).await;
    let client = Client::new();
    assert_eq!(client.get(&server.url("/nope")).await.status, StatusCode::NOT_FOUND);
    let response = client.get(&server.url("/bump")).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("POST"));
    assert!(response.text().contains("allowed: POST"), "{}", response.text());
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let fixture = Fixture::new("http-413");
    let server = TestServer::start(fixture.app().body_limit(1024).router()).await;
    let client = Client::new();
    let big = Bytes::from(vec![b'x'; 4096]);
    let request = http::Request::post(server.url("/bump")).body(big).unwrap();
    let response = client.send(request).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.text(), "request body too large: the limit is 1024 bytes");
    let (n,): (i64,) = fixture.store.query_one("SELECT n FROM counter", ()).unwrap().unwrap();
    assert_eq!(n, 0, "a refused command writes nothing");
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused_too() {
    let fixture = Fixture::new("http-413-chunked");
    let server = TestServer::start(fixture.app().body_limit(1024).router()).await;
    let mut socket = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let chunk = "x".repeat(3000);
    let request = format!(
        "POST /bump HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_headers_is_disconnected() {
    let fixture = Fixture::new("http-slowloris");
    let server =
        Server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap().header_read_timeout(Duration::from_millis(300));
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(fixture.app().router(), async move {
        let _ = stopped.await;
    }));
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    socket.write_all(b"GET / HTTP/1.1\r\nhost: x\r\n").await.unwrap();
    // The server closes the connection (EOF, or a 408 first) once the timeout passes.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept a half-sent request open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_nonce_matching_their_csp() {
    let fixture = Fixture::new("http-headers");
    let server = TestServer::start(fixture.app().router()).await;
    let page = Client::new().get(&server.url("/")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let html = page.text();
    let nonce = html.split("data-nonce=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
    assert!(nonce.len() >= 22, "a nonce of 128 bits: {nonce}");
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    assert!(!csp.contains("unsafe-eval") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains(client::CDN_ORIGIN), "the CDN client needs its origin allowed: {csp}");
    assert!(html.contains(&format!("integrity=\"{}\"", client::CDN_INTEGRITY)));
    let again = Client::new().get(&server.url("/")).await.text();
    assert!(!again.contains(nonce), "every page gets a fresh nonce");
}

#[tokio::test]
async fn the_local_datastar_bundle_is_served_hashed_immutable_and_compressed() {
    let Some(bundle) = local_bundle() else {
        panic!("the Datastar bundle is missing: run `cargo xtask fetch-datastar`");
    };
    let fixture = Fixture::new("http-bundle");
    let app = fixture.app().datastar(DatastarClient::file(&bundle).unwrap());
    let server = TestServer::start(app.router()).await;
    let client = Client::new();
    let page = client.get(&server.url("/")).await;
    let src = format!("_orion/datastar.{}.js", &client::SHA256[..12]);
    assert!(page.text().contains(&format!("src=\"{src}\"")), "{}", page.text());
    assert!(!page.header("content-security-policy").unwrap().contains(client::CDN_ORIGIN));

    let script = client.get(&server.url(&format!("/{src}"))).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(script.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(script.body, std::fs::read(&bundle).unwrap());

    let etag = script.header("etag").unwrap().to_owned();
    let request =
        http::Request::get(server.url(&format!("/{src}"))).header("if-none-match", etag).body(Bytes::new()).unwrap();
    let revalidated = client.send(request).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());

    let request = http::Request::get(server.url("/_orion/datastar.js"))
        .header("accept-encoding", "gzip, br")
        .body(Bytes::new())
        .unwrap();
    let compressed = client.send(request).await;
    assert_eq!(compressed.header("content-encoding"), Some("br"));
    assert_eq!(compressed.header("cache-control"), Some("no-cache"));
    let decoded = orion::testing::Decoder::new().decode(&compressed.body).unwrap();
    assert_eq!(decoded, std::fs::read(&bundle).unwrap());
    assert!(compressed.body.len() < decoded.len() / 2);
}

#[tokio::test]
async fn a_missing_or_wrong_bundle_is_refused_with_what_to_run() {
    let fixture = Fixture::new("http-bad-bundle");
    let missing = DatastarClient::file(&fixture.dir.join("nope.js")).unwrap_err();
    assert!(missing.message().contains("cargo xtask fetch-datastar"), "{missing}");
    std::fs::write(fixture.dir.join("fake.js"), "console.log('not datastar')").unwrap();
    let wrong = DatastarClient::file(&fixture.dir.join("fake.js")).unwrap_err();
    assert!(wrong.message().contains("is not the Datastar v1.0.4 bundle"), "{wrong}");
}

pub(crate) fn local_bundle() -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vendor/datastar/datastar.js");
    path.is_file().then_some(path)
}

#[tokio::test]
async fn an_app_mounted_under_a_prefix_renders_prefixed_urls_and_accepts_both_paths() {
    let fixture = Fixture::new("http-base");
    let server = TestServer::start(fixture.app().base("/app").router()).await;
    let client = Client::new();
    let page = client.get(&server.url("/app/")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<base href=\"/app/\">"), "{}", page.text());
    assert!(page.header("content-security-policy").unwrap().contains("report-uri /app/_orion/csp"));
    assert_eq!(client.post_json(&server.url("/app/bump"), &serde_json::json!({})).await.status, StatusCode::NO_CONTENT);
    // A host that strips the prefix (axum's nest_service) sends the bare path.
    assert_eq!(client.post_json(&server.url("/bump"), &serde_json::json!({})).await.status, StatusCode::NO_CONTENT);
    let (n,): (i64,) = fixture.store.query_one("SELECT n FROM counter", ()).unwrap().unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn a_panicking_command_answers_500_and_the_server_keeps_serving() {
    let fixture = Fixture::new("http-panic");
    let server = TestServer::start(fixture.app().router()).await;
    let client = Client::new();
    let response = client.post_json(&server.url("/explode"), &serde_json::json!({})).await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!response.text().contains("boom"), "the panic message stays in the log");
    assert_eq!(client.get(&server.url("/")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn plain_handlers_and_transforms_compose_as_functions() {
    let fixture = Fixture::new("http-plain");
    let routes = Routes::new().get("/health", |_ctx, _request| async { text(StatusCode::OK, "ok") });
    let router = App::new(&fixture.store).routes(routes).without_security_headers().router().map_response(|response| {
        response.headers_mut().insert("x-app", http::HeaderValue::from_static("todos"));
    });
    let server = TestServer::start(router).await;
    let response = Client::new().get(&server.url("/health")).await;
    assert_eq!(response.text(), "ok");
    assert_eq!(response.header("x-app"), Some("todos"));
    assert_eq!(response.header("x-frame-options"), None, "security headers were left out");
}

#[tokio::test]
async fn the_router_is_a_tower_service() {
    use tower_service::Service;
    let fixture = Fixture::new("http-tower");
    let mut router = fixture.app().router();
    let request =
        http::Request::builder().method(Method::GET).uri("/").body(http_body_util::Empty::<Bytes>::new()).unwrap();
    let response = router.call(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn http2_with_prior_knowledge_is_served() {
    use http_body_util::BodyExt;
    let fixture = Fixture::new("http-h2");
    let server = TestServer::start(fixture.app().router()).await;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<http_body_util::Empty<Bytes>>();
    let response = client.get(server.url("/").parse().unwrap()).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("count=0"));
}
