//! The resource: the todos page, its live regions and its commands, at `/`.

use orion::{Document, Page, Result, resource};

use super::commands::{add, clear_completed, delete, rename, toggle};
use super::view::{self, Remaining, TodoList, details};

// ANCHOR: resource
/// The todo list as one hypermedia resource.
#[derive(Debug)]
pub struct Todos;

#[resource(
    "/",
    regions = [TodoList, Remaining],
    commands = [add, toggle, rename, delete, clear_completed],
    fragments = [details]
)]
impl Todos {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("todos · orion").stylesheet("static/app.css").body(view::page(page)))
    }
}
// ANCHOR_END: resource
