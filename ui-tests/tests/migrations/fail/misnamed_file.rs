// trybuild compiles each case as a crate whose manifest is `target/tests/trybuild/ui-tests/`, so
// `CARGO_MANIFEST_DIR` is that folder and the fixture is reached from it: four levels up is the
// workspace root (with the default target dir, which is how the tests are run).
fn main() {
    let _ = orion::migrations!("../../../../ui-tests/tests/migrations/fixtures/misnamed");
}
