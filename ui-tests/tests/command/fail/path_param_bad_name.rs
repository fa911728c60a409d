use orion::{Ctx, Reply, Result, command};

#[command("/todos/{todo-id}")]
pub async fn toggle(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
