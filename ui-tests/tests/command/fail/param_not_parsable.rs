use orion::{Ctx, Reply, Result, command};

pub struct TodoId(i64);

#[command("/todos/{id}/toggle")]
pub async fn toggle(_ctx: Ctx, id: TodoId) -> Result<Reply> {
    let _ = id.0;
    Ok(Reply::new())
}

fn main() {}
