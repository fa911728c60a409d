//! [`OutboundOptions`]: timeouts, the response cap, and the addresses allowed despite the
//! guard.

use std::net::IpAddr;
use std::time::Duration;

/// How an [`Outbound`](super::Outbound) sends. Start from the default and change what you
/// need:
///
/// ```
/// use std::time::Duration;
/// use orion::webhook::outbound::OutboundOptions;
///
/// let options = OutboundOptions { timeout: Duration::from_secs(5), ..OutboundOptions::default() };
/// assert!(options.allow.is_empty(), "no private address is allowed unless listed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundOptions {
    /// How long opening the TCP connection may take.
    pub connect_timeout: Duration,
    /// How long a whole attempt may take: resolving, connecting, the TLS handshake, sending,
    /// and the receiver's answer (its status, and the body of a failure as far as it is read).
    /// A receiver that takes longer failed this attempt.
    pub timeout: Duration,
    /// The most bytes read of a failed answer's body (its start goes into the error). A 2xx
    /// answer's body is not read at all.
    pub max_response_bytes: usize,
    /// Addresses that may be delivered to although the guard refuses their range (loopback,
    /// private, link-local, …): a receiver of your own on `127.0.0.1`, or one service inside
    /// your network. Empty by default: every delivery goes to a public address. Compared after
    /// unmapping, so `127.0.0.1` also allows `::ffff:127.0.0.1`.
    pub allow: Vec<IpAddr>,
}

impl Default for OutboundOptions {
    /// Connect within 5 s, answer within 15 s, read at most 16 KiB of a failure, allow nothing.
    fn default() -> OutboundOptions {
        OutboundOptions {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_response_bytes: 16 * 1024,
            allow: Vec::new(),
        }
    }
}
