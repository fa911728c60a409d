//! The read side: the live region listing the dead deliveries, and the page around it.

use maud::html;
use orion::html::field_error;
use orion::jobs;
use orion::webhook::outbound::DeadDelivery;
use orion::{Ctx, Html, Page, Result, region};

use super::commands::{retry, send_test};
use super::sql;

/// The deliveries that failed for good. Re-read whenever any job moves (`orion.jobs`: a
/// delivery died, or was re-queued); an unchanged model sends nothing.
#[derive(Debug)]
pub struct DeadDeliveries;

#[region(topics = [jobs::TOPIC])]
impl DeadDeliveries {
    /// Model: the dead deliveries, from orion's dead-letter view.
    fn model(ctx: &Ctx) -> Result<Vec<DeadDelivery>> {
        ctx.store.read(|db| sql::dead(db))
    }

    /// View: one `<li>` per dead delivery: what, where, how often, why, and a retry button.
    fn view(dead: &Vec<DeadDelivery>) -> Html {
        html! {
            @if dead.is_empty() {
                p class="empty" { "No failed deliveries." }
            } @else {
                ol class="deliveries" {
                    @for letter in dead { (item(letter)) }
                }
            }
        }
    }
}

/// One dead delivery.
fn item(letter: &DeadDelivery) -> Html {
    let delivery = &letter.delivery;
    html! {
        li id={ "delivery-" (letter.job) } class="delivery" {
            span class="event" { code { (delivery.event) } " to " code { (delivery.url) } }
            span class="attempts" { ", " (letter.attempts) @if letter.attempts == 1 { " attempt" } @else { " attempts" } }
            p class="error" { (letter.last_error) }
            button type="button" data-on:click=(retry::action(letter.job.0)) { "Retry" }
        }
    }
}

/// The page: the test form and the live list of dead deliveries.
pub fn page(page: &Page) -> Html {
    html! {
        main class="app" data-signals="{url: ''}" {
            header {
                h1 { "webhooks" }
                p class="tagline" { "Signed events, retried with backoff. The ones that failed for good stay here." }
            }
            form id=(send_test::form()) class="add" data-on:submit=(send_test::action()) {
                input type="url" data-bind:url placeholder="https://example.com/webhooks" aria-label="receiver URL"
                    autocomplete="off";
                button type="submit" { "Send a test event" }
                (field_error(&send_test::form(), "url"))
            }
            (page.region(DeadDeliveries))
            p { a href="./" { "Back to the list" } }
        }
    }
}
