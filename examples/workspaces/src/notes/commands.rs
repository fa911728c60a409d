//! The write side: validate the requester's input, write the workspace's store, publish on the
//! workspace's bus, answer the requester only.
//!
//! Each command takes the workspace from its URL (`/w/{workspace}/…`) — through
//! `ctx.tenant()`, which is the workspace the app's resolver read from that same parameter. A
//! note id is always looked up *inside* that workspace: sending another workspace's note id to
//! this workspace's URL changes nothing.

use orion::{Ctx, Input, Reply, Result, command};

use super::sql::{self, TOPIC};

/// The add form's input: the `body` signal, trimmed, 1–200 characters.
#[derive(Debug, Input)]
pub struct NewNote {
    /// What to remember.
    #[input(trim, length(min = 1, max = 200))]
    pub body: String,
}

// ANCHOR: add
/// Adds a note to the workspace.
#[command("/w/{workspace}/notes")]
pub async fn add(ctx: Ctx, workspace: String, input: NewNote) -> Result<Reply> {
    ctx.tenant()?
        .write(move |tx| {
            // A table helper: it writes `workspace_id = :tenant` itself, and `tx` binds
            // `:tenant` to this request's workspace.
            sql::notes::insert(tx, &input.body)?;
            tx.publish(TOPIC);
            Ok(())
        })
        .await?;
    Ok(Reply::new().reset::<NewNote>(&add::form(&workspace)))
}
// ANCHOR_END: add

/// Marks a note of the workspace done, or not done.
#[command("/w/{workspace}/notes/{id}/toggle")]
pub async fn toggle(ctx: Ctx, workspace: String, id: i64) -> Result<Reply> {
    // 0 rows changed: the workspace has no such note (another workspace's id matches nothing).
    let found = ctx.tenant()?.write(move |tx| publish_if(tx, sql::toggle(tx, id)? == 1)).await?;
    Ok(not_here_unless(found, &workspace))
}

/// Deletes a note of the workspace.
#[command("/w/{workspace}/notes/{id}", method = "delete")]
pub async fn delete(ctx: Ctx, workspace: String, id: i64) -> Result<Reply> {
    let found = ctx.tenant()?.write(move |tx| publish_if(tx, sql::notes::delete(tx, id)? == 1)).await?;
    Ok(not_here_unless(found, &workspace))
}

/// Publishes the topic when the write changed something.
fn publish_if(tx: &orion::tenant::TenantTx<'_>, changed: bool) -> Result<bool> {
    if changed {
        tx.publish(TOPIC);
    }
    Ok(changed)
}

/// The note is not in this workspace (deleted meanwhile, or never was): tell the requester.
fn not_here_unless(found: bool, workspace: &str) -> Reply {
    if found { Reply::new() } else { Reply::new().toast(&format!("That note is not in {workspace} (any more).")) }
}
