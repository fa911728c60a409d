use maud::html;
use orion::{Ctx, Html, Result, region};

pub struct Todo;

#[region(topics = ["todos"])]
impl Todo {
    fn model(_ctx: &Ctx, id: i64) -> Result<i64> {
        Ok(id)
    }

    fn view(id: &i64) -> Html {
        html! { p { (id) } }
    }
}

fn main() {}
