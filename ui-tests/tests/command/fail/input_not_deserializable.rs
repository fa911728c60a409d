use orion::{Ctx, Input, Reply, Result, command};

pub struct Title(String);

#[derive(Input)]
pub struct NewTodo {
    pub title: Title,
}

#[command("/todos")]
pub async fn add(_ctx: Ctx, input: NewTodo) -> Result<Reply> {
    let _ = input.title.0;
    Ok(Reply::new())
}

fn main() {}
