//! The classifier, one table per family: every range the guard refuses (its first and last
//! address, and the ones attackers reach for), the public addresses right next to them, and
//! the IPv6 forms that carry an IPv4 address.

use std::net::IpAddr;

use super::Forbidden::*;
use super::{Forbidden, forbidden};

/// `(address, expected)` for each case.
fn check(cases: &[(&str, Option<Forbidden>)]) {
    let mut wrong = Vec::new();
    for &(address, expected) in cases {
        let ip: IpAddr = address.parse().unwrap_or_else(|_| panic!("`{address}` is not an IP address"));
        let got = forbidden(ip);
        if got != expected {
            wrong.push(format!("{address}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn ipv4_special_ranges_are_refused_and_their_neighbours_pass() {
    check(&[
        ("0.0.0.0", Some(Unspecified)),
        ("0.1.2.3", Some(ThisNetwork)),
        ("127.0.0.1", Some(Loopback)),
        ("127.255.255.254", Some(Loopback)),
        ("10.0.0.1", Some(Private)),
        ("10.255.255.255", Some(Private)),
        ("172.16.0.1", Some(Private)),
        ("172.31.255.255", Some(Private)),
        ("172.15.255.255", None),
        ("172.32.0.0", None),
        ("192.168.0.1", Some(Private)),
        ("192.169.0.1", None),
        ("100.64.0.1", Some(SharedAddressSpace)),
        ("100.127.255.255", Some(SharedAddressSpace)),
        ("100.63.255.255", None),
        ("100.128.0.0", None),
        ("169.254.169.254", Some(LinkLocal)),
        ("169.254.0.1", Some(LinkLocal)),
        ("169.253.255.255", None),
        ("224.0.0.1", Some(Multicast)),
        ("239.255.255.250", Some(Multicast)),
        ("255.255.255.255", Some(Broadcast)),
        ("240.0.0.1", Some(Reserved)),
        ("192.0.0.8", Some(Reserved)),
        ("192.0.2.1", Some(Reserved)),
        ("198.51.100.7", Some(Reserved)),
        ("203.0.113.9", Some(Reserved)),
        ("198.18.0.1", Some(Reserved)),
        ("198.19.255.255", Some(Reserved)),
        ("198.20.0.0", None),
        ("1.1.1.1", None),
        ("8.8.8.8", None),
        ("93.184.215.14", None),
        ("223.255.255.255", None),
    ]);
}

#[test]
fn ipv6_special_ranges_are_refused_and_public_addresses_pass() {
    check(&[
        ("::", Some(Unspecified)),
        ("::1", Some(Loopback)),
        ("fe80::1", Some(LinkLocal)),
        ("febf:ffff::1", Some(LinkLocal)),
        ("fec0::1", Some(UniqueLocal)),
        ("fc00::1", Some(UniqueLocal)),
        ("fd12:3456:789a::1", Some(UniqueLocal)),
        ("fbff:ffff::1", None),
        ("ff02::1", Some(Multicast)),
        ("ff0e::101", Some(Multicast)),
        ("2001:db8::1", Some(Reserved)),
        ("100::1", Some(Reserved)),
        ("2001::1", Some(Reserved)),
        ("::2", Some(Reserved)),
        ("2606:4700:4700::1111", None),
        ("2001:4860:4860::8888", None),
        ("2a00:1450:4001:80b::200e", None),
    ]);
}

#[test]
fn ipv6_forms_of_ipv4_addresses_are_judged_by_the_ipv4_address() {
    check(&[
        // IPv4-mapped.
        ("::ffff:127.0.0.1", Some(Loopback)),
        ("::ffff:7f00:1", Some(Loopback)),
        ("::ffff:10.0.0.1", Some(Private)),
        ("::ffff:172.16.5.4", Some(Private)),
        ("::ffff:192.168.1.1", Some(Private)),
        ("::ffff:169.254.169.254", Some(LinkLocal)),
        ("::ffff:100.64.0.1", Some(SharedAddressSpace)),
        ("::ffff:0.0.0.0", Some(Unspecified)),
        ("::ffff:255.255.255.255", Some(Broadcast)),
        ("::ffff:224.0.0.1", Some(Multicast)),
        ("::ffff:8.8.8.8", None),
        // NAT64, well-known and local-use prefixes.
        ("64:ff9b::127.0.0.1", Some(Loopback)),
        ("64:ff9b::a9fe:a9fe", Some(LinkLocal)),
        ("64:ff9b:1::10.0.0.1", Some(Private)),
        ("64:ff9b::8.8.8.8", None),
        // 6to4: the IPv4 address is in bits 16 to 48.
        ("2002:7f00:1::", Some(Loopback)),
        ("2002:a00:1::1", Some(Private)),
        ("2002:808:808::1", None),
        // IPv4-compatible (deprecated).
        ("::127.0.0.1", Some(Reserved)),
    ]);
}
