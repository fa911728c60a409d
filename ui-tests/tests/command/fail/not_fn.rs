use orion::command;

#[command("/todos")]
pub struct Add;

fn main() {}
