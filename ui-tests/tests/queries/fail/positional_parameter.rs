orion::queries! {
    pub fn get(id) -> optional String = "SELECT title FROM todos WHERE id = ?1";
}

fn main() {}
