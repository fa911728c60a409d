//! A process that races another for one idempotency key, driven line by line: the two-process
//! test of orion's idempotency kernel (`tests/race.rs`) spawns two of these on one database.
//!
//! Run it as `idempotency-race <database> <key> <payload>`. It opens the store, builds an
//! [`Idempotency`] with the default options and prints `ready`. Then, for each line on stdin:
//!
//! - `go` calls [`Idempotency::once`] with the key and payload and prints how the call ended:
//!   `ran <result>`, `joined <result>`, `replayed <result>`, or `refused <HTTP status>`
//!   (409 while another process holds the key, 422 for another payload).
//! - The effect appends a row to `race_effects` (append-only: no UNIQUE constraint that would
//!   hide a second run), prints `effect`, and waits for a line `finish` before returning
//!   `result from <pid>`. Holding the effect open is what lets the test make the other process
//!   arrive while this one is in flight, every time.
//!
//! The end of stdin ends the process.

use std::io::BufRead;
use std::path::PathBuf;

use orion::idempotency::{Idempotency, IdempotencyOptions, Outcome};
use orion::{Bus, Error, Result, Store};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(database), Some(key), Some(payload)) = (args.next(), args.next(), args.next()) else {
        return Err(Error::bad_request("usage: `idempotency-race <database> <key> <payload>`"));
    };
    let store = Store::open(&PathBuf::from(database), &Bus::new())?;
    store.execute("CREATE TABLE IF NOT EXISTS race_effects (pid INTEGER NOT NULL) STRICT", ())?;
    let idempotency = Idempotency::new(&store, IdempotencyOptions::default())?;

    // Stdin is read on a thread of its own and handed over line by line.
    let (sender, mut lines) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(std::io::Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    println!("ready");

    while let Some(line) = lines.recv().await {
        if line != "go" {
            continue;
        }
        let outcome = idempotency.once(&key, payload.as_bytes(), || effect(&store, &mut lines)).await;
        match outcome {
            Ok(Outcome::Ran(result)) => println!("ran {}", String::from_utf8_lossy(&result)),
            Ok(Outcome::Joined(result)) => println!("joined {}", String::from_utf8_lossy(&result)),
            Ok(Outcome::Replayed(result)) => println!("replayed {}", String::from_utf8_lossy(&result)),
            Err(refused) => println!("refused {}", refused.status().as_u16()),
        }
    }
    store.close()
}

/// The effect: recorded durably, announced, then held open until the test says `finish`.
async fn effect(store: &Store, lines: &mut mpsc::UnboundedReceiver<String>) -> Result<Vec<u8>> {
    let pid = std::process::id();
    store.write(move |tx| tx.execute("INSERT INTO race_effects (pid) VALUES (?1)", [pid])).await?;
    println!("effect");
    loop {
        match lines.recv().await {
            Some(line) if line == "finish" => return Ok(format!("result from {pid}").into_bytes()),
            Some(_) => {}
            None => return Err(Error::internal("stdin closed while the effect was held open")),
        }
    }
}
