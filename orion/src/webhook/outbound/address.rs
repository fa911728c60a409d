//! The server-side request forgery guard's classifier: which IP addresses a webhook must not
//! be delivered to, and why ([`forbidden`], [`Forbidden`]).
//!
//! A subscriber URL is chosen by someone else (a customer, a tenant). Delivered blindly, a
//! URL whose host is (or resolves to) `127.0.0.1`, `10.0.0.5` or `169.254.169.254` makes the
//! app POST into its own machine, its private network or its cloud's metadata service, and
//! report back what answered. So every address a delivery would connect to is classified
//! here first, after DNS resolution, and only public unicast addresses pass.
//!
//! IPv6 addresses that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64
//! `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`) are judged by the IPv4 address they reach, so
//! `[::ffff:127.0.0.1]` is as loopback as `127.0.0.1`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused: the special-purpose range it is in. A closed set; each one
/// names its ranges when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Forbidden {
    /// `0.0.0.0` or `::`: "any address", which reaches the local machine.
    Unspecified,
    /// `0.0.0.0/8`, "this network".
    ThisNetwork,
    /// `127.0.0.0/8` or `::1`: the local machine.
    Loopback,
    /// `10.0.0.0/8`, `172.16.0.0/12` or `192.168.0.0/16` (RFC 1918).
    Private,
    /// `100.64.0.0/10`, the carrier-grade NAT space shared by an ISP's customers (RFC 6598).
    SharedAddressSpace,
    /// `169.254.0.0/16` or `fe80::/10`, which includes cloud metadata services
    /// (`169.254.169.254`).
    LinkLocal,
    /// `fc00::/7`, IPv6's private networks (and the deprecated site-local `fec0::/10`).
    UniqueLocal,
    /// `224.0.0.0/4` or `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// Any other range set aside for a special purpose: protocol assignments
    /// (`192.0.0.0/24`), documentation (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`,
    /// `2001:db8::/32`), benchmarking (`198.18.0.0/15`), future use (`240.0.0.0/4`), IPv6
    /// discard (`100::/64`), Teredo (`2001::/32`) and the deprecated IPv4-compatible
    /// addresses (`::/96`).
    Reserved,
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Forbidden::Unspecified => "the unspecified address (`0.0.0.0` or `::`)",
            Forbidden::ThisNetwork => "a \"this network\" address (`0.0.0.0/8`)",
            Forbidden::Loopback => "a loopback address (`127.0.0.0/8` or `::1`)",
            Forbidden::Private => "a private address (`10.0.0.0/8`, `172.16.0.0/12` or `192.168.0.0/16`)",
            Forbidden::SharedAddressSpace => "a carrier-grade NAT address (`100.64.0.0/10`)",
            Forbidden::LinkLocal => "a link-local address (`169.254.0.0/16` or `fe80::/10`, cloud metadata services)",
            Forbidden::UniqueLocal => "a unique-local IPv6 address (`fc00::/7`)",
            Forbidden::Multicast => "a multicast address (`224.0.0.0/4` or `ff00::/8`)",
            Forbidden::Broadcast => "the broadcast address (`255.255.255.255`)",
            Forbidden::Reserved => "a reserved special-purpose address (documentation, benchmarking or future use)",
        })
    }
}

/// Why a webhook must not be delivered to `ip`, or `None` for a public unicast address.
///
/// ```
/// use orion::webhook::outbound::{Forbidden, forbidden};
///
/// assert_eq!(forbidden("169.254.169.254".parse().unwrap()), Some(Forbidden::LinkLocal));
/// assert_eq!(forbidden("::ffff:10.1.2.3".parse().unwrap()), Some(Forbidden::Private));
/// assert_eq!(forbidden("93.184.215.14".parse().unwrap()), None);
/// ```
pub fn forbidden(ip: IpAddr) -> Option<Forbidden> {
    match ip {
        IpAddr::V4(ip) => forbidden_v4(ip),
        IpAddr::V6(ip) => match embedded_ipv4(ip) {
            Some(v4) => forbidden_v4(v4),
            None => forbidden_v6(ip),
        },
    }
}

/// The IPv4 address an IPv6 address reaches, if it is one of the forms that carry one:
/// IPv4-mapped (`::ffff:0:0/96`), NAT64's well-known and local-use prefixes (`64:ff9b::/96`,
/// `64:ff9b:1::/48`) or 6to4 (`2002::/16`).
pub(crate) fn embedded_ipv4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let octets = ip.octets();
    let low = Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(low),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] | [0x64, 0xff9b, 1, _, _, _, _, _] => Some(low),
        [0x2002, _, _, _, _, _, _, _] => Some(Ipv4Addr::new(octets[2], octets[3], octets[4], octets[5])),
        _ => None,
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<Forbidden> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => Forbidden::Unspecified,
        _ if ip.is_broadcast() => Forbidden::Broadcast,
        (0, _, _) => Forbidden::ThisNetwork,
        (127, _, _) => Forbidden::Loopback,
        (10, _, _) | (192, 168, _) => Forbidden::Private,
        (172, 16..=31, _) => Forbidden::Private,
        (100, 64..=127, _) => Forbidden::SharedAddressSpace,
        (169, 254, _) => Forbidden::LinkLocal,
        (224..=239, _, _) => Forbidden::Multicast,
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) | (198, 18..=19, _) => Forbidden::Reserved,
        (240..=255, _, _) => Forbidden::Reserved,
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<Forbidden> {
    let s = ip.segments();
    Some(match s {
        _ if ip.is_unspecified() => Forbidden::Unspecified,
        _ if ip.is_loopback() => Forbidden::Loopback,
        [first, ..] if first & 0xffc0 == 0xfe80 => Forbidden::LinkLocal,
        [first, ..] if first & 0xffc0 == 0xfec0 => Forbidden::UniqueLocal,
        [first, ..] if first & 0xfe00 == 0xfc00 => Forbidden::UniqueLocal,
        [first, ..] if first & 0xff00 == 0xff00 => Forbidden::Multicast,
        // IPv4-compatible (`::a.b.c.d`, deprecated), the discard prefix, documentation, Teredo.
        [0, 0, 0, 0, 0, 0, _, _] | [0x100, 0, 0, 0, _, _, _, _] | [0x2001, 0xdb8, _, _, _, _, _, _] => {
            Forbidden::Reserved
        }
        [0x2001, 0, _, _, _, _, _, _] => Forbidden::Reserved,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
