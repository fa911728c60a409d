use orion::Input;

#[derive(Input)]
pub struct Nothing;

fn main() {}
