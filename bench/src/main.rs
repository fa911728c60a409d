//! orion's benchmarks (a binary, not timed tests).
//!
//! `write` measures durable single-row commands per second through the full HTTP command path,
//! write queue off and on, next to raw rusqlite and a bare hyper endpoint (see `write.rs`).
//!
//! `fanout` starts a server as a child process — orion's todos app, or a naive baseline that
//! re-reads and re-renders per viewer over a broadcast channel — holds N live viewers on it
//! (plain or brotli), sends M commands at a fixed rate, and reports command→repaint latency
//! across all viewers, completeness, delivered events per second, bytes per event on the wire
//! and decoded, and the server's memory. See BENCHMARKS.md for the commands and the results.
//!
//! ```text
//! cargo run --release -p bench -- fanout --viewers 1000 --commands 200 --rate 50
//! cargo run --release -p bench -- write --clients 64 --seconds 5
//! ```
//!
//! Dependencies beyond orion's own: `hyper` (the naive baseline is a bare hyper server) and
//! `anyhow` (a binary's errors).

mod fanout;
mod naive;
mod proc;
mod report;
mod serve;
mod viewer;
mod write;

use anyhow::{Context, bail};

const USAGE: &str = "\
usage:
  bench fanout [--viewers N[,N…]] [--commands M] [--rate PER_SECOND] [--server orion|naive|both]
               [--encoding plain|brotli|both] [--seed TODOS] [--pacing auto|MS]
  bench write [--clients N] [--seconds S] [--only rusqlite|hyper|orion-off|orion-on]
  bench serve orion|naive|hyper --port N --db PATH [--pacing auto|MS] [--write-queue on|off]
                                                               (started by `fanout` and `write`)";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("fanout") => fanout::main(fanout::Options::parse(&args[1..])?),
        Some("write") => write::main(write::Options::parse(&args[1..])?),
        Some("serve") => {
            let kind = args.get(1).context("`serve` needs `orion`, `naive` or `hyper`")?;
            let options = serve::Options::parse(&args[2..])?;
            serve::main(kind, options)
        }
        Some("--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n{USAGE}"),
    }
}
