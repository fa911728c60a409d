orion::queries! {
    pub fn all() -> many (i64, String) = "SELECT id, title, done FROM todos";
}

fn main() {}
