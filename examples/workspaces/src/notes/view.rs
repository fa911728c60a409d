//! The read side: the live list of a workspace's notes, and the page around it.
//!
//! The region's model is read through `ctx.tenant()`, the workspace's own store: two workspaces
//! never share a region instance, a render or a wake-up. The view is a pure function of the
//! model, which carries the workspace key its links need.

use maud::html;
use orion::html::field_error;
use orion::tenant::TenantKey;
use orion::{Ctx, Html, Page, Result, region};

use super::commands::{add, delete, toggle};
use super::sql::{self, Note, TOPIC};
use crate::switcher;

/// What the list shows: the workspace and its notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// The workspace.
    pub workspace: TenantKey,
    /// Its notes, oldest first.
    pub notes: Vec<Note>,
}

/// The workspace's notes: re-read and re-rendered on every publish of `notes` in it.
#[derive(Debug)]
pub struct NoteList;

#[region(topics = [TOPIC])]
impl NoteList {
    /// Model: the workspace's notes (404 for a workspace that does not exist).
    fn model(ctx: &Ctx) -> Result<Board> {
        let tenant = ctx.tenant()?;
        Ok(Board { workspace: tenant.key().clone(), notes: sql::notes::all(&tenant)? })
    }

    /// View: one `<li>` per note, with its toggle and delete.
    fn view(board: &Board) -> Html {
        html! {
            @if board.notes.is_empty() {
                p class="empty" { "No notes in " (board.workspace) " yet." }
            } @else {
                ul class="notes" {
                    @for note in &board.notes { (item(&board.workspace, note)) }
                }
            }
        }
    }
}

/// One note.
fn item(workspace: &TenantKey, note: &Note) -> Html {
    html! {
        li id={ "note-" (note.id) } class={ "note" @if note.done { " done" } } {
            input type="checkbox" checked[note.done] aria-label={ "done: " (note.body) }
                data-on:change=(toggle::action(workspace, note.id));
            span class="body" { (note.body) }
            button type="button" class="delete" aria-label={ "delete: " (note.body) }
                data-on:click=(delete::action(workspace, note.id)) { "×" }
        }
    }
}

/// The page: the switcher, the add form (the requester's own state) and the live list.
pub fn page(page: &Page) -> Result<Html> {
    let tenant = page.tenant()?;
    let workspace = tenant.key();
    Ok(html! {
        main class="app" data-signals="{body: ''}" {
            (switcher::nav(page, Some(workspace))?)
            h1 { (workspace) }
            form id=(add::form(workspace)) class="add" data-on:submit=(add::action(workspace)) {
                input type="text" data-bind:body placeholder="A note for this workspace" aria-label="new note"
                    autocomplete="off" autofocus;
                button type="submit" { "Add" }
                (field_error(&add::form(workspace), "body"))
            }
            (page.region(NoteList))
        }
    })
}
