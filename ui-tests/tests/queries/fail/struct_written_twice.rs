orion::queries! {
    pub fn all() -> many struct Todo = "SELECT id, title FROM todos";
    pub fn get(id) -> optional struct Todo = "SELECT id, title FROM todos WHERE id = :id";
}

fn main() {}
