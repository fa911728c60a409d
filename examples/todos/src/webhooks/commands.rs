//! The write side: the command that enqueues a test delivery (in its own transaction: the
//! outbox), and the one that re-queues a dead delivery.

use orion::jobs::JobId;
use orion::webhook::outbound::{self, Delivery};
use orion::{Ctx, Input, Reply, Result, command};
use serde_json::json;

/// The event type of the test delivery.
pub const TEST_EVENT: &str = "todos.test";

/// The test form's input: the `url` signal, trimmed.
#[derive(Debug, Input)]
pub struct TestUrl {
    /// Where to send the test event.
    #[input(trim, length(min = 1, max = 2000))]
    pub url: String,
}

/// Enqueues a signed test event to the URL. A URL orion cannot deliver to (not `http`/`https`,
/// no host) is refused here, to the requester only; an address the guard refuses (loopback,
/// private, …) is refused by the sender, and shows up below as a dead delivery.
#[command("/webhooks/test")]
pub async fn send_test(ctx: Ctx, input: TestUrl) -> Result<Reply> {
    let delivery = match Delivery::new(&input.url, TEST_EVENT, &json!({ "message": "a test event from todos" })) {
        Ok(delivery) => delivery,
        Err(error) => return Ok(Reply::new().toast(error.message())),
    };
    // A plain INSERT into orion's jobs table, in this transaction: sent only once it commits.
    ctx.store.write(move |tx| outbound::enqueue(tx, &delivery)).await?;
    Ok(Reply::new().reset::<TestUrl>(&send_test::form()).toast("Sent. If it fails for good, it shows up below."))
}

/// Sends a dead delivery again, with a fresh set of attempts and the same delivery id.
#[command("/webhooks/{job}/retry")]
pub async fn retry(ctx: Ctx, job: i64) -> Result<Reply> {
    let requeued = ctx.store.write(move |tx| outbound::requeue(tx, JobId(job))).await?;
    Ok(if requeued { Reply::new() } else { Reply::new().toast("That delivery is not waiting for a retry.") })
}
