use orion::{Ctx, Reply, Result, command};

#[command("/todos/clear", status = 303)]
pub async fn clear(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
