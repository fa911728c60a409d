use orion::{Document, Page, Result, resource};

pub struct Home<T>(T);

#[resource("/")]
impl<T> Home<T> {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
