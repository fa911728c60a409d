use orion::{Ctx, Result, command};

#[command("/todos/clear")]
pub async fn clear(_ctx: Ctx) -> Result<()> {
    Ok(())
}

fn main() {}
