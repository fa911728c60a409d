use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(name)]
    pub title: String,
}

fn main() {}
