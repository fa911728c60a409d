//! The benchmarked servers as child processes, and reading a process's memory from `/proc`.

use std::path::Path;
use std::process::Stdio;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

/// A free TCP port on 127.0.0.1 (free when asked; the child binds it right after).
pub(crate) fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts `bench serve <server> --port <port> <args…> --db <db>` and returns it once it printed
/// `listening`. The rest of its stdout is drained, so a later line never meets a closed pipe.
pub(crate) async fn serve(server: &str, port: u16, args: &[&str], db: &Path) -> anyhow::Result<Child> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["serve", server, "--port", &port.to_string()])
        .args(args)
        .arg("--db")
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().context("child stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        if line == "listening" {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Ok(child);
        }
    }
    anyhow::bail!("`bench serve {server}` exited before it was listening")
}

/// `VmRSS` and `VmHWM` (peak) of process `pid`, in bytes.
pub(crate) fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let rest = line.strip_prefix(name)?;
            let kib: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
            Some(kib * 1024)
        })
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
