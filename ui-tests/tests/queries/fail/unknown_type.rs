// `meta` has no declared type: its values could be anything, so it needs an annotation.
orion::queries! {
    pub fn metas() -> many i64 = "SELECT meta FROM todos";
}

fn main() {}
