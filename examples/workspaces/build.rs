//! Rebuilds the app when a migration is added: `orion::migrations!()` embeds every file under
//! `src/**/migrations/`, and `orion::queries!` checks the named queries against them (it asks
//! every crate using it for this build script); cargo only notices new files in a folder it was
//! told to watch.

fn main() {
    println!("cargo:rerun-if-changed=src");
}
