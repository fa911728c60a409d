//! The read side: the live region listing the recent exports, each with its `<progress>`
//! bar, and the page around it.

use maud::html;
use orion::jobs::{self, State};
use orion::{Ctx, Html, Page, Result, region};

use super::commands::{request_export, retry};
use super::sql::{self, Export, TOPIC};

/// The recent exports. Re-read when an export is written (`exports`) and when any job moves
/// (`orion.jobs`: progress, done, failed); an unchanged model sends nothing.
#[derive(Debug)]
pub struct Exports;

#[region(topics = [TOPIC, jobs::TOPIC])]
impl Exports {
    /// Model: the recent exports, with their jobs, read in one snapshot.
    fn model(ctx: &Ctx) -> Result<Vec<Export>> {
        ctx.store.read(|db| sql::recent(db))
    }

    /// View: one `<li>` per export, its bar, and the CSV once it is built.
    fn view(exports: &Vec<Export>) -> Html {
        html! {
            @if exports.is_empty() {
                p class="empty" { "No exports yet." }
            } @else {
                ol class="exports" {
                    @for export in exports { (item(export)) }
                }
            }
        }
    }
}

/// One export.
fn item(export: &Export) -> Html {
    let percent = export.progress.percent();
    html! {
        li id={ "export-" (export.id) } class="export" {
            span class="requested" { "Export " (export.id) ", asked for at " time { (export.requested_at) } " UTC" }
            progress value=(export.progress.done) max=(export.progress.total.max(1)) { (percent) "%" }
            span class="percent" { (percent) "%" }
            span class="state" {
                @match export.state {
                    State::Queued => "waiting for a worker",
                    State::Running => "building",
                    State::Done => "done",
                    State::Dead => "failed",
                }
            }
            @if let (State::Dead, Some(error)) = (export.state, &export.error) {
                p class="error" { (error) }
                button type="button" data-on:click=(retry::action(export.id)) { "Retry" }
            }
            @if let Some((csv, rows)) = &export.csv {
                details {
                    summary { (rows) @if *rows == 1 { " todo" } @else { " todos" } }
                    pre { (csv) }
                }
            }
        }
    }
}

/// The page: the export button and the live list of exports.
pub fn page(page: &Page) -> Html {
    html! {
        main class="app" {
            header {
                h1 { "export" }
                p class="tagline" { "The list as CSV, built in the background. The bar moves in every window." }
            }
            form class="add" data-on:submit=(request_export::action()) {
                button type="submit" { "Export the list" }
            }
            (page.region(Exports))
            p { a href="./" { "Back to the list" } }
        }
    }
}
