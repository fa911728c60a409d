use http::Method;

use super::read;
use crate::ErrorKind;

#[test]
fn get_reads_the_datastar_query_parameter() {
    let signals = read(&Method::GET, Some("x=1&datastar=%7B%22title%22%3A%22a+b%22%7D"), b"").unwrap();
    assert_eq!(signals["title"], "a b");
}

#[test]
fn delete_reads_the_query_and_ignores_the_body() {
    let signals = read(&Method::DELETE, Some("datastar=%7B%22n%22%3A2%7D"), b"{\"n\":1}").unwrap();
    assert_eq!(signals["n"], 2);
}

#[test]
fn post_reads_the_json_body() {
    let signals = read(&Method::POST, Some("datastar=%7B%7D"), br#"{"title":"milk"}"#).unwrap();
    assert_eq!(signals["title"], "milk");
}

#[test]
fn no_signals_read_as_an_empty_object() {
    assert!(read(&Method::GET, None, b"").unwrap().is_empty());
    assert!(read(&Method::POST, None, b"  ").unwrap().is_empty());
}

#[test]
fn malformed_signals_are_a_bad_request_saying_where() {
    let error = read(&Method::POST, None, b"{\"title\":").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    assert!(error.message().starts_with("malformed signals: the request body is not valid JSON"), "{error}");

    let error = read(&Method::GET, Some("datastar=%5B1%5D"), b"").unwrap_err();
    assert_eq!(
        error.message(),
        "malformed signals: the `datastar` query parameter must hold a JSON object, found an array"
    );
}
