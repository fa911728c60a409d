//! [`Failure`]: why one delivery attempt failed. A closed set: each says what happened in the
//! words the dead-letter view shows, and whether waiting can help.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use http::StatusCode;

use super::address::{Forbidden, embedded_ipv4};
use crate::{Error, ErrorKind, jobs};

/// How many characters of a failed answer's body go into the error.
const EXCERPT: usize = 200;

/// Why an attempt failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// The URL no longer passes the checks (its stored payload was changed). Permanent.
    Invalid(Error),
    /// The host is, or resolved to, an address in a forbidden range. Permanent: the guard
    /// would refuse it every time.
    Refused { url: String, host: String, addr: IpAddr, reason: Forbidden },
    /// The host did not resolve (to any address).
    Resolve { url: String, host: String, error: String },
    /// Connecting (within the connect timeout), the TLS handshake or sending failed.
    Send { url: String, error: String },
    /// No answer within the total timeout.
    Timeout { url: String, timeout: Duration },
    /// A 3xx answer: redirects are not followed.
    Redirect { url: String, status: StatusCode, location: Option<String> },
    /// Any other answer that is not a 2xx, with the start of its body; `cut` is the cap when the
    /// body was longer and the rest was not read.
    Status { url: String, status: StatusCode, body: Vec<u8>, cut: Option<usize> },
}

impl Failure {
    /// Whether no retry can help.
    fn is_permanent(&self) -> bool {
        matches!(self, Failure::Invalid(_) | Failure::Refused { .. })
    }

    /// The error the job's attempt fails with: [`permanent`](jobs::permanent) (the job is dead
    /// at once) or retried after the jobs' backoff.
    pub(super) fn into_error(self) -> Error {
        let permanent = self.is_permanent();
        let error = match self {
            Failure::Invalid(error) => error,
            other => {
                let kind = if other.is_permanent() { ErrorKind::BadRequest } else { ErrorKind::Io };
                Error::new(kind, other.to_string())
            }
        };
        if permanent { jobs::permanent(error) } else { error }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Invalid(error) => write!(f, "{error}"),
            Failure::Refused { url, host, addr, reason } => {
                write!(f, "refused to deliver to `{url}`: ")?;
                if host.parse::<IpAddr>().is_err() {
                    write!(f, "`{host}` resolved to `{addr}`, which is ")?;
                } else {
                    write!(f, "`{addr}` is ")?;
                }
                if let IpAddr::V6(v6) = addr
                    && let Some(v4) = embedded_ipv4(*v6)
                {
                    write!(f, "an IPv6 form of `{v4}`, ")?;
                }
                write!(
                    f,
                    "{reason}; webhooks go to public addresses only: if this receiver is yours, add `{addr}` \
                     to `OutboundOptions::allow`"
                )
            }
            Failure::Resolve { url, host, error } => {
                write!(f, "could not resolve `{host}` to deliver to `{url}`: {error}; check the subscriber's URL")
            }
            Failure::Send { url, error } => write!(f, "could not deliver to `{url}`: {error}"),
            Failure::Timeout { url, timeout } => {
                write!(f, "`{url}` did not answer within {timeout:?} (`OutboundOptions::timeout`)")
            }
            Failure::Redirect { url, status, location } => {
                write!(f, "`{url}` answered `{status}`")?;
                if let Some(location) = location {
                    write!(f, " (a redirect to `{location}`)")?;
                }
                write!(f, ", and redirects are not followed: subscribe the final URL instead")
            }
            Failure::Status { url, status, body, cut } => {
                write!(f, "`{url}` answered `{status}`")?;
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                if !text.is_empty() {
                    let excerpt: String = text.chars().take(EXCERPT).collect();
                    let more = if excerpt.len() < text.len() { "…" } else { "" };
                    write!(f, ": {excerpt:?}{more}")?;
                }
                if let Some(cap) = cut {
                    write!(f, " (its body was cut at {cap} bytes, `OutboundOptions::max_response_bytes`)")?;
                }
                Ok(())
            }
        }
    }
}
