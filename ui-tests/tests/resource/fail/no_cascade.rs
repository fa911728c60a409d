// A broken resource is still added to the routes: the user sees the one mistake (the path), not
// "`Home` is not a resource" where it is used.
use orion::{Document, Page, Result, resource};

pub struct Home;

#[resource("home")]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {
    let _routes = orion::Routes::new().resource(Home);
}
