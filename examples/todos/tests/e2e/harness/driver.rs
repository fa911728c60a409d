//! ChromeDriver, one per test: it starts a Chromium for each session the test opens.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::{Scratch, WAIT};

/// Where Debian's `chromium-driver` package installs ChromeDriver.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running ChromeDriver, killed (with the browsers it started) when dropped.
#[derive(Debug)]
pub(crate) struct ChromeDriver {
    url: String,
    process: Child,
}

impl ChromeDriver {
    /// Starts ChromeDriver on a port of its choosing and waits until it says it is ready.
    ///
    /// `--port=0` lets ChromeDriver bind a free port itself and print it, so no other process
    /// can take the port between our choosing it and ChromeDriver binding it. Its browsers
    /// keep their temporary files (Chromium's singleton socket folder) in `scratch`.
    pub(crate) async fn start(scratch: &Scratch) -> ChromeDriver {
        let tmp = scratch.join("tmp");
        std::fs::create_dir(&tmp).expect("create the browsers' temp folder");
        let mut process = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            // Its own process group: `Drop` ends ChromeDriver and every browser it started.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start `{CHROMEDRIVER}` ({error}): install it (`apt-get install chromium-driver`)")
            });
        let stdout = process.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = Vec::new();
        let ready = tokio::time::timeout(WAIT, async {
            while let Ok(Some(line)) = lines.next_line().await {
                // "ChromeDriver was started successfully on port 41234."
                let port = line
                    .split_once("started successfully on port ")
                    .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse::<u16>().ok());
                seen.push(line);
                if port.is_some() {
                    return port;
                }
            }
            None
        })
        .await;
        let port = match ready {
            Ok(Some(port)) => port,
            Ok(None) => panic!("`{CHROMEDRIVER}` exited before it was ready; it printed:\n{}", seen.join("\n")),
            Err(_) => panic!("`{CHROMEDRIVER}` was not ready after {WAIT:?}; it printed:\n{}", seen.join("\n")),
        };
        // Keep reading, so ChromeDriver never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        ChromeDriver { url: format!("http://127.0.0.1:{port}/"), process }
    }

    /// The WebDriver endpoint.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Sessions a failing test left open would keep their Chromium alive: end the whole
        // process group ChromeDriver leads (its id is ChromeDriver's own).
        if let Some(id) = self.process.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{id}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}
