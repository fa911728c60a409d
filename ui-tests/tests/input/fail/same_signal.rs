use orion::Input;

#[derive(Input)]
pub struct Rename {
    pub title: String,
    #[input(name = "title")]
    pub new_title: String,
}

fn main() {}
