orion::queries! {
    pub fn get(id: i64) -> optional String = "SELECT title FROM todos WHERE id = :id";
}

fn main() {}
