orion::queries! {
    pub fn metas() -> many i64 = "SELECT meta AS \"meta: int\" FROM todos";
}

fn main() {}
