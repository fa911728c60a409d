//! Jobs across real processes sharing one database file: two workers and 10,000 jobs, and a
//! worker killed with SIGKILL in the middle of a job. Every run is recorded append-only twice —
//! a `start` line on the worker's stdout when a handler starts, and a row in `runs` (no UNIQUE
//! constraint) committed with `state = 'done'` — so a duplicate or a lost job would show.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{SystemTime, UNIX_EPOCH};

use orion::jobs::{self, JobId, State};
use orion::{Bus, Error, Store};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// A `start` line: a handler started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Start {
    job: i64,
    attempt: u32,
    pid: u32,
    at_ms: i64,
}

fn parse(stdout: &str) -> Vec<Start> {
    stdout
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            assert!(fields.len() == 5 && fields[0] == "start", "unexpected output line `{line}`");
            Start {
                job: fields[1].parse().unwrap(),
                attempt: fields[2].parse().unwrap(),
                pid: fields[3].parse().unwrap(),
                at_ms: fields[4].parse().unwrap(),
            }
        })
        .collect()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let path = std::env::temp_dir().join(format!("jobs-worker-{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database with `count` `record` jobs; returns their ids in order.
fn enqueue(db: &Path, count: i64) -> Vec<JobId> {
    let store = Store::open(db, &Bus::new()).unwrap();
    jobs::setup(&store).unwrap();
    let ids = store
        .transaction(move |tx| (0..count).map(|n| jobs::enqueue(tx, "record", &n)).collect::<orion::Result<Vec<_>>>())
        .unwrap();
    store.close().unwrap();
    ids
}

fn worker(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobs-worker"));
    command.arg("--db").arg(db).stdout(Stdio::piped()).stderr(Stdio::inherit()).kill_on_drop(true);
    command
}

/// Every `runs` row as `(job, attempt)`, and the store to read more.
fn runs(db: &Path) -> (Store, Vec<(i64, u32)>) {
    let store = Store::open(db, &Bus::new()).unwrap();
    let runs = store.query("SELECT job, attempt FROM runs ORDER BY job, attempt", ()).unwrap();
    (store, runs)
}

fn integrity_check(store: &Store) {
    let (check,): (String,) = store.query_one("PRAGMA integrity_check", ()).unwrap().unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_run_ten_thousand_jobs_each_exactly_once() {
    const JOBS: i64 = 10_000;
    let dir = TempDir::new("ten-thousand");
    let db = dir.0.join("jobs.db");
    let ids = enqueue(&db, JOBS);
    // A transaction that fails enqueues nothing: these 100 jobs must never run.
    let store = Store::open(&db, &Bus::new()).unwrap();
    let failed = store.transaction(|tx| {
        for n in 0..100 {
            jobs::enqueue(tx, "record", &(JOBS + n))?;
        }
        Err::<(), _>(Error::bad_request("the domain write was refused"))
    });
    assert!(failed.is_err());
    store.close().unwrap();

    let a = worker(&db).spawn().unwrap();
    let b = worker(&db).spawn().unwrap();
    let (a, b) = tokio::join!(a.wait_with_output(), b.wait_with_output());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.status.success() && b.status.success(), "{a:?} {b:?}");

    let starts: Vec<Start> =
        [a, b].iter().flat_map(|output| parse(&String::from_utf8(output.stdout.clone()).unwrap())).collect();
    let mut per_job: BTreeMap<i64, usize> = BTreeMap::new();
    for start in &starts {
        *per_job.entry(start.job).or_default() += 1;
    }
    let twice: Vec<_> = per_job.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "handlers started more than once: {twice:?}");
    let expected: BTreeSet<i64> = ids.iter().map(|id| id.0).collect();
    assert_eq!(per_job.keys().copied().collect::<BTreeSet<_>>(), expected, "every job started, none other");
    assert!(starts.iter().all(|s| s.attempt == 1));
    let pids: BTreeSet<u32> = starts.iter().map(|s| s.pid).collect();
    assert_eq!(pids.len(), 2, "both processes ran jobs");

    let (store, runs) = runs(&db);
    assert_eq!(runs.len(), 10_000, "one committed run per job");
    assert_eq!(runs.iter().map(|(job, _)| *job).collect::<BTreeSet<_>>(), expected);
    assert_eq!(jobs::list(&store, State::Done, 20_000).unwrap().len(), 10_000);
    let (pending,): (i64,) =
        store.query_one("SELECT count(*) FROM _orion_jobs WHERE state <> 'done'", ()).unwrap().unwrap();
    assert_eq!(pending, 0);
    integrity_check(&store);
    store.close().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_worker_was_killed_runs_again_only_after_its_lease() {
    const LEASE_MS: i64 = 4_000;
    let dir = TempDir::new("killed");
    let db = dir.0.join("jobs.db");
    let ids = enqueue(&db, 50);
    let first = ids[0];

    // Worker A takes one job at a time, oldest first, and hangs in the first one.
    let lease = LEASE_MS.to_string();
    let hang = first.0.to_string();
    let mut a = worker(&db).args(["--concurrency", "1", "--lease-ms", &lease, "--hang", &hang]).spawn().unwrap();
    let mut lines = BufReader::new(a.stdout.take().unwrap()).lines();
    let line = lines.next_line().await.unwrap().expect("worker A exited before starting a job");
    let started = parse(&line)[0];
    assert_eq!((started.job, started.attempt), (first.0, 1));
    a.start_kill().unwrap(); // SIGKILL: no clean-up, no release of the claim
    let status = a.wait().await.unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9));
    assert_eq!(lines.next_line().await.unwrap(), None, "worker A started nothing else");

    let store = Store::open(&db, &Bus::new()).unwrap();
    let held = jobs::get(&store, first).unwrap().unwrap();
    assert_eq!((held.state, held.attempts), (State::Running, 1));
    let lease_until = held.lease_until.unwrap().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
    assert!(lease_until > started.at_ms, "the lease runs from the claim, renewed since");
    store.close().unwrap();

    // Worker B starts at once: it runs the other 49 jobs, and the killed one after its lease.
    let b = worker(&db).args(["--lease-ms", &lease]).spawn().unwrap().wait_with_output().await.unwrap();
    assert!(b.status.success(), "{b:?}");
    let starts = parse(&String::from_utf8(b.stdout).unwrap());
    assert_eq!(starts.len(), 50, "B started each job once: {starts:?}");
    let retried: Vec<&Start> = starts.iter().filter(|s| s.job == first.0).collect();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempt, 2);
    assert!(
        retried[0].at_ms >= lease_until,
        "B took the job {} ms before the lease expired",
        lease_until - retried[0].at_ms
    );
    let others_started = starts.iter().filter(|s| s.job != first.0).map(|s| s.at_ms).min().unwrap();
    assert!(others_started < lease_until, "B was running jobs while the lease held");
    assert!(starts.iter().filter(|s| s.job != first.0).all(|s| s.attempt == 1));

    // In all: 51 starts (the killed one counted), 50 committed runs, one per job.
    let (store, runs) = runs(&db);
    let expected: Vec<(i64, u32)> = ids.iter().map(|id| (id.0, if *id == first { 2 } else { 1 })).collect();
    assert_eq!(runs, expected);
    let record = jobs::get(&store, first).unwrap().unwrap();
    assert_eq!((record.state, record.attempts), (State::Done, 2));
    assert!(record.last_error.unwrap().contains("attempt 1 stopped without finishing"));
    integrity_check(&store);
    store.close().unwrap();
}
