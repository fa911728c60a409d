use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(custom)]
    pub title: String,
}

fn main() {}
