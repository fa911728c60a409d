//! Static files over real HTTP: a temp folder with real files (and symlinks) served at
//! `/static`, next to a secret file that no request may reach.

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::PathBuf;

use bytes::Bytes;
use http::Method;
use orion::testing::{Client, Decoder, TestResponse, TestServer};
use orion::{App, Bus, Routes, Store};
use sha2::{Digest, Sha256};

use crate::support::TempDir;

const SECRET: &str = "the secret outside the folder";
const CSS: &str = "body { color: rebeccapurple; }\n";
/// A script long enough for brotli to shrink.
fn js() -> String {
    "console.log('hello from orion');\n".repeat(40)
}

/// A temp dir holding `secret.txt` and the folder `public/` served at `/static`.
struct Site {
    temp: TempDir,
    public: PathBuf,
    server: TestServer,
    client: Client,
}

impl Site {
    async fn start(label: &str) -> Site {
        let temp = TempDir::new(label);
        let public = temp.join("public");
        fs::create_dir_all(public.join("sub/nested")).unwrap();
        fs::write(temp.join("secret.txt"), SECRET).unwrap();
        fs::create_dir(temp.join("outside")).unwrap();
        fs::write(temp.join("outside/secret.txt"), SECRET).unwrap();
        fs::write(public.join("app.css"), CSS).unwrap();
        fs::write(public.join("app.js"), js()).unwrap();
        fs::write(public.join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        fs::write(public.join("data.bin"), [0u8, 1, 2, 3]).unwrap();
        fs::write(public.join("hello world.txt"), "hello").unwrap();
        fs::write(public.join("app.3f9a1c2e.css"), CSS).unwrap();
        fs::write(public.join("chunk.0123456789abcdef.js"), "export {};\n").unwrap();
        fs::write(public.join("report.20240101.txt"), "a report").unwrap();
        fs::write(public.join(".hidden"), SECRET).unwrap();
        fs::write(public.join("sub/page.txt"), "a page in sub").unwrap();
        let store = Store::open(&temp.join("app.db"), &Bus::new()).unwrap();
        let router = App::new(&store).routes(Routes::new().files("/static", public.clone())).router();
        let server = TestServer::start(router).await;
        Site { temp, public, server, client: Client::new() }
    }

    /// `method path` with `headers`; `path` is sent as written (no normalization).
    async fn request(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = http::Request::builder().method(method).uri(self.server.url(path));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.client.send(builder.body(Bytes::new()).unwrap()).await
    }

    async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[]).await
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[tokio::test]
async fn files_are_served_with_a_content_type_from_their_extension() {
    let site = Site::start("files-types").await;
    for (path, content_type) in [
        ("/static/app.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/static/data.bin", "application/octet-stream"),
        ("/static/hello%20world.txt", "text/plain; charset=utf-8"),
        ("/static/sub/page.txt", "text/plain; charset=utf-8"),
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_eq!(response.header("content-type"), Some(content_type), "{path}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
        let length = response.body.len().to_string();
        assert_eq!(response.header("content-length"), Some(length.as_str()), "{path}");
    }
    assert_eq!(site.get("/static/app.css").await.text(), CSS);
    assert_eq!(site.get("/static/data.bin").await.body.as_ref(), [0u8, 1, 2, 3]);
    assert_eq!(site.get("/static/hello%20world.txt").await.text(), "hello");
}

#[tokio::test]
async fn an_unchanged_file_answers_304_to_its_etag() {
    let site = Site::start("files-etag").await;
    let response = site.get("/static/app.css").await;
    let etag = response.header("etag").unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", &sha256_hex(CSS.as_bytes())[..16]));
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    assert!(response.header("last-modified").is_some_and(|date| date.ends_with(" GMT")));

    let weak = format!("W/{etag}");
    let list = format!("\"0000000000000000\", {etag}");
    for if_none_match in [etag.as_str(), weak.as_str(), list.as_str(), "*"] {
        let response = site.request(Method::GET, "/static/app.css", &[("if-none-match", if_none_match)]).await;
        assert_eq!(response.status, 304, "{if_none_match}");
        assert!(response.body.is_empty(), "{if_none_match}");
        assert_eq!(response.header("etag"), Some(etag.as_str()));
        assert_eq!(response.header("cache-control"), Some("no-cache"));
    }

    let response = site.request(Method::GET, "/static/app.css", &[("if-none-match", "\"0000000000000000\"")]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), CSS);
}

#[tokio::test]
async fn an_unchanged_file_answers_304_to_its_last_modified_date() {
    let site = Site::start("files-last-modified").await;
    let last_modified = site.get("/static/app.css").await.header("last-modified").unwrap().to_owned();
    let response = site.request(Method::GET, "/static/app.css", &[("if-modified-since", &last_modified)]).await;
    assert_eq!(response.status, 304);
    assert!(response.body.is_empty());

    let response =
        site.request(Method::GET, "/static/app.css", &[("if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT")]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), CSS);
}

