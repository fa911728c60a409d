//! The data of the webhooks feature: the dead deliveries. They live in orion's jobs table, so
//! this is one call of the dead-letter view, [`outbound::dead`].

use orion::Result;
use orion::store::Sql;
use orion::webhook::outbound::{self, DeadDelivery};

/// How many dead deliveries the page shows, oldest first.
const SHOWN: u32 = 20;

/// The dead deliveries: URL, event, attempts, last error.
pub fn dead(db: &impl Sql) -> Result<Vec<DeadDelivery>> {
    outbound::dead(db, SHOWN)
}
