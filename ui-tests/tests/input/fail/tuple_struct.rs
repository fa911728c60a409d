use orion::Input;

#[derive(Input)]
pub struct Title(pub String);

fn main() {}
