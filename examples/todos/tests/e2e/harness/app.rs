//! The app under test: the real `todos` binary as a child process, killed and restarted at
//! will on the same port and database, with every line it logs kept for assertions.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

use super::{Scratch, WAIT, free_port};

/// The Datastar bundle the tests serve (never the CDN).
const DATASTAR_JS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../vendor/datastar/datastar.js");

/// The `todos` binary, serving one database on one port.
#[derive(Debug)]
pub(crate) struct App {
    port: u16,
    db: PathBuf,
    process: Option<Child>,
    /// Every line the server logged, across restarts.
    log: Arc<watch::Sender<Vec<String>>>,
}

impl App {
    /// Starts `todos` on a free port with a fresh database in `scratch`, and waits until it
    /// listens.
    pub(crate) async fn start(scratch: &Scratch) -> App {
        let mut app = App {
            port: free_port(),
            db: scratch.join("todos.db"),
            process: None,
            log: Arc::new(watch::Sender::new(Vec::new())),
        };
        // The port was free when chosen; another process may have taken it since.
        for _ in 0..3 {
            match app.spawn().await {
                Ok(()) => return app,
                Err(Exit::PortTaken) => app.port = free_port(),
            }
        }
        panic!("three free ports in a row were taken before `todos` could bind them");
    }

    /// `http://127.0.0.1:<port><path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The port the app listens on.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Starts the process and waits for its `listening on` line.
    async fn spawn(&mut self) -> Result<(), Exit> {
        let bundle = std::path::Path::new(DATASTAR_JS);
        assert!(
            bundle.is_file(),
            "the Datastar bundle is missing at `{}`: run `cargo xtask fetch-datastar`",
            bundle.display()
        );
        let mut process = Command::new(env!("CARGO_BIN_EXE_todos"))
            .arg("--db")
            .arg(&self.db)
            .arg("--port")
            .arg(self.port.to_string())
            .env("ORION_DATASTAR_JS", bundle)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start `todos`: {error}"));
        let from = self.log.borrow().len();
        let stderr = process.stderr.take().expect("piped stderr");
        let log = self.log.clone();
        let reader = tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                // Shown by the test runner when the test fails.
                eprintln!("[todos] {line}");
                log.send_modify(|log| log.push(line));
            }
        });
        let listening = format!("listening on http://0.0.0.0:{}", self.port);
        let mut log = self.log.subscribe();
        let listens = async {
            // Only whether it was found: holding the log's lock any longer could block its writer.
            log.wait_for(|log| log[from..].iter().any(|line| line.contains(&listening))).await.is_ok()
        };
        tokio::select! {
            found = tokio::time::timeout(WAIT, listens) => {
                if found != Ok(true) {
                    panic!("`todos` did not log `{listening}` within {WAIT:?}:\n{}", self.log_text());
                }
            }
            status = process.wait() => {
                // Every line it wrote before exiting, to say why.
                let _ = tokio::time::timeout(WAIT, reader).await;
                if self.log()[from..].iter().any(|line| line.contains("Address already in use")) {
                    return Err(Exit::PortTaken);
                }
                panic!("`todos` exited ({status:?}) before listening:\n{}", self.log_text());
            }
        }
        // With a broken bundle the server falls back to the CDN, which the tests must never use.
        let cdn = self.log()[from..].iter().find(|line| line.contains("pages load Datastar from")).cloned();
        if let Some(line) = cdn {
            panic!("the server does not serve the local Datastar bundle ({line}): run `cargo xtask fetch-datastar`");
        }
        self.process = Some(process);
        Ok(())
    }

    /// Kills the server with SIGKILL (no shutdown at all) and waits until it is gone.
    pub(crate) async fn kill(&mut self) {
        let mut process = self.process.take().expect("the server is running");
        process.start_kill().expect("SIGKILL the server");
        let _ = process.wait().await;
    }

    /// Stops the server with SIGTERM (it aborts the live streams and finishes the requests in
    /// flight) and waits until it exits; the exit must be a clean one.
    pub(crate) async fn terminate(&mut self) {
        let mut process = self.process.take().expect("the server is running");
        let id = process.id().expect("the server has not been waited for");
        let sent =
            std::process::Command::new("kill").args(["-TERM", &id.to_string()]).status().expect("run `kill -TERM`");
        assert!(sent.success(), "`kill -TERM {id}` failed");
        // The server's grace period for requests in flight is 10 s; it should need far less.
        let status: ExitStatus = tokio::time::timeout(WAIT + WAIT, process.wait())
            .await
            .unwrap_or_else(|_| panic!("the server did not exit after SIGTERM:\n{}", self.log_text()))
            .expect("wait for the server");
        assert!(status.success(), "the server exited with {status} after SIGTERM:\n{}", self.log_text());
    }

    /// Starts the server again on the same port and database.
    pub(crate) async fn restart(&mut self) {
        assert!(self.process.is_none(), "stop the server before restarting it");
        if let Err(Exit::PortTaken) = self.spawn().await {
            panic!("another process took port {} while the server was down", self.port);
        }
    }

    /// Every line the server logged so far, across restarts.
    pub(crate) fn log(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    fn log_text(&self) -> String {
        self.log.borrow().join("\n")
    }

    /// Fails the test if the server logged a CSP report from a browser or an error.
    pub(crate) fn assert_clean(&self) {
        let log = self.log.borrow();
        let bad: Vec<&String> = log
            .iter()
            .filter(|line| line.contains("content-security-policy violation") || line.contains(" ERROR "))
            .collect();
        assert!(
            bad.is_empty(),
            "the server logged CSP reports or errors:\n{}",
            bad.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
}

/// Why the server did not start.
#[derive(Debug)]
enum Exit {
    /// Its port was taken (`Address already in use`).
    PortTaken,
}
