use orion::{Ctx, Reply, Result, command};

#[command("/todos/{id}/toggle", methd = "post")]
pub fn toggle(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

fn main() {}
