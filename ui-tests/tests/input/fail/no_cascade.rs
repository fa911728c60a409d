// A broken input is still usable by its command: the user sees the one mistake (the rule's
// typo), not "`NewTodo` cannot be read from a request's signals" on every command using it.
use orion::{Ctx, Input, Reply, Result, command};

#[derive(Input)]
pub struct NewTodo {
    #[input(lenght(max = 200))]
    pub title: String,
}

#[command("/todos")]
pub async fn add(_ctx: Ctx, input: NewTodo) -> Result<Reply> {
    let _ = input.title;
    Ok(Reply::new().reset::<NewTodo>(&add::form()))
}

fn main() {
    let _ = NewTodo::FIELDS;
}
