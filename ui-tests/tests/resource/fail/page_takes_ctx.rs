use orion::{Ctx, Document, Result, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(_ctx: &Ctx) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
