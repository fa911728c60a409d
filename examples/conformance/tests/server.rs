//! The conformance server as a child process: the built `conformance` binary on a free port.
//!
//! [`Server::start`] runs it with `--port 0` and reads the one line it prints once listening
//! to learn the port. Each server gets a folder of its own under Cargo's test scratch folder:
//! its `TMPDIR` (where it opens its scratch database) and its log. Dropping a [`Server`] kills
//! the process and deletes the folder, so a failing test leaves no process or file behind.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The line the server prints once listening, up to the port.
const LISTENING: &str = "listening on http://127.0.0.1:";

/// Tells the servers of one test process apart.
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A running conformance server; killed when dropped.
#[derive(Debug)]
pub(crate) struct Server {
    child: Child,
    port: u16,
    /// Holds `tmp/` (the server's `TMPDIR`) and `server.log` (its stderr).
    folder: PathBuf,
}

impl Server {
    /// Starts the binary with `--port 0` and waits for its `listening on` line.
    ///
    /// # Panics
    /// When the binary cannot be started or exits before printing the line, with its log.
    pub(crate) fn start() -> Server {
        let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "conformance-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(folder.join("tmp"))
            .unwrap_or_else(|error| panic!("cannot create `{}`: {error}", folder.display()));
        let log = std::fs::File::create(folder.join("server.log"))
            .unwrap_or_else(|error| panic!("cannot create the server log in `{}`: {error}", folder.display()));
        let child = Command::new(env!("CARGO_BIN_EXE_conformance"))
            .args(["--port", "0"])
            .env("TMPDIR", folder.join("tmp"))
            // Only what went wrong (warnings, errors, panics), without colour codes, so the
            // log quoted in a failure report is short and readable.
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start `{}`: {error}", env!("CARGO_BIN_EXE_conformance")));
        // From here on the guard owns the process: a panic below still kills it.
        let mut server = Server { child, port: 0, folder };
        let stdout = server.child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        server.port = match line.trim_end().strip_prefix(LISTENING).map(str::parse::<u16>) {
            Some(Ok(port)) => port,
            _ => panic!(
                "the conformance server did not print `{LISTENING}<port>` (read {read:?}: {line:?}); its log:\n{}",
                server.log()
            ),
        };
        server
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to stderr so far.
    pub(crate) fn log(&self) -> String {
        match std::fs::read_to_string(self.folder.join("server.log")) {
            Ok(log) if log.trim().is_empty() => "(empty)".to_owned(),
            Ok(log) => log,
            Err(error) => format!("(no log: {error})"),
        }
    }

    /// The names of the files in the server's temp folder, sorted.
    pub(crate) fn temp_files(&self) -> Vec<String> {
        files(&self.folder.join("tmp"))
    }

    /// Asks the server to stop as Ctrl-C would (SIGTERM, through the system's `kill`) and waits
    /// for it to exit. Returns its exit status and the files left in its temp folder.
    pub(crate) fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.pid().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(
            sent.as_ref().is_ok_and(ExitStatus::success),
            "cannot send SIGTERM to the server with `kill -TERM {pid}` ({sent:?}): install the `kill` command \
             (procps) to run this test"
        );
        let status = self.child.wait().unwrap_or_else(|error| panic!("cannot wait for the server: {error}"));
        (status, self.temp_files())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only our own child, by its handle; it may have exited already.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}