#[tokio::test]
async fn an_edited_file_gets_a_new_etag_and_its_new_content() {
    let site = Site::start("files-edited").await;
    let before = site.get("/static/app.css").await.header("etag").unwrap().to_owned();
    let edited = "body { color: tomato; margin: 0; }\n";
    fs::write(site.public.join("app.css"), edited).unwrap();

    let response = site.request(Method::GET, "/static/app.css", &[("if-none-match", &before)]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), edited);
    let after = response.header("etag").unwrap();
    assert_eq!(after, format!("\"{}\"", &sha256_hex(edited.as_bytes())[..16]));
    assert_ne!(after, before);
}

#[tokio::test]
async fn hashed_names_are_cached_for_a_year() {
    let site = Site::start("files-hashed").await;
    for (path, cache_control) in [
        ("/static/app.3f9a1c2e.css", "public, max-age=31536000, immutable"),
        ("/static/chunk.0123456789abcdef.js", "public, max-age=31536000, immutable"),
        ("/static/app.css", "no-cache"),
        ("/static/report.20240101.txt", "no-cache"),
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("cache-control"), Some(cache_control), "{path}");
    }
}

#[tokio::test]
async fn a_version_query_equal_to_the_content_hash_is_cached_for_a_year() {
    let site = Site::start("files-version").await;
    let hash = &sha256_hex(CSS.as_bytes())[..16];
    let response = site.get(&format!("/static/app.css?v={hash}")).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(response.text(), CSS);

    for path in ["/static/app.css?v=wrong", "/static/app.css?v=0123456789abcdef", "/static/app.css?w=1"] {
        let response = site.get(path).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn head_sends_the_headers_and_length_without_a_body() {
    let site = Site::start("files-head").await;
    let get = site.get("/static/app.js").await;
    let head = site.request(Method::HEAD, "/static/app.js", &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let length = js().len().to_string();
    assert_eq!(head.header("content-length"), Some(length.as_str()));
    for name in ["content-type", "etag", "last-modified", "cache-control"] {
        assert_eq!(head.header(name), get.header(name), "{name}");
    }
    let etag = get.header("etag").unwrap();
    let not_modified = site.request(Method::HEAD, "/static/app.js", &[("if-none-match", etag)]).await;
    assert_eq!(not_modified.status, 304);
}

#[tokio::test]
async fn paths_that_leave_the_folder_or_reach_hidden_files_are_not_found() {
    let site = Site::start("files-traversal").await;
    // A symlink inside the folder to a file outside it, and one to a folder outside it.
    symlink(site.temp.join("secret.txt"), site.public.join("leak.txt")).unwrap();
    symlink(site.temp.join("outside"), site.public.join("leaked")).unwrap();
    symlink(site.temp.path(), site.public.join("up")).unwrap();
    for path in [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/sub/..%2F..%2Fsecret.txt",
        "/static/sub/../../secret.txt",
        "/static/..%5csecret.txt",
        "/static/%2e%2e%5csecret.txt",
        "/static/sub%2F..%2F..%2Fsecret.txt",
        "/static/%2Fetc%2Fpasswd",
        "/static//etc/passwd",
        "/static/./app.css",
        "/static/.hidden",
        "/static/%2ehidden",
        "/static/sub/%00",
        "/static/leak.txt",
        "/static/leaked/secret.txt",
        "/static/up/secret.txt",
        "/static/",
        "/static",
        "/static/sub",
        "/static/sub/",
        "/static/sub/nested",
        "/static/app.css/x",
        "/static/missing.css",
    ] {
        for method in [Method::GET, Method::HEAD] {
            let response = site.request(method.clone(), path, &[]).await;
            assert_eq!(response.status, 404, "{method} {path}: {}", response.text());
            assert!(!response.text().contains(SECRET), "{method} {path} leaked the secret");
        }
    }
}

#[tokio::test]
async fn symlinks_that_stay_inside_the_folder_are_followed() {
    let site = Site::start("files-symlinks").await;
    symlink(site.public.join("app.css"), site.public.join("alias.css")).unwrap();
    symlink(site.public.join("sub"), site.public.join("linked")).unwrap();
    let response = site.get("/static/alias.css").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(response.text(), CSS);
    // A symlink out of the folder whose path leads back into it lands inside: served.
    symlink(site.temp.path(), site.public.join("up")).unwrap();
    let response = site.get("/static/up/public/app.css").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), CSS);
    let response = site.get("/static/linked/page.txt").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "a page in sub");
}

