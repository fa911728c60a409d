use orion::{Document, Result, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(&self) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
