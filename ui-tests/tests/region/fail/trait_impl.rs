use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl orion::Region for Counter {
    type Model = i64;
    const ID: &'static str = "counter";
    const TOPICS: &'static [&'static str] = &["counter"];

    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

fn main() {}
