use orion::{Reply, Result, command};

#[command("/todos/clear")]
pub async fn clear() -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
