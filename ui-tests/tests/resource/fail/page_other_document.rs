// `page` returns a `Result`, but not of a `Document`: rustc's own error, on the return type.
use orion::{Page, Result, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(_page: &Page) -> Result<String> {
        Ok("home".to_owned())
    }
}

fn main() {}
