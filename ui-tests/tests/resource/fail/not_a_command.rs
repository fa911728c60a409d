use orion::{Ctx, Document, Page, Reply, Result, resource};

// A plain `async fn`, without `#[command]`.
pub async fn add(_ctx: Ctx) -> Result<Reply> {
    Ok(Reply::new())
}

pub struct Home;

#[resource("/", commands = [add])]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
