use orion::{Ctx, Reply, Result, command};

#[command("/todos/clear", "delete")]
pub async fn clear(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
