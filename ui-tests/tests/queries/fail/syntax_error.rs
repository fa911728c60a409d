orion::queries! {
    pub fn all() -> many i64 = "SELECT id FORM todos";
}

fn main() {}
