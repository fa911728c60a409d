//! Tenant keys: what is accepted, what is refused and what the refusal says.

use super::{Problem, TenantKey};

/// Parses `key`; `expect` is `ok` or the whole error message.
fn check(key: &str, expect: &str) {
    let actual = match TenantKey::parse(key) {
        Ok(parsed) => {
            assert_eq!(parsed.as_str(), key);
            "ok".to_owned()
        }
        Err(error) => error.to_string(),
    };
    assert_eq!(actual, expect, "key {key:?}");
}

#[test]
fn keys_in_the_alphabet_are_accepted() {
    for key in ["acme", "a", "0", "acme-corp", "acme_corp", "team-42", "9lives", &"a".repeat(63), "con1", "nul-x"] {
        check(key, "ok");
    }
}

#[test]
fn path_traversal_and_separators_are_refused() {
    check(
        "../x",
        "invalid tenant key `../x`: `.` at byte 0 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a/b",
        "invalid tenant key `a/b`: `/` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a\\b",
        "invalid tenant key `a\\\\b`: `\\\\` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        ".",
        "invalid tenant key `.`: `.` at byte 0 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "..",
        "invalid tenant key `..`: `.` at byte 0 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        ".hidden",
        "invalid tenant key `.hidden`: `.` at byte 0 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a.db",
        "invalid tenant key `a.db`: `.` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a\0b",
        "invalid tenant key `a\\0b`: `\\0` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a b",
        "invalid tenant key `a b`: ` ` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "a:b",
        "invalid tenant key `a:b`: `:` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "añb",
        "invalid tenant key `añb`: `ñ` at byte 1 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
}

#[test]
fn empty_long_uppercase_odd_starts_and_device_names_are_refused() {
    check("", "invalid tenant key ``: it is empty: a tenant key has 1 to 63 characters");
    let long = "a".repeat(64);
    check(
        &long,
        &format!(
            "invalid tenant key `{}…`: it is 64 bytes long: a tenant key has at most 63 characters",
            "a".repeat(63)
        ),
    );
    check(
        "Acme",
        "invalid tenant key `Acme`: `A` at byte 0 is not allowed: use only lowercase letters `a-z`, digits `0-9`, `-` and `_`",
    );
    check(
        "-acme",
        "invalid tenant key `-acme`: it starts with `-`: start a tenant key with a lowercase letter or a digit",
    );
    check(
        "_acme",
        "invalid tenant key `_acme`: it starts with `_`: start a tenant key with a lowercase letter or a digit",
    );
    check(
        "con",
        "invalid tenant key `con`: it is a device name Windows reserves, which no file can have: choose another key",
    );
    check(
        "lpt9",
        "invalid tenant key `lpt9`: it is a device name Windows reserves, which no file can have: choose another key",
    );
}

#[test]
fn the_problem_is_a_value_and_a_400() {
    let error = TenantKey::parse("a/b").unwrap_err();
    assert_eq!(error.problem(), &Problem::Character { character: '/', at: 1 });
    let error = crate::Error::from(error);
    assert_eq!(error.kind(), crate::ErrorKind::BadRequest);
    assert!(error.is_public());
}

#[test]
fn a_key_binds_and_prints_as_its_text() {
    let key: TenantKey = "acme".parse().unwrap();
    assert_eq!(key.to_string(), "acme");
    assert_eq!(format!("{key:?}"), "TenantKey(\"acme\")");
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let echoed: String = conn.query_row("SELECT ?1", [&key], |row| row.get(0)).unwrap();
    assert_eq!(echoed, "acme");
}
