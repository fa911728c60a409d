//! [`Target`]: a subscriber URL, checked — an absolute `http` or `https` URL with a host and
//! no credentials — and split into what the delivery needs.
//!
//! The URL is checked when the delivery is enqueued, so a typo fails the command that made it
//! (and rolls its transaction back) instead of dying later in the dead-letter list. It is
//! checked again before each attempt, since a stored payload may have been edited.

use std::net::IpAddr;

use http::Uri;

use crate::{Error, Result};

/// A checked subscriber URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The whole URL.
    pub(crate) uri: Uri,
    /// Its host: a name, or an IP address without IPv6's brackets.
    pub(crate) host: String,
    /// Its port, or the scheme's (80, 443).
    pub(crate) port: u16,
    /// The host, when it is an IP address (then nothing is resolved).
    pub(crate) ip: Option<IpAddr>,
}

impl Target {
    /// Checks `url`: an absolute `http` or `https` URL, with a host and no `user:password@`.
    pub(crate) fn parse(url: &str) -> Result<Target> {
        let uri: Uri = url.parse().map_err(|error| {
            Error::bad_request(format!(
                "`{url}` is not a URL ({error}): give the subscriber's full URL, such as `https://example.com/webhooks`"
            ))
        })?;
        let default_port = match uri.scheme_str() {
            Some("https") => 443,
            Some("http") => 80,
            Some(other) => {
                return Err(Error::bad_request(format!(
                    "`{url}` uses the scheme `{other}`: webhooks are delivered over `https` or `http` only"
                )));
            }
            None => {
                return Err(Error::bad_request(format!(
                    "`{url}` is not an absolute URL: give the subscriber's full URL, such as `https://example.com/webhooks`"
                )));
            }
        };
        let Some(authority) = uri.authority() else {
            return Err(Error::bad_request(format!(
                "`{url}` names no host: give one, as in `https://example.com/webhooks`"
            )));
        };
        if authority.as_str().contains('@') {
            return Err(Error::bad_request(format!(
                "`{url}` carries credentials (`user@host`), which would be sent in the clear in every log: \
                 remove them; receivers check the `Orion-Signature` header instead"
            )));
        }
        let host = authority.host().trim_start_matches('[').trim_end_matches(']').to_owned();
        if host.is_empty() {
            return Err(Error::bad_request(format!(
                "`{url}` names no host: give one, as in `https://example.com/webhooks`"
            )));
        }
        let port = uri.port_u16().unwrap_or(default_port);
        let ip = host.parse().ok();
        Ok(Target { uri, host, port, ip })
    }
}

#[cfg(test)]
mod tests;
