// Deriving serde's `Deserialize` is not enough: an input is read field by field, with rules.
use orion::{Ctx, Reply, Result, command};

#[derive(serde::Deserialize)]
pub struct NewTodo {
    pub title: String,
}

#[command("/todos")]
pub async fn add(_ctx: Ctx, input: NewTodo) -> Result<Reply> {
    let _ = input.title;
    Ok(Reply::new())
}

fn main() {}
