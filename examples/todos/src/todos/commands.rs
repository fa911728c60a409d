//! The write side: validate the requester's input, write the store, publish, answer the
//! requester only (a form reset, a field error, a toast). Everyone else — the requester
//! included — sees the change through the regions, which re-render on the publish.

use orion::{Ctx, Input, Reply, Result, command};
use serde_json::json;

use super::sql::{self, TOPIC};

// ANCHOR: add
/// The add form's input: the `title` signal, trimmed, 1–200 characters.
#[derive(Debug, Input)]
pub struct NewTodo {
    /// What needs doing.
    #[input(trim, length(min = 1, max = 200))]
    pub title: String,
}

/// Adds a todo. A blank or too long title never gets here: `#[command]` answers the requester
/// with the field error and writes nothing.
#[command("/todos")]
pub async fn add(ctx: Ctx, input: NewTodo) -> Result<Reply> {
    // The write runs on the store's writer thread; `.await` returns once it is durable, and the
    // publish is delivered after the commit.
    ctx.store
        .write(move |tx| {
            sql::insert(tx, &input.title)?;
            tx.publish(TOPIC);
            Ok(())
        })
        .await?;
    Ok(Reply::new().reset::<NewTodo>(&add::form()))
}
// ANCHOR_END: add

/// Marks a todo done, or not done.
#[command("/todos/{id}/toggle")]
pub async fn toggle(ctx: Ctx, id: i64) -> Result<Reply> {
    let found = ctx.store.write(move |tx| publish_if(tx, sql::toggle(tx, id)? == 1)).await?;
    Ok(gone_unless(found))
}

/// The inline rename's input: the `draft` signal, validated like a new title.
#[derive(Debug, Input)]
pub struct Rename {
    /// The new title.
    #[input(trim, length(min = 1, max = 200))]
    pub draft: String,
}

/// Renames a todo; a bad title shows its error beside that todo's input, to the requester only.
#[command("/todos/{id}/rename")]
pub async fn rename(ctx: Ctx, id: i64, input: Rename) -> Result<Reply> {
    let found = ctx.store.write(move |tx| publish_if(tx, sql::rename(tx, id, &input.draft)? == 1)).await?;
    let reply = Reply::new().signals(json!({ "editing": 0, "draft": "" }));
    Ok(if found { reply.clear_errors(&rename::form(id), Rename::FIELDS) } else { gone_unless(false) })
}

/// Deletes a todo.
#[command("/todos/{id}", method = "delete")]
pub async fn delete(ctx: Ctx, id: i64) -> Result<Reply> {
    ctx.store.write(move |tx| publish_if(tx, sql::delete(tx, id)? == 1)).await?;
    Ok(Reply::new())
}

/// Deletes every done todo.
#[command("/todos/clear-completed")]
pub async fn clear_completed(ctx: Ctx) -> Result<Reply> {
    ctx.store.write(|tx| publish_if(tx, sql::clear_completed(tx)? > 0)).await?;
    Ok(Reply::new())
}

/// Publishes the topic when the write changed something.
fn publish_if(tx: &orion::store::Tx<'_>, changed: bool) -> Result<bool> {
    if changed {
        tx.publish(TOPIC);
    }
    Ok(changed)
}

/// Someone else deleted the todo meanwhile: tell the requester, and let the list catch up.
fn gone_unless(found: bool) -> Reply {
    if found { Reply::new() } else { Reply::new().toast("That todo was deleted meanwhile.") }
}
