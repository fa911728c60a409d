// The user's struct is filled by field name, and rustc checks it: a missing field, an unknown
// one and a wrong type are its own errors, on the query.
#[derive(Debug)]
pub struct Todo {
    pub id: i64,
    pub title: Option<String>,
    pub done: bool,
}

orion::queries! {
    pub fn all() -> many Todo = "SELECT id, title, due FROM todos";
}

fn main() {}
