//! Syncs, counted and ordered with `strace`: a burst of N commands costs far fewer than N
//! syncs with the write queue on, and no command's response is written before the sync that
//! made its write durable — queue on or off.
//!
//! `kill -9` cannot show durability (the page cache survives a killed process); the order of
//! system calls can. The server runs under `strace -f`, which records every `pwrite64` of the
//! WAL, every `fsync`/`fdatasync`, and every read and write on its sockets. For each command:
//!
//! 1. its request is the socket read that contains its key;
//! 2. its row reached the WAL in the first `pwrite64` to `acks.db-wal` whose page contains
//!    the key (the row is stored as text, so the key is in the page's bytes);
//! 3. its batch's sync is the first `fsync`/`fdatasync` *by the same thread* after that write
//!    (the writer thread writes a commit's frames, then syncs);
//! 4. its response is the first write on the request's socket after the request.
//!
//! The test asserts that 4 starts after 3 returned. strace stops a thread at each syscall
//! exit until it has recorded it, so a recorded return precedes anything the thread does next.

use crate::harness::{Connection, Server, TempDir, key};
use crate::strace::{Call, parse};

const CLIENTS: usize = 32;
const COMMANDS_PER_CLIENT: usize = 10;

struct Burst {
    commands: usize,
    syncs: usize,
}

async fn traced_burst(label: &str, write_queue: bool) -> Burst {
    let dir = TempDir::new(label);
    let db = dir.join("acks.db");
    let log = dir.join("strace.log");
    let strace = [
        "strace",
        "-f",
        "-ttt",
        "-T",
        "-yy",
        "-s",
        "8192",
        "-e",
        "trace=pwrite64,fsync,fdatasync,read,recvfrom,write,writev,sendto,sendmsg",
        "-o",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([log.to_string_lossy().into_owned()])
    .collect::<Vec<_>>();
    let server = Server::start(&db, write_queue, &strace).await;
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let addr = server.addr.clone();
        clients.push(tokio::spawn(async move {
            let mut connection = Connection::open(&addr).await.unwrap();
            for n in 0..COMMANDS_PER_CLIENT {
                assert_eq!(connection.ack(&key(client, n)).await.unwrap(), 204);
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    server.stop().await;

    let calls = parse(&std::fs::read_to_string(&log).expect("strace wrote its log"));
    let keys: Vec<String> =
        (0..CLIENTS).flat_map(|client| (0..COMMANDS_PER_CLIENT).map(move |n| key(client, n))).collect();
    let mut first_request = f64::MAX;
    let mut last_response: f64 = 0.0;
    for key in &keys {
        let command = trace_command(&calls, key);
        assert!(
            command.response.start > command.sync.end,
            "the response to `{key}` was written at {:.6}, before the sync of its batch returned at {:.6}",
            command.response.start,
            command.sync.end
        );
        first_request = first_request.min(command.request.start);
        last_response = last_response.max(command.response.start);
    }
    let syncs = calls
        .iter()
        .filter(|call| matches!(call.name.as_str(), "fsync" | "fdatasync"))
        .filter(|call| call.start >= first_request && call.start <= last_response)
        .count();
    println!(
        "queue {}: {} commands from {CLIENTS} clients, {syncs} syncs while they ran",
        if write_queue { "on" } else { "off" },
        keys.len()
    );
    Burst { commands: keys.len(), syncs }
}

/// The calls that made up one command.
struct Command<'a> {
    request: &'a Call,
    sync: &'a Call,
    response: &'a Call,
}

fn trace_command<'a>(calls: &'a [Call], key: &str) -> Command<'a> {
    let reads = |call: &&Call| matches!(call.name.as_str(), "read" | "recvfrom") && call.on_socket();
    let request = calls
        .iter()
        .filter(reads)
        .find(|call| call.text.contains(key))
        .unwrap_or_else(|| panic!("no socket read carries the request for `{key}`"));
    let frame = calls
        .iter()
        .filter(|call| call.name == "pwrite64" && call.fd().ends_with("acks.db-wal"))
        .find(|call| call.text.contains(key))
        .unwrap_or_else(|| panic!("no WAL write carries the row of `{key}`"));
    let sync = calls
        .iter()
        .filter(|call| matches!(call.name.as_str(), "fsync" | "fdatasync") && call.tid == frame.tid)
        .find(|call| call.start >= frame.end)
        .unwrap_or_else(|| panic!("no sync follows the WAL write of `{key}`"));
    let writes = |call: &&Call| matches!(call.name.as_str(), "write" | "writev" | "sendto" | "sendmsg");
    let response = calls
        .iter()
        .filter(writes)
        .filter(|call| call.fd() == request.fd())
        .find(|call| call.start >= request.end)
        .unwrap_or_else(|| panic!("no response to `{key}` on its socket"));
    Command { request, sync, response }
}

/// One test for both modes: strace runs are slow, and two at once on two cores would skew
/// each other's batches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_syncs_far_less_and_no_response_precedes_its_sync() {
    let off = traced_burst("syncs-off", false).await;
    assert!(
        off.syncs >= off.commands,
        "without the queue every command is a commit with its own sync: {} syncs for {} commands",
        off.syncs,
        off.commands
    );
    let on = traced_burst("syncs-on", true).await;
    assert!(
        on.syncs * 4 <= on.commands,
        "with the queue a burst should cost far fewer syncs than commands: {} syncs for {} commands",
        on.syncs,
        on.commands
    );
}
