use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Counter;

#[region(topics = "counter")]
impl Counter {
    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

fn main() {
    assert_eq!(<Counter as orion::Region>::TOPICS, ["counter"]);
    assert_eq!(<Counter as orion::Region>::ID, "counter");
}
