use orion::{Document, Page, Result, resource};

pub struct Home;

#[resource("/todos/")]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
