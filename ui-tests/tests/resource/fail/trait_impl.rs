use orion::command::CommandRoute;
use orion::region::RegionDef;
use orion::{Document, Page, Result, resource};

pub struct Home;

#[resource("/")]
impl orion::Resource for Home {
    const PATH: &'static str = "/";

    fn regions() -> Vec<RegionDef> {
        Vec::new()
    }

    fn commands() -> Vec<CommandRoute> {
        Vec::new()
    }

    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home"))
    }
}

fn main() {}
