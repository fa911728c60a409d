use maud::html;
use orion::{Html, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl Counter {
    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

fn main() {}
