use maud::html;
use orion::{Ctx, Html, Result, fragment};

#[fragment("/todos/{id}/details", selector = "#details", mode = "inner")]
fn details(ctx: &Ctx, id: i64) -> Result<Html> {
    let _ = (ctx, id);
    Ok(html! { p { "details" } })
}

#[fragment("/about")]
fn about(_ctx: Ctx) -> Result<Html> {
    Ok(html! { p id="about" { "orion" } })
}

fn main() {
    assert_eq!(details::url(7), "todos/7/details");
    assert_eq!(details::action(7), "@get('todos/7/details')");
    assert_eq!(about::action(), "@get('about')");
    let route = <details as orion::command::Fragment>::route();
    assert_eq!(route.method(), orion::__private::Method::GET);
    assert_eq!(route.path(), "/todos/{id}/details");
}
