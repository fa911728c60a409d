//! Unit tests of the pure parts of static files: content types, the hashed-name rule, path
//! segments, HTTP dates and conditional requests. Serving itself is tested over HTTP in
//! `tests/it/files.rs`.

use http::HeaderMap;

use super::{cache, date, mime, path};

#[test]
fn content_types_follow_the_extension() {
    fn check(name: &str, expect: &str) {
        assert_eq!(mime::content_type(name), expect, "{name}");
    }
    check("index.html", "text/html; charset=utf-8");
    check("app.css", "text/css; charset=utf-8");
    check("app.js", "text/javascript; charset=utf-8");
    check("module.mjs", "text/javascript; charset=utf-8");
    check("app.js.map", "application/json; charset=utf-8");
    check("data.json", "application/json; charset=utf-8");
    check("site.webmanifest", "application/manifest+json; charset=utf-8");
    check("logo.svg", "image/svg+xml; charset=utf-8");
    check("photo.JPG", "image/jpeg");
    check("photo.jpeg", "image/jpeg");
    check("icon.png", "image/png");
    check("favicon.ico", "image/x-icon");
    check("font.woff2", "font/woff2");
    check("app.wasm", "application/wasm");
    check("archive.tar.gz", "application/octet-stream");
    check("Makefile", "application/octet-stream");
}

#[test]
fn hashed_names_have_a_hex_part_with_a_letter_before_the_extension() {
    fn check(name: &str, expect: bool) {
        assert_eq!(cache::is_hashed_name(name), expect, "{name}");
    }
    check("app.3f9a1c2e.css", true);
    check("chunk.0123456789abcdef.js", true);
    check("3f9a1c2e.js", true);
    check("APP.3F9A1C2E.CSS", true);
    check("app.css", false);
    check("app.3f9a1c2.css", false);
    check("app-3f9a1c2e.css", false);
    check("report.20240101.pdf", false);
    check("app.3f9a1c2g.css", false);
    check("app.deadbeef", false);
    check("deadbeefcafe", false);
}

#[test]
fn segments_are_decoded_and_anything_that_could_leave_the_folder_is_refused() {
    fn check(relative: &str, expect: Option<&[&str]>) {
        let expect = expect.map(|segments| segments.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(path::segments(relative), expect, "{relative}");
    }
    check("app.css", Some(&["app.css"]));
    check("css/app.css", Some(&["css", "app.css"]));
    check("hello%20world.txt", Some(&["hello world.txt"]));
    check("caf%C3%A9.txt", Some(&["café.txt"]));
    check("a..b.txt", Some(&["a..b.txt"]));
    check("", None);
    check("sub/", None);
    check("a//b", None);
    check("..", None);
    check(".", None);
    check("./app.css", None);
    check("../secret.txt", None);
    check("%2e%2e/secret.txt", None);
    check("%2E%2E%2Fsecret.txt", None);
    check("sub/..%2F..%2Fsecret.txt", None);
    check("..%5csecret.txt", None);
    check("a%5cb", None);
    check("a%2fb", None);
    check(".env", None);
    check("%2eenv", None);
    check("sub/.git/config", None);
    check("a%00.txt", None);
    check("a%0a.txt", None);
    check("a%7f.txt", None);
    check("%ff.txt", None);
    check("%zz.txt", None);
}

#[test]
fn http_dates_are_imf_fixdates() {
    assert_eq!(date::format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(date::format(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(date::format(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(date::format(4_102_444_799), "Thu, 31 Dec 2099 23:59:59 GMT");
    assert_eq!(date::parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
    for secs in [0, 68_169_599, 784_111_777, 951_782_400, 1_700_000_000, 4_102_444_799] {
        assert_eq!(date::parse(&date::format(secs)), Some(secs), "{secs}");
    }
    assert_eq!(date::parse("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    assert_eq!(date::parse("Sun Nov  6 08:49:37 1994"), None);
    assert_eq!(date::parse("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    assert_eq!(date::parse("Sun, 06 Nov 1994 08:49 GMT"), None);
    assert_eq!(date::parse("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    assert_eq!(date::parse("garbage"), None);
}

#[test]
fn validators_decide_not_modified() {
    fn check(headers: &[(&'static str, &str)], expect: bool) {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, value.parse().unwrap());
        }
        let modified = date::parse("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(cache::not_modified(&map, "\"0123456789abcdef\"", modified), expect, "{headers:?}");
    }
    check(&[], false);
    check(&[("if-none-match", "\"0123456789abcdef\"")], true);
    check(&[("if-none-match", "W/\"0123456789abcdef\"")], true);
    check(&[("if-none-match", "\"other\", \"0123456789abcdef\"")], true);
    check(&[("if-none-match", "\"other\""), ("if-none-match", "\"0123456789abcdef\"")], true);
    check(&[("if-none-match", "*")], true);
    check(&[("if-none-match", "\"other\"")], false);
    check(&[("if-none-match", "0123456789abcdef")], false);
    check(&[("if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT")], true);
    check(&[("if-modified-since", "Mon, 07 Nov 1994 00:00:00 GMT")], true);
    check(&[("if-modified-since", "Sun, 06 Nov 1994 08:49:36 GMT")], false);
    check(&[("if-modified-since", "yesterday")], false);
    // `If-None-Match` wins over `If-Modified-Since`.
    check(&[("if-none-match", "\"other\""), ("if-modified-since", "Mon, 07 Nov 1994 00:00:00 GMT")], false);
}

#[test]
fn the_content_hash_is_the_start_of_the_sha256_in_hex() {
    // sha256("") = e3b0c44298fc1c149afbf4c8996fb924…
    assert_eq!(cache::content_hash(b""), "e3b0c44298fc1c14");
    assert_eq!(cache::content_hash(b"abc"), "ba7816bf8f01cfea");
}
