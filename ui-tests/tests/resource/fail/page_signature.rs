use maud::html;
use orion::{Html, Page, resource};

pub struct Home;

#[resource("/")]
impl Home {
    fn page(_page: &Page) -> Html {
        html! { h1 { "home" } }
    }
}

fn main() {}
