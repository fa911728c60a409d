orion::queries! {
    pub fn all() -> multi (i64, String) = "SELECT id, title FROM todos";
}

fn main() {}
