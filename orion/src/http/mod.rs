//! The HTTP seam: a router that is a plain async function from request to response, the bundled
//! hyper server, static files and default security headers.

pub mod body;
pub(crate) mod builtin;
pub mod files;
mod headers;
pub mod query;
pub mod respond;
mod router;
pub mod routes;
mod serve;

pub use body::{Body, BoxError};
pub(crate) use headers::PagePolicy;
pub use headers::security_headers;
pub(crate) use router::RoutePath;
pub use router::Router;
pub use routes::{Route, RouteKind, Routes};
pub use serve::{DEFAULT_GRACE, DEFAULT_HEADER_READ_TIMEOUT, Server, serve, shutdown_signal};

/// A request as handlers see it: the body already read (within the app's limit).
pub type Request = http::Request<bytes::Bytes>;

/// A response: any [`Body`].
pub type Response = http::Response<Body>;

/// Whether an `Accept-Encoding` value accepts `coding` (`br`, `gzip`, …) with a q-value above 0.
pub(crate) fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
        (name.eq_ignore_ascii_case(coding) || name == "*") && q > 0.0
    })
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_honours_q_values() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(accepts("*", "br"));
    }
}
