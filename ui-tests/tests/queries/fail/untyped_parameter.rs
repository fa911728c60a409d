// Nothing says what `:x` is (`IS NULL` only says it may be NULL): the checker asks for a cast
// rather than guessing.
orion::queries! {
    pub fn all(x) -> many i64 = "SELECT id FROM todos WHERE :x IS NULL";
}

fn main() {}
