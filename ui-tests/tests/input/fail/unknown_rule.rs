use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(email)]
    pub title: String,
}

fn main() {}
