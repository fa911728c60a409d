fn main() {
    let _ = orion::migrations!("../../../../ui-tests/tests/migrations/fixtures/nowhere");
}
