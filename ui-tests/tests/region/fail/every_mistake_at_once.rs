use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Counter;

#[region(topic = ["counter"])]
impl Counter {
    async fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(ctx: &Ctx) -> Html {
        let _ = ctx;
        html! { p { "count" } }
    }
}

fn main() {}
