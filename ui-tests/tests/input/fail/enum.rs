use orion::Input;

#[derive(Input)]
pub enum Choice {
    Yes,
    No,
}

fn main() {}
