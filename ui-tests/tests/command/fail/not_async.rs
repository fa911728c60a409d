use orion::{Ctx, Reply, Result, command};

#[command("/todos/clear")]
pub fn clear(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
