orion::queries! {
    pub fn all() -> many i64 { "SELECT id FROM todos" };
}

fn main() {}
