//! Default security headers, as a response transform.
//!
//! [`security_headers`] is applied by [`App::router`](crate::App::router) unless the app opts
//! out. Pages carry the strictest content-security policy the Datastar client works under:
//!
//! - `script-src 'self' 'nonce-…'` (plus the CDN origin when the bundle is not served locally):
//!   no `'unsafe-eval'` and no `'unsafe-inline'`. Datastar compiles its `data-*` expressions
//!   with `Function()` unless the page's `<html>` carries `data-nonce`; orion always sets it, so
//!   Datastar compiles each expression into a `<script nonce>` instead.
//! - `require-trusted-types-for 'script'; trusted-types datastar`: every DOM sink Datastar
//!   writes to goes through its own `datastar` Trusted Types policy.
//! - `style-src 'self'`: stylesheets from the app only, no inline `style` attributes (Datastar
//!   sets styles through the CSSOM, which CSP allows).
//! - `connect-src 'self'` for the live stream and commands; `img-src 'self' data:`;
//!   `font-src 'self'`; `form-action 'self'`; `base-uri 'self'` (pages carry a `<base>` naming
//!   the app's mount point); `frame-ancestors 'none'`; `object-src 'none'`;
//!   `default-src 'none'` for everything else.
//!
//! Violations are reported to `_orion/csp` under the app's base and logged as warnings.
//! Other responses get `default-src 'none'; frame-ancestors 'none'`.

use http::HeaderValue;
use http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};

use super::Router;

/// What a page needs from its content-security policy, attached to the page's response.
#[derive(Debug, Clone)]
pub(crate) struct PagePolicy {
    pub(crate) nonce: String,
    pub(crate) script_origin: Option<&'static str>,
    pub(crate) report_uri: String,
}

impl PagePolicy {
    pub(crate) fn header(&self) -> String {
        let extra = self.script_origin.map(|origin| format!(" {origin}")).unwrap_or_default();
        format!(
            "default-src 'none'; script-src 'self' 'nonce-{}'{extra}; style-src 'self'; \
             img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
             base-uri 'self'; frame-ancestors 'none'; object-src 'none'; \
             require-trusted-types-for 'script'; trusted-types datastar; report-uri {}",
            self.nonce, self.report_uri
        )
    }
}

/// Adds orion's default security headers to every response of `router` that lacks them.
pub fn security_headers(router: Router) -> Router {
    router.map_response(|response| {
        let policy = response.extensions().get::<PagePolicy>().map(PagePolicy::header);
        let headers = response.headers_mut();
        if !headers.contains_key(CONTENT_SECURITY_POLICY) {
            let policy = policy.unwrap_or_else(|| "default-src 'none'; frame-ancestors 'none'".into());
            if let Ok(value) = HeaderValue::from_str(&policy) {
                headers.insert(CONTENT_SECURITY_POLICY, value);
            }
        }
        let defaults =
            [(X_CONTENT_TYPE_OPTIONS, "nosniff"), (X_FRAME_OPTIONS, "DENY"), (REFERRER_POLICY, "same-origin")];
        for (name, value) in defaults {
            headers.entry(name).or_insert(HeaderValue::from_static(value));
        }
        headers.entry("cross-origin-opener-policy").or_insert(HeaderValue::from_static("same-origin"));
        headers
            .entry("permissions-policy")
            .or_insert(HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    })
}
