//! Two real processes racing one idempotency key: one effect, the loser sees 409 and then the
//! replay. And a process killed with its claim held: the key answers 409 until the lease has
//! passed, then the next caller runs the effect again.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use orion::idempotency::{Idempotency, IdempotencyOptions, ManualClock, OnceError, Outcome};
use orion::{Bus, Store};

/// How long a racer may take to answer one line before the test fails.
const ANSWER: Duration = Duration::from_secs(30);

/// A running `idempotency-race` process.
struct Racer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Racer {
    fn spawn(database: &Path, key: &str, payload: &str) -> Racer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_idempotency-race"))
            .arg(database)
            .arg(key)
            .arg(payload)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawning idempotency-race");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let racer = Racer { child, stdin, lines };
        racer.expect("ready");
        racer
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").and_then(|()| stdin.flush()).expect("writing to the racer");
    }

    fn line(&self) -> String {
        self.lines.recv_timeout(ANSWER).unwrap_or_else(|error| panic!("racer {} said nothing: {error}", self.pid()))
    }

    fn expect(&self, line: &str) {
        assert_eq!(self.line(), line, "racer {}", self.pid());
    }

    /// Closes stdin and waits for a clean exit.
    fn finish(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("waiting for the racer");
        assert!(status.success(), "racer {} exited with {status}", self.pid());
    }
}

/// A fresh directory, deleted when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("orion-race-{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("creating a temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The pids that ran the effect, in order.
fn effects(database: &Path) -> Vec<u32> {
    let store = Store::open(database, &Bus::new()).unwrap();
    let rows: Vec<(u32,)> = store.query("SELECT pid FROM race_effects ORDER BY rowid", ()).unwrap();
    store.close().unwrap();
    rows.into_iter().map(|(pid,)| pid).collect()
}

#[test]
fn two_processes_racing_one_key_run_the_effect_once_and_the_loser_gets_409_then_the_replay() {
    for round in 0..3 {
        let dir = TempDir::new("two");
        let database = dir.0.join("app.db");
        let key = format!("order-{round}");
        let mut racers = [Racer::spawn(&database, &key, "pay 42"), Racer::spawn(&database, &key, "pay 42")];

        // Both go at once; the winner holds its effect open, so the loser always finds the
        // claim in flight.
        for racer in &mut racers {
            racer.send("go");
        }
        let said = [racers[0].line(), racers[1].line()];
        let [first, second] = racers;
        let (mut winner, mut loser) = match (said[0].as_str(), said[1].as_str()) {
            ("effect", "refused 409") => (first, second),
            ("refused 409", "effect") => (second, first),
            _ => panic!("round {round}: expected one `effect` and one `refused 409`, got {said:?}"),
        };

        winner.send("finish");
        let result = format!("result from {}", winner.pid());
        winner.expect(&format!("ran {result}"));
        // The loser retries, as an at-least-once sender does, and gets the stored result.
        loser.send("go");
        loser.expect(&format!("replayed {result}"));

        let winner_pid = winner.pid();
        winner.finish();
        loser.finish();
        assert_eq!(effects(&database), [winner_pid], "round {round}");
    }
}

#[tokio::test]
async fn a_killed_process_holds_its_key_only_until_the_lease_passes() {
    let dir = TempDir::new("killed");
    let database = dir.0.join("app.db");
    let mut racer = Racer::spawn(&database, "order-9", "pay 9");
    racer.send("go");
    racer.expect("effect");
    let dead_pid = racer.pid();
    racer.child.kill().expect("SIGKILL");
    racer.child.wait().expect("reaping the killed racer");

    let store = Store::open(&database, &Bus::new()).unwrap();
    let clock = ManualClock::new(SystemTime::now());
    let options = IdempotencyOptions { clock: clock.clock(), ..IdempotencyOptions::default() };
    let lease = options.lease;
    let idempotency = Idempotency::new(&store, options).unwrap();
    let effect = || async {
        let pid = std::process::id();
        store.write(move |tx| tx.execute("INSERT INTO race_effects (pid) VALUES (?1)", [pid])).await?;
        Ok(b"taken over".to_vec())
    };

    let busy = idempotency.once("order-9", b"pay 9", effect).await;
    assert!(matches!(busy, Err(OnceError::InFlight { .. })), "{busy:?}");

    // The dead claim was made (and last renewed) before `clock` started, so one lease on
    // this clock is past its end.
    clock.advance(lease);
    let taken_over = idempotency.once("order-9", b"pay 9", effect).await.unwrap();
    assert_eq!(taken_over, Outcome::Ran(b"taken over".to_vec().into()));
    store.close().unwrap();
    // Exactly two runs: the killed process's and the one after its lease.
    assert_eq!(effects(&database), [dead_pid, std::process::id()]);
}
