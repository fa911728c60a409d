//! The durability harness: the smallest orion app that acknowledges writes — one command that
//! appends a row — run as a real process by the tests in `tests/it`, which kill it with
//! `SIGKILL` mid-stream, restart it, and trace its syscalls with `strace`.
//!
//! ```text
//! cargo run -p durability -- --db /tmp/acks.db --port 0 --write-queue on
//! curl -X POST -H 'datastar-request: true' -d '{"key":"k1"}' http://127.0.0.1:<port>/ack
//! ```
//!
//! The binary prints `listening on <addr>` once it accepts connections, serves until `SIGTERM`
//! or Ctrl-C, then closes the store (committing whatever is queued).

use std::path::PathBuf;

use maud::html;
use orion::store::{Migration, StoreOptions};
use orion::{App, Ctx, Document, Input, Page, Reply, Result, Routes, Store, command, resource};

/// The one table: every acknowledged key, in commit order, duplicates kept (append-only, so a
/// duplicate would show).
pub const MIGRATIONS: &[Migration] = &[Migration {
    name: "20261122120000_acks.sql",
    sql: "CREATE TABLE acks (id INTEGER PRIMARY KEY, key TEXT NOT NULL) STRICT;",
}];

/// The command's input: the `key` signal.
#[derive(Debug, Input)]
pub struct Ack {
    /// A key chosen by the client, unique per request.
    #[input(trim, length(min = 1, max = 100))]
    pub key: String,
}

/// Appends the key; answers once the row is durable.
#[command("/ack")]
pub async fn ack(ctx: Ctx, input: Ack) -> Result<Reply> {
    ctx.store
        .write(move |tx| {
            tx.execute("INSERT INTO acks (key) VALUES (?1)", [&input.key])?;
            tx.publish("acks");
            Ok(())
        })
        .await?;
    Ok(Reply::new())
}

/// A page, so the command has a resource to belong to.
#[derive(Debug)]
pub struct Home;

#[resource("/", commands = [ack])]
impl Home {
    fn page(_page: &Page) -> Result<Document> {
        Ok(Document::new("acks").body(html! { p { "POST /ack {\"key\": \"…\"}" } }))
    }
}

/// The app over `store`.
pub fn app(store: &Store) -> App {
    App::new(store).routes(Routes::new().resource(Home))
}

/// What the binary is told on its command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The SQLite file.
    pub db: PathBuf,
    /// The port on 127.0.0.1 (0: any free one; the bound address is printed).
    pub port: u16,
    /// Whether the store's write queue (group commit) is on.
    pub write_queue: bool,
}

impl Config {
    /// From `--db PATH --port N --write-queue on|off`.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> std::result::Result<Config, String> {
        let mut config = Config { db: PathBuf::from("acks.db"), port: 0, write_queue: false };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--db" => config.db = PathBuf::from(value()?),
                "--port" => config.port = value()?.parse().map_err(|_| "`--port` takes a port number".to_owned())?,
                "--write-queue" => {
                    config.write_queue = match value()?.as_str() {
                        "on" => true,
                        "off" => false,
                        other => return Err(format!("`--write-queue` is `on` or `off`, not `{other}`")),
                    }
                }
                other => return Err(format!("unknown argument `{other}`: use --db, --port, --write-queue")),
            }
        }
        Ok(config)
    }

    /// The store options this configuration asks for (`synchronous=FULL`, as by default).
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions { write_queue: self.write_queue, ..StoreOptions::default() }
    }
}
