use orion::{Ctx, Input, Reply, Result, command};

#[derive(Input)]
pub struct Rename {
    pub title: String,
}

#[command("/todos/{id}/rename")]
pub async fn rename(_ctx: Ctx, id: i64, input: Rename, notify: bool) -> Result<Reply> {
    let _ = (id, input.title, notify);
    Ok(Reply::new())
}

fn main() {}
