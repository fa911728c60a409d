//! A small app for the runtime's tests: a counter with a live region and a few commands.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use maud::html;
use orion::datastar::client::DatastarClient;
use orion::region::stream::{Pacing, StreamOptions};
use orion::store::Migration;
use orion::{App, Bus, Ctx, Document, Html, Page, Reply, Result, Routes, Store, command, region, resource};

use crate::support::TempDir;

pub(crate) const TOPIC: &str = "counter";

/// How many times the counter region's model was read, in this test process.
pub(crate) static MODEL_READS: AtomicUsize = AtomicUsize::new(0);

const MIGRATIONS: &[Migration] = &[Migration {
    name: "20261121000000_counter.sql",
    // `padding`: characters rendered with the count, to make frames as large as a test needs.
    sql: "CREATE TABLE counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, padding INTEGER NOT NULL) STRICT;
          INSERT INTO counter (id, n, padding) VALUES (1, 0, 0);",
}];

#[derive(Debug)]
pub(crate) struct Count;

#[region(topics = [TOPIC])]
impl Count {
    fn model(ctx: &Ctx) -> Result<(i64, i64)> {
        MODEL_READS.fetch_add(1, Ordering::SeqCst);
        Ok(ctx.store.query_one("SELECT n, padding FROM counter", ())?.unwrap_or((0, 0)))
    }

    fn view(model: &(i64, i64)) -> Html {
        let (n, padding) = *model;
        html! { p { "count=" (n) } @if padding > 0 { p class="padding" { ("x".repeat(padding as usize)) } } }
    }
}

/// Adds one.
#[command("/bump")]
pub(crate) async fn bump(ctx: Ctx) -> Result<Reply> {
    ctx.store
        .write(|tx| {
            tx.execute("UPDATE counter SET n = n + 1", ())?;
            tx.publish(TOPIC);
            Ok(())
        })
        .await?;
    Ok(Reply::new())
}

/// Publishes without changing anything: regions re-read and find the same model.
#[command("/touch")]
pub(crate) async fn touch(ctx: Ctx) -> Result<Reply> {
    ctx.bus.publish(TOPIC);
    Ok(Reply::new())
}

/// A command that panics, to prove a panic does not take the server down.
#[command("/explode")]
pub(crate) async fn explode(_ctx: Ctx) -> Result<Reply> {
    panic!("boom")
}

#[derive(Debug)]
pub(crate) struct Home;

#[resource("/", regions = [Count], commands = [bump, touch, explode])]
impl Home {
    fn page(page: &Page) -> Result<Document> {
        Ok(Document::new("counter").body(html! { h1 { "counter" } (page.region(Count)) }))
    }
}

/// A store with the counter's table, in a fresh temp dir.
pub(crate) struct Fixture {
    pub(crate) store: Store,
    pub(crate) dir: Arc<TempDir>,
}

impl Fixture {
    pub(crate) fn new(label: &str) -> Fixture {
        let dir = Arc::new(TempDir::new(label));
        let store = Store::open(&dir.join("app.db"), &Bus::new()).expect("open store");
        store.migrate(MIGRATIONS).expect("migrate");
        Fixture { store, dir }
    }

    /// The counter app, unpaced, with the CDN client (no bundle needed for these tests).
    pub(crate) fn app(&self) -> App {
        App::new(&self.store)
            .routes(Routes::new().resource(Home))
            .datastar(DatastarClient::cdn())
            .streams(StreamOptions { pacing: Pacing::Fixed(std::time::Duration::ZERO), ..StreamOptions::default() })
    }
}
