use orion::{Document, Page, Result, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(page: &Page, title: &str) -> Result<Document> {
        let _ = page;
        Ok(Document::new(title))
    }
}

fn main() {}
