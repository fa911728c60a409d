use orion::Input;

fn no_spaces(title: &str) -> bool {
    !title.contains(' ')
}

#[derive(Input)]
pub struct NewTodo {
    #[input(custom = no_spaces)]
    pub title: String,
}

fn main() {}
