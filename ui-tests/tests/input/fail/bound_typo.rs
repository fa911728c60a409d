use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(length(mxa = 3))]
    pub title: String,
}

fn main() {}
