//! `kill -9` during a stream of acknowledged writes, with the write queue off and on: after a
//! restart every acknowledged write is there, and the file passes `PRAGMA integrity_check`.
//!
//! A killed process leaves the operating system's page cache behind, so this proves that the
//! server never acknowledges a write before SQLite has committed it and that recovery leaves a
//! sound file — not that the commit reached the disk. That is what `syncs.rs` shows.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use orion::store::rusqlite::Connection as Sqlite;
use tokio::sync::Notify;

use crate::harness::{Connection, Server, TempDir, WAIT, key};

/// Concurrent clients, each on its own connection.
const CLIENTS: usize = 16;
/// The server is killed once this many writes have been acknowledged.
const KILL_AFTER: usize = 400;

async fn acknowledged_writes_survive_kill_9(label: &str, write_queue: bool) {
    let dir = TempDir::new(label);
    let db = dir.join("acks.db");
    let server = Server::start(&db, write_queue, &[]).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let enough = Arc::new(Notify::new());
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (addr, acked, enough) = (server.addr.clone(), acked.clone(), enough.clone());
        clients.push(tokio::spawn(async move {
            let mut connection = Connection::open(&addr).await.expect("connecting before the kill");
            for n in 0.. {
                let key = key(client, n);
                // An error is the kill: the request in flight may or may not have committed.
                match connection.ack(&key).await {
                    Ok(204) => {
                        let mut acked = acked.lock().unwrap();
                        acked.push(key);
                        if acked.len() == KILL_AFTER {
                            enough.notify_one();
                        }
                    }
                    Ok(status) => panic!("the command answered {status}"),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::timeout(WAIT, enough.notified()).await.expect("the writes were acknowledged in time");
    // Killed while every client still has a command in flight.
    server.kill_9().await;
    for client in clients {
        client.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= KILL_AFTER);

    // The restart recovers the file (the WAL is replayed when the store opens).
    let server = Server::start(&db, write_queue, &[]).await;
    let sqlite = Sqlite::open(&db).unwrap();
    let integrity: String = sqlite.query_row("PRAGMA integrity_check", (), |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let mut statement = sqlite.prepare("SELECT key FROM acks").unwrap();
    let stored: Vec<String> = statement.query_map((), |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    let unique: HashSet<&String> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "a write was stored twice");
    let missing: Vec<&String> = acked.iter().filter(|key| !unique.contains(key)).collect();
    assert!(missing.is_empty(), "{} acknowledged writes are missing after the restart: {missing:?}", missing.len());
    println!(
        "queue {}: {} acknowledged before the kill, {} stored (in flight at the kill: {})",
        if write_queue { "on" } else { "off" },
        acked.len(),
        stored.len(),
        stored.len() - acked.len()
    );

    // And the restarted server takes writes again.
    let mut connection = Connection::open(&server.addr).await.unwrap();
    assert_eq!(connection.ack("after-restart").await.unwrap(), 204);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_with_the_write_queue_off() {
    acknowledged_writes_survive_kill_9("kill-off", false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_with_the_write_queue_on() {
    acknowledged_writes_survive_kill_9("kill-on", true).await;
}
