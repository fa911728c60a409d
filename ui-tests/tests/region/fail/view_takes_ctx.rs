use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl Counter {
    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(ctx: &Ctx) -> Html {
        let count: Option<(i64,)> = ctx
            .store
            .query_one("SELECT count(*) FROM clicks", ())
            .unwrap();
        html! { p { (count.map_or(0, |(n,)| n)) } }
    }
}

fn main() {}
