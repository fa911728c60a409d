//! Checking resolved addresses: every one must pass, the allow list is exact (and sees through
//! IPv4-mapped forms), repeats are dropped.

use std::net::IpAddr;

use super::check;
use crate::webhook::outbound::Forbidden;

fn ips(list: &[&str]) -> Vec<IpAddr> {
    list.iter().map(|ip| ip.parse().unwrap()).collect()
}

#[test]
fn one_forbidden_address_refuses_the_whole_answer() {
    assert_eq!(check(ips(&["93.184.215.14", "10.0.0.7"]), &[]), Err((ips(&["10.0.0.7"])[0], Forbidden::Private)));
    assert_eq!(check(ips(&["::1", "127.0.0.1"]), &[]), Err((ips(&["::1"])[0], Forbidden::Loopback)));
    assert_eq!(
        check(ips(&["93.184.215.14", "93.184.215.14", "2606:4700::1"]), &[]),
        Ok(ips(&["93.184.215.14", "2606:4700::1"]))
    );
}

#[test]
fn allowed_addresses_pass_exactly_and_through_their_mapped_form() {
    let allow = ips(&["127.0.0.1"]);
    assert_eq!(check(ips(&["127.0.0.1"]), &allow), Ok(ips(&["127.0.0.1"])));
    assert_eq!(check(ips(&["::ffff:127.0.0.1"]), &allow), Ok(ips(&["::ffff:127.0.0.1"])));
    assert_eq!(check(ips(&["127.0.0.2"]), &allow), Err((ips(&["127.0.0.2"])[0], Forbidden::Loopback)));
    assert_eq!(check(ips(&["127.0.0.1", "::1"]), &allow), Err((ips(&["::1"])[0], Forbidden::Loopback)));
    assert_eq!(check(Vec::new(), &allow), Ok(Vec::new()));
}
