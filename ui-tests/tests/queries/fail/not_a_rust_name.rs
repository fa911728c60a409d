// A struct is filled by column name, so every column needs a name that is a Rust name.
orion::queries! {
    pub fn stats() -> one struct Stats = "SELECT count(*), max(id) AS highest FROM todos";
}

fn main() {}
