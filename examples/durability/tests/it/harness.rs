//! The binary as a child process, and a small HTTP/1.1 client that reports connection errors
//! as values (a killed server is expected here, not a test failure).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// How long to wait for the server to start, or a test's writes to happen.
pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// A fresh directory under the system temp dir, deleted when dropped.
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "orion-durability-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("creating a temp dir");
        TempDir(path)
    }

    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `durability` binary (or `strace` running it), serving one database.
#[derive(Debug)]
pub(crate) struct Server {
    process: Child,
    /// `127.0.0.1:port`.
    pub(crate) addr: String,
    /// The server's own pid (not strace's).
    pub(crate) pid: u32,
}

impl Server {
    /// Starts the binary on a free port over `db`, with the write queue on or off, and waits
    /// until it listens. `wrapper` runs it under another program (`strace …`).
    pub(crate) async fn start(db: &Path, write_queue: bool, wrapper: &[String]) -> Server {
        let binary = env!("CARGO_BIN_EXE_durability");
        let queue = if write_queue { "on" } else { "off" };
        let args = ["--db", &db.to_string_lossy(), "--port", "0", "--write-queue", queue].map(str::to_owned);
        let mut command = match wrapper.split_first() {
            Some((program, wrapper_args)) => {
                let mut command = Command::new(program);
                command.args(wrapper_args).arg("--").arg(binary);
                command
            }
            None => Command::new(binary),
        };
        let mut process = command
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start `{binary}` (wrapped in {wrapper:?}): {error}"));
        let stdout = process.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("the server did not start listening in time")
            .expect("reading the server's stdout")
            .expect("the server exited before listening");
        // `listening on 127.0.0.1:40123 (pid 4567)`
        let rest = line.strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line: {line}"));
        let (addr, pid) = rest.split_once(" (pid ").expect("the pid after the address");
        let pid = pid.trim_end_matches(')').parse().expect("a pid");
        Server { process, addr: addr.to_owned(), pid }
    }

    /// `kill -9`: the process dies at once, in whatever it was doing.
    pub(crate) async fn kill_9(mut self) {
        signal("KILL", self.pid);
        let _ = self.process.wait().await;
    }

    /// `kill -TERM`: a graceful shutdown (the store is closed); waits for the exit.
    pub(crate) async fn stop(mut self) {
        signal("TERM", self.pid);
        let status = tokio::time::timeout(WAIT, self.process.wait()).await.expect("the server did not stop in time");
        assert!(status.expect("waiting for the server").success(), "the server did not exit cleanly");
    }
}

fn signal(name: &str, pid: u32) {
    let status = std::process::Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status();
    assert!(status.is_ok_and(|s| s.success()), "`kill -{name} {pid}` failed");
}

/// One keep-alive HTTP/1.1 connection sending `POST /ack` requests one after the other.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    pub(crate) async fn open(addr: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection { stream: BufReader::new(stream) })
    }

    /// Sends the command for `key`; returns the response's status.
    pub(crate) async fn ack(&mut self, key: &str) -> std::io::Result<u16> {
        let body = format!("{{\"key\":\"{key}\"}}");
        let request = format!(
            "POST /ack HTTP/1.1\r\nhost: 127.0.0.1\r\ndatastar-request: true\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status = String::new();
        if self.stream.read_line(&mut status).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let code = status.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(code)
    }
}

/// The key of command `n` of client `client`: fixed width, so no key is part of another.
pub(crate) fn key(client: usize, n: usize) -> String {
    format!("k{client:03}x{n:05}z")
}
