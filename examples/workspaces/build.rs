//! Rebuilds the app when a migration is added: `orion::migrations!()` embeds every file under
//! `src/**/migrations/`, and cargo only notices new files in a folder it was told to watch.

fn main() {
    println!("cargo:rerun-if-changed=src");
}
