use orion::{Ctx, Reply, Result, command};

#[command("/lists/{id}/todos/{id}")]
pub async fn toggle(_ctx: Ctx, id: i64) -> Result<Reply> {
    let _ = id;
    Ok(Reply::new())
}

fn main() {}
