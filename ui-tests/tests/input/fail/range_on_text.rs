use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(range(max = 200))]
    pub title: String,
}

fn main() {}
