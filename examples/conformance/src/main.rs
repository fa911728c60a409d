//! The Datastar SDK conformance server: `/test` answered by orion's own encoder.
//!
//! ```text
//! cargo run -p conformance -- --port 7331
//! curl 'http://127.0.0.1:7331/test?datastar=%7B%22events%22%3A%5B%7B%22type%22%3A%22patchElements%22%2C%22elements%22%3A%22%3Cdiv%3EMerge%3C%2Fdiv%3E%22%7D%5D%7D'
//! ```
//!
//! The official Datastar SDK test cases (and our own, in `cases/`) describe, as JSON, which
//! events an SDK must send and, as text, what they must look like on the wire. This binary is
//! the server side of that contract; `tests/conformance.rs` is the runner that sends every case
//! and compares the answers.
//!
//! Once listening it prints exactly one line on stdout, `listening on http://127.0.0.1:<port>`,
//! so a test that passed `--port 0` can read the port; logs go to stderr.
//!
//! # Layout
//! - `args`: the command line.
//! - `scratch_store`: the throwaway store every orion app needs.
//! - `endpoint`: the `/test` route.
//! - `cases`: a case's `events` array turned into orion events.

mod args;
mod cases;
mod endpoint;
mod scratch_store;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use orion::http::shutdown_signal;
use orion::{App, Server};

use crate::args::Args;
use crate::scratch_store::ScratchStore;

#[tokio::main]
async fn main() -> ExitCode {
    orion::log::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match Args::parse(&args) {
        Ok(Args::Serve { port }) => port,
        Ok(Args::Help) => {
            println!("{}", Args::usage());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match serve(port).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Serves `/test` on `127.0.0.1:port` until Ctrl-C or SIGTERM.
async fn serve(port: u16) -> Result<(), String> {
    // Dropped when this function returns, which deletes the database file.
    let scratch = ScratchStore::open().map_err(|error| format!("cannot open the scratch store: {error}"))?;
    let router = App::new(scratch.store()).routes(endpoint::routes()).router();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let server = Server::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr} ({error}): pass `--port 0` to pick a free port"))?;
    let addr = server.local_addr().map_err(|error| format!("cannot read the bound address: {error}"))?;
    let mut shutdown = std::pin::pin!(shutdown_signal());
    // Poll the shutdown future once before announcing the port: that installs the SIGINT and
    // SIGTERM handlers, so a runner that stops the server right after reading the port line
    // still gets a clean exit (and the database removed) instead of the default kill.
    tokio::select! {
        biased;
        () = &mut shutdown => return Ok(()),
        () = std::future::ready(()) => {}
    }
    announce(addr)?;
    server.run(router, shutdown).await.map_err(|error| format!("the server stopped: {error}"))
}

/// Prints the one line on stdout: a runner that passed `--port 0` reads the port from it.
fn announce(addr: SocketAddr) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))
}
