use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(length())]
    pub title: String,
}

fn main() {}
