// A broken command is still listed by its resource and called by its views: the user sees the
// one mistake (the method), not "`add` is a function, not a type" everywhere it is used.
use maud::html;
use orion::{Ctx, Document, Page, Reply, Result, command, resource};

#[command("/todos/{id}/toggle", method = "toggle")]
pub async fn toggle(_ctx: Ctx, id: i64) -> Result<Reply> {
    let _ = id;
    Ok(Reply::new())
}

pub struct Home;

#[resource("/", commands = [toggle])]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("home").body(html! {
            button data-on:click=(toggle::action(7)) { "toggle" }
            form id=(toggle::form(7)) {}
            a href=(toggle::url(7)) {}
        }))
    }
}

fn main() {}
