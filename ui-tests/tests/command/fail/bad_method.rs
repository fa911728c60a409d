use orion::{Ctx, Reply, Result, command};

#[command("/todos/clear", method = "remove")]
pub async fn clear(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
