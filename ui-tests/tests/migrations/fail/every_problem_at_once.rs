// Every problem of the folder is reported, one error each: a folder inside `migrations/`, a
// misnamed file, and the same file name in two features. `CARGO_MANIFEST_DIR` is trybuild's
// `target/tests/trybuild/ui-tests/`: see `misnamed_file.rs`.
fn main() {
    let _ = orion::migrations!("../../../../ui-tests/tests/migrations/fixtures/several");
}
