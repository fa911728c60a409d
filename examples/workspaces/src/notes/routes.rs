//! The resource: a workspace's notes page, its live list and its commands, at `/w/{workspace}`.

use orion::{Document, Page, Result, resource};

use super::commands::{add, delete, toggle};
use super::view::{self, NoteList};

/// A workspace's notes as one hypermedia resource.
#[derive(Debug)]
pub struct Workspace;

#[resource("/w/{workspace}", regions = [NoteList], commands = [add, toggle, delete])]
impl Workspace {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("notes · workspaces · orion").stylesheet("static/app.css").body(view::page(page)?))
    }
}
