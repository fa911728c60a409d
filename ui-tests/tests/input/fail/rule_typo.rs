use orion::Input;

#[derive(Input)]
pub struct NewTodo {
    #[input(lenght(max = 3))]
    pub title: String,
}

fn main() {}
