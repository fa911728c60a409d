//! The ui tests of orion's macros: every diagnostic they own, as a compile-fail case with its
//! reviewed `.stderr`, and every legitimate form, as a compile-pass case.
//!
//! Layout: `tests/<macro>/{fail,pass}/*.rs`. After changing a message, regenerate with
//! `TRYBUILD=overwrite cargo test -p ui-tests` and review the `.stderr` diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/*/fail/*.rs");
    cases.pass("tests/*/pass/*.rs");
}
