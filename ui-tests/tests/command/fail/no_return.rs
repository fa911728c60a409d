use orion::{Ctx, command};

#[command("/todos/clear")]
pub async fn clear(_ctx: Ctx) {}

fn main() {}
