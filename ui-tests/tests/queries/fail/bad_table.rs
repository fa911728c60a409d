orion::queries! {
    pub fn all() -> many (i64, String) = "SELECT id, title FROM todo ORDER BY id";
}

fn main() {}
