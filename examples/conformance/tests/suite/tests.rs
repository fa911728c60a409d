use std::path::PathBuf;

use super::{Candidate, Method, encode_component, first_existing, missing, own, own_folder};

fn candidate(label: &str, folder: Option<&str>) -> Candidate {
    Candidate { label: label.to_owned(), folder: folder.map(PathBuf::from) }
}

#[test]
fn the_first_existing_folder_wins() {
    let here = env!("CARGO_MANIFEST_DIR");
    let candidates = [
        candidate("`$X`", None),
        candidate("nowhere", Some("/nonexistent/datastar-sdk-tests")),
        candidate("here", Some(here)),
        candidate("also here", Some("/")),
    ];
    assert_eq!(first_existing(&candidates), Ok(PathBuf::from(here)));
}

#[test]
fn no_existing_folder_says_where_it_looked_and_what_to_set() {
    let candidates = [candidate("`$DATASTAR_SDK_TESTS`", None), candidate("the default", Some("/nonexistent/x"))];
    assert_eq!(
        first_existing(&candidates),
        Err("cannot find the official Datastar SDK conformance cases; looked in:\n\
             \x20 - `$DATASTAR_SDK_TESTS`: not set\n\
             \x20 - the default: `/nonexistent/x` does not exist\n\
             set `DATASTAR_SDK_TESTS` to the folder holding `get-cases/` and `post-cases/` (a copy of the \
             `sdk/tests/golden` cases of starfederation/datastar)"
            .to_owned())
    );
}

#[test]
fn a_missing_case_is_named() {
    let cases = own(&own_folder());
    assert_eq!(missing(&cases, Method::Get, &["patchElementsWithNamespaceSvg", "noSuchCase"]), vec!["noSuchCase"]);
    assert_eq!(
        missing(&cases, Method::Post, &["patchElementsWithNamespaceSvg"]),
        vec!["patchElementsWithNamespaceSvg"]
    );
}

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(encode_component("{\"a\": \"<b>&+\"}\n"), "%7B%22a%22%3A%20%22%3Cb%3E%26%2B%22%7D%0A");
    assert_eq!(encode_component("aZ0-_.~é"), "aZ0-_.~%C3%A9");
}
