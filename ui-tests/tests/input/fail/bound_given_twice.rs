use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(length(max = 3, max = 200))]
    pub title: String,
}

fn main() {}
