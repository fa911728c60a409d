use maud::html;
use orion::{Ctx, Html, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl Counter {
    fn model(_ctx: &Ctx) -> i64 {
        0
    }

    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

fn main() {}
