use maud::html;
use orion::{Html, Result, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl Counter {
    fn model() -> Result<i64> {
        Ok(0)
    }

    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

fn main() {}
