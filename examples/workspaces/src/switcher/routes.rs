//! The home page, at `/`: the switcher, and nothing tenant-scoped (it names no workspace).

use maud::html;
use orion::{Document, Page, Result, resource};

use super::view;

/// The home page.
#[derive(Debug)]
pub struct Home;

#[resource("/")]
impl Home {
    fn page(page: &Page) -> Result<Document> {
        let nav = view::nav(page, None)?;
        Ok(Document::new("workspaces · orion").stylesheet("static/app.css").body(html! {
            main class="app" {
                (nav)
                h1 { "Pick a workspace" }
                p class="tagline" { "Each workspace is a tenant: its notes are its own, live for everyone in it." }
            }
        }))
    }
}
