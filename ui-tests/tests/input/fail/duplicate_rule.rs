use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(trim, trim)]
    pub title: String,
}

fn main() {}
