//! The webhooks feature: send a signed test event to any URL, and watch the deliveries that
//! failed for good — with why, and a button to send them again.
//!
//! The four files, read top to bottom: [`sql`] (the dead deliveries, read from orion's jobs
//! table), [`view`] (the live region), [`commands`] (the command that enqueues a delivery,
//! and the one that re-queues a dead one) and [`routes`] (the page at `/webhooks`). The slice
//! has no table of its own: a delivery is an orion job.
//!
//! The flow: `send_test` enqueues an `orion::webhook::outbound` delivery in its transaction;
//! the app's job runner sends it with an [`Outbound`] (signed, retried with backoff); a
//! delivery that fails on every attempt — or is refused outright, such as one to a private
//! address — is dead, which publishes `orion.jobs`; the [`view::DeadDeliveries`] region
//! re-reads the dead letters and every viewer sees it, with its last error and a retry
//! button.

pub mod commands;
pub mod routes;
pub mod sql;
pub mod view;

use orion::jobs::Jobs;
use orion::webhook::outbound::{self, Outbound};

/// The environment variable holding the signing secret receivers verify deliveries with.
pub const SECRET_VAR: &str = "TODOS_WEBHOOK_SECRET";

/// The secret used when [`SECRET_VAR`] is not set: fine on a laptop, never in production.
const DEVELOPMENT_SECRET: &str = "whsec_todos_development_only";

/// The routes of the feature.
pub fn routes() -> orion::Routes {
    orion::Routes::new().resource(routes::Webhooks)
}

/// The background jobs of the feature: the sender of outbound webhooks, added to the app's
/// runner. It signs with `$TODOS_WEBHOOK_SECRET` and keeps orion's default guard (public
/// addresses only), timeouts and response cap.
pub fn jobs(jobs: Jobs) -> Jobs {
    let secret = std::env::var(SECRET_VAR).unwrap_or_else(|_| DEVELOPMENT_SECRET.to_owned());
    // One sender for every delivery, registered for the kind `outbound::enqueue` uses.
    let outbound = Outbound::new(&secret);
    jobs.handle(outbound::KIND, outbound.handler())
}
