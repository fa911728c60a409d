// A broken region is still listed by its resource and shown by its page: the user sees the one
// mistake (the missing `topics`), not "`Counter` is not a region" everywhere it is used.
use maud::html;
use orion::{Ctx, Document, Html, Page, Result, region, resource};

pub struct Counter;

#[region(id = "counter")]
impl Counter {
    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }

    fn view(count: &i64) -> Html {
        html! { p { (count) } }
    }
}

pub struct Home;

#[resource("/", regions = [Counter])]
impl Home {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("home").body(page.region(Counter)))
    }
}

fn main() {
    let _ = <Counter as orion::Region>::ID;
}
