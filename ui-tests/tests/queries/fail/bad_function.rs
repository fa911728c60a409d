orion::queries! {
    pub fn lengths() -> many i64 = "SELECT lenght(title) FROM todos";
}

fn main() {}
