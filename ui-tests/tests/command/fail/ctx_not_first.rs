use orion::{Ctx, Reply, Result, command};

#[command("/todos/{id}/toggle")]
pub async fn toggle(id: i64, ctx: Ctx) -> Result<Reply> {
    let _ = (id, ctx);
    Ok(Reply::new())
}

fn main() {}
