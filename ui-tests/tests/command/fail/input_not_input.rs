use orion::{Ctx, Reply, Result, command};

pub struct NewTodo {
    pub title: String,
}

#[command("/todos")]
pub async fn add(_ctx: Ctx, input: NewTodo) -> Result<Reply> {
    let _ = input.title;
    Ok(Reply::new())
}

fn main() {}
