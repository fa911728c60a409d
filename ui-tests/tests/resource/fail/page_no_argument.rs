use orion::{Document, Result, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page() -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
