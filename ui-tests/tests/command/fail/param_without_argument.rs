use orion::{Ctx, Reply, Result, command};

#[command("/todos/{id}/toggle")]
pub async fn toggle(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
