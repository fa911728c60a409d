orion::queries! {
    pub fn rename(tx, id) -> count = "UPDATE todos SET title = :tx WHERE id = :id";
}

fn main() {}
