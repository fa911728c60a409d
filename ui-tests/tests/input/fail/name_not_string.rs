use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(name = todo_title)]
    pub title: String,
}

fn main() {}
