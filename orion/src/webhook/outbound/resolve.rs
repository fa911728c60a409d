//! The guard against server-side request forgery, at the one place it can work: after DNS.
//!
//! [`resolve`] looks the subscriber's host up once (tokio's `lookup_host`, the system
//! resolver on the blocking pool), and checks **every** address it gets with
//! [`forbidden`](super::forbidden): one refused address refuses the delivery, so a name that
//! answers with a public and a private address cannot steer some attempts inward. The
//! connector is then given exactly the checked addresses ([`Resolved`], its resolver): it
//! connects to what was checked and never asks DNS again, so there is no window for DNS
//! rebinding (a name that answers "public" to the check and "private" to the connect).

use std::future::{Ready, ready};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::Name;

use super::address::{Forbidden, forbidden};
use super::failure::Failure;
use super::target::Target;

/// The addresses to deliver `target` to, every one of them checked; `allow` lists the
/// addresses allowed despite their range.
pub(super) async fn resolve(target: &Target, allow: &[IpAddr]) -> Result<Vec<IpAddr>, Failure> {
    let url = target.uri.to_string();
    let addrs = match target.ip {
        Some(ip) => vec![ip],
        None => match tokio::net::lookup_host((target.host.as_str(), target.port)).await {
            Ok(addrs) => addrs.map(|addr| addr.ip()).collect(),
            Err(error) => return Err(Failure::Resolve { url, host: target.host.clone(), error: error.to_string() }),
        },
    };
    match check(addrs, allow) {
        Ok(addrs) if addrs.is_empty() => {
            Err(Failure::Resolve { url, host: target.host.clone(), error: "it has no address".to_owned() })
        }
        Ok(addrs) => Ok(addrs),
        Err((addr, reason)) => Err(Failure::Refused { url, host: target.host.clone(), addr, reason }),
    }
}

/// `addrs` without repeats, or the first one that is forbidden and not allowed.
pub(super) fn check(addrs: Vec<IpAddr>, allow: &[IpAddr]) -> Result<Vec<IpAddr>, (IpAddr, Forbidden)> {
    let mut checked: Vec<IpAddr> = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let allowed = allow.iter().any(|allowed| allowed.to_canonical() == addr.to_canonical());
        if !allowed && let Some(reason) = forbidden(addr) {
            return Err((addr, reason));
        }
        if !checked.contains(&addr) {
            checked.push(addr);
        }
    }
    Ok(checked)
}

/// The connector's resolver: whatever the name, the addresses [`resolve`] checked.
#[derive(Debug, Clone)]
pub(super) struct Resolved(Arc<[IpAddr]>);

impl Resolved {
    pub(super) fn new(addrs: Vec<IpAddr>) -> Resolved {
        Resolved(addrs.into())
    }
}

impl tower_service::Service<Name> for Resolved {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    /// The connector sets the URL's port on each address.
    fn call(&mut self, _name: Name) -> Self::Future {
        let addrs: Vec<SocketAddr> = self.0.iter().map(|ip| SocketAddr::new(*ip, 0)).collect();
        ready(Ok(addrs.into_iter()))
    }
}

#[cfg(test)]
mod tests;
