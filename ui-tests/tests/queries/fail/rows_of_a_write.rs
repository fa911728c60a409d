orion::queries! {
    pub fn finish(id) -> one i64 = "UPDATE todos SET done = 1 WHERE id = :id";
}

fn main() {}
