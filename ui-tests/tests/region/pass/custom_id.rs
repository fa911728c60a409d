use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Remaining;

#[region(id = "footer", topics = ["todos"])]
impl Remaining {
    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(left: &i64) -> Html {
        html! { footer { (left) " left" } }
    }

    // Other functions of the block stay as they are.
    fn unused_helper() {}
}

fn main() {
    assert_eq!(<Remaining as orion::Region>::ID, "footer");
    Remaining::unused_helper();
}
