//! The resource: the webhooks page, its live region and its commands, at `/webhooks`.

use orion::{Document, Page, Result, resource};

use super::commands::{retry, send_test};
use super::view::{self, DeadDeliveries};

/// Outbound webhooks as one hypermedia resource.
#[derive(Debug)]
pub struct Webhooks;

#[resource("/webhooks", regions = [DeadDeliveries], commands = [send_test, retry])]
impl Webhooks {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("webhooks · todos").stylesheet("static/app.css").body(view::page(page)))
    }
}
