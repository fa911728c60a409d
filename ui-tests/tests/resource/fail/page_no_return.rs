use orion::{Page, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(_page: &Page) {}
}

fn main() {}
