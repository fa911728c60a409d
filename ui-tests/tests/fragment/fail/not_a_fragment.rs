use maud::html;
use orion::{Document, Page, Result, resource};

#[allow(non_camel_case_types)]
struct details {}

struct Home;

#[resource("/", fragments = [details])]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home").body(html! { p { "home" } }))
    }
}

fn main() {}
