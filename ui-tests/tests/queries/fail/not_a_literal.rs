const ALL: &str = "SELECT id FROM todos";

orion::queries! {
    pub fn all() -> many i64 = ALL;
}

fn main() {}
