use orion::{Document, Page, Result, resource};

const HOME: &str = "/";

pub struct Home;

#[resource(HOME, commands = [])]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {
    let _ = HOME;
}
