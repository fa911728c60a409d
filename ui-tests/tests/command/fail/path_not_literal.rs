use orion::{Ctx, Reply, Result, command};

const CLEAR: &str = "/todos/clear";

#[command(CLEAR)]
pub async fn clear(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {
    let _ = CLEAR;
}
