//! Rebuilds the ui tests' crate when a migration is added under `src/` (the named queries of
//! `tests/queries/` are checked against `src/queries/migrations/`): `orion::queries!` asks
//! every crate using it for this build script.

fn main() {
    println!("cargo:rerun-if-changed=src");
}
