use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(length(at_most = 3))]
    pub title: String,
}

fn main() {}
