use maud::html;
use orion::{Ctx, Html, Result, fragment};

#[fragment("/details")]
async fn details(_ctx: &Ctx) -> Result<Html> {
    Ok(html! { p { "details" } })
}

fn main() {}