#[tokio::test]
async fn a_precompressed_brotli_sibling_is_sent_to_clients_that_accept_it() {
    let site = Site::start("files-brotli").await;
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 9, 22);
        writer.write_all(js().as_bytes()).unwrap();
    }
    fs::write(site.public.join("app.js.br"), &compressed).unwrap();

    let response = site.request(Method::GET, "/static/app.js", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-encoding"), Some("br"));
    assert_eq!(response.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(response.header("vary"), Some("accept-encoding"));
    assert_eq!(response.body.as_ref(), compressed.as_slice());
    assert_eq!(Decoder::new().decode(&response.body).unwrap(), js().as_bytes());
    let brotli_etag = response.header("etag").unwrap().to_owned();

    let response = site.request(Method::GET, "/static/app.js", &[("accept-encoding", "gzip")]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-encoding"), None);
    assert_eq!(response.header("vary"), Some("accept-encoding"));
    assert_eq!(response.text(), js());
    assert_ne!(response.header("etag"), Some(brotli_etag.as_str()));

    let response = site
        .request(Method::GET, "/static/app.js", &[("accept-encoding", "br"), ("if-none-match", &brotli_etag)])
        .await;
    assert_eq!(response.status, 304);

    // A file without a sibling does not vary.
    let response = site.request(Method::GET, "/static/app.css", &[("accept-encoding", "br")]).await;
    assert_eq!(response.header("content-encoding"), None);
    assert_eq!(response.header("vary"), None);
}

#[tokio::test]
async fn files_over_16_mib_are_refused_with_an_opaque_500() {
    let site = Site::start("files-too-large").await;
    let file = fs::File::create(site.public.join("huge.bin")).unwrap();
    file.set_len(16 * 1024 * 1024 + 1).unwrap();
    let response = site.get("/static/huge.bin").await;
    assert_eq!(response.status, 500);
    assert_eq!(response.text(), "internal error: the server logged the details");

    let file = fs::File::create(site.public.join("limit.bin")).unwrap();
    file.set_len(16 * 1024 * 1024).unwrap();
    let response = site.request(Method::HEAD, "/static/limit.bin", &[]).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-length"), Some("16777216"));
}
