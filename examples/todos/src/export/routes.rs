//! The resource: the export page, its live region and its commands, at `/exports`.

use orion::{Document, Page, Result, resource};

use super::commands::{request_export, retry};
use super::view::{self, Exports};

/// The exports of the todo list as one hypermedia resource.
#[derive(Debug)]
pub struct Export;

#[resource("/exports", regions = [Exports], commands = [request_export, retry])]
impl Export {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("export · todos").stylesheet("static/app.css").body(view::page(page)))
    }
}
