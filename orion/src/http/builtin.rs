//! The routes orion serves itself, under `_orion/`: the Datastar client and CSP reports.

use http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use http::{HeaderValue, Method, StatusCode};

use super::{Body, Request, Response, respond};
use crate::app::Shared;
use crate::datastar::client::SHA256;

/// Answers `path` (the base already stripped) when it is one of orion's own routes.
pub(crate) fn handle(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let rest = path.strip_prefix("/_orion/")?;
    if rest == "csp" {
        return Some(csp_report(request));
    }
    let hashed = format!("datastar.{}.js", &SHA256[..12]);
    if rest != "datastar.js" && rest != hashed {
        return None;
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Some(respond::text(StatusCode::METHOD_NOT_ALLOWED, "use GET"));
    }
    let Some((plain, brotli)) = shared.client.bytes() else {
        return Some(respond::text(
            StatusCode::NOT_FOUND,
            "the Datastar bundle is not served locally: run `cargo xtask fetch-datastar`",
        ));
    };
    let etag = format!("\"{}\"", &SHA256[..16]);
    let cache = if rest == hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
    let not_modified = request.headers().get(IF_NONE_MATCH).is_some_and(|value| value.as_bytes() == etag.as_bytes());
    let accepts_brotli = request
        .headers()
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| super::accepts(value, "br"));
    let mut response = if not_modified {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else if accepts_brotli {
        let mut response = Response::new(Body::from(brotli.clone()));
        response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
        response
    } else {
        Response::new(Body::from(plain.clone()))
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    Some(response)
}

/// Logs a content-security-policy violation the browser reported.
fn csp_report(request: &Request) -> Response {
    if request.method() != Method::POST {
        return respond::text(StatusCode::METHOD_NOT_ALLOWED, "use POST");
    }
    let report = String::from_utf8_lossy(request.body());
    tracing::warn!(target: "orion::csp", report = %report.chars().take(2000).collect::<String>(), "content-security-policy violation");
    respond::no_content()
}
