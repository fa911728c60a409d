//! Checking subscriber URLs.

use super::Target;

#[test]
fn urls_are_split_into_host_port_and_address() {
    let parse = |url: &str| {
        let target = Target::parse(url).unwrap();
        (target.host, target.port, target.ip.map(|ip| ip.to_string()))
    };
    assert_eq!(parse("https://example.com/hooks?x=1"), ("example.com".to_owned(), 443, None));
    assert_eq!(parse("http://example.com:8080/"), ("example.com".to_owned(), 8080, None));
    assert_eq!(parse("http://127.0.0.1:9/"), ("127.0.0.1".to_owned(), 9, Some("127.0.0.1".to_owned())));
    assert_eq!(
        parse("http://[::ffff:127.0.0.1]/"),
        ("::ffff:127.0.0.1".to_owned(), 80, Some("::ffff:127.0.0.1".to_owned()))
    );
}

#[test]
fn only_absolute_http_urls_without_credentials_pass() {
    let message = |url: &str| Target::parse(url).unwrap_err().message().to_owned();
    assert!(message("ftp://example.com/").contains("the scheme `ftp`"), "{}", message("ftp://example.com/"));
    assert!(
        message("file://localhost/etc/passwd").contains("scheme `file`"),
        "{}",
        message("file://localhost/etc/passwd")
    );
    assert!(message("file:///etc/passwd").contains("is not a URL"), "{}", message("file:///etc/passwd"));
    assert!(message("/hooks").contains("not an absolute URL"), "{}", message("/hooks"));
    assert!(message("https://user:secret@example.com/").contains("credentials"));
    assert!(message("not a url").contains("is not a URL"), "{}", message("not a url"));
}
