use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(length(min))]
    pub title: String,
}

fn main() {}
