//! A job worker process, for the tests that need real processes (`tests/it`): two of them run
//! 10,000 jobs from one database file, and one is killed (`kill -9`) in the middle of a job.
//!
//! ```text
//! jobs-worker --db PATH [--concurrency N] [--lease-ms N] [--hang JOB]
//! ```
//!
//! It runs jobs of kind `record` (payload: any integer) and records each run twice, append-only:
//!
//! - when a handler starts, a line `start {job} {attempt} {pid} {unix_ms}` on stdout — the
//!   external, at-least-once effect (a killed worker's line stays printed);
//! - in the transaction that marks the job done, a row `(job, attempt, pid)` in the table
//!   `runs`, which has no UNIQUE constraint, so a duplicate would show — the exactly-once
//!   database effect.
//!
//! It exits 0 once no job is queued or running. With `--hang JOB`, the handler of that job
//! never finishes (its lease keeps being renewed) until the process is killed.
//!
//! The store runs with `synchronous=NORMAL`: the tests kill processes, not the machine, and in
//! WAL mode a commit survives a killed process without an fsync.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use orion::jobs::{self, Done, Job, JobId, Jobs, JobsOptions, State};
use orion::store::{StoreOptions, Synchronous};
use orion::{Bus, Store};

/// The one job kind this worker runs.
const KIND: &str = "record";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let args = Args::parse(std::env::args().skip(1))?;
    let options = StoreOptions { synchronous: Synchronous::Normal, ..StoreOptions::default() };
    let store = Store::open_with(&args.db, &Bus::new(), options)?;
    store.execute(
        "CREATE TABLE IF NOT EXISTS runs (job INTEGER NOT NULL, attempt INTEGER NOT NULL, pid INTEGER NOT NULL) STRICT",
        (),
    )?;
    let hang = args.hang;
    let options = JobsOptions {
        concurrency: args.concurrency,
        lease: args.lease,
        poll: Duration::from_millis(50),
        ..JobsOptions::default()
    };
    let runner = Jobs::with_options(&store, options).handle(KIND, move |job: Job<i64>| record(job, hang)).start()?;
    while !idle(&store)? {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    runner.stop().await?;
    store.close()?;
    Ok(())
}

/// The handler: print the start, then (unless this is the job to hang on) record the run in
/// the transaction that marks the job done.
async fn record(job: Job<i64>, hang: Option<JobId>) -> orion::Result<Done> {
    let pid = std::process::id();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    println!("start {} {} {pid} {now}", job.id, job.attempt);
    if hang == Some(job.id) {
        std::future::pending::<()>().await;
    }
    let (id, attempt) = (job.id, job.attempt);
    Ok(Done::with(move |tx| {
        tx.execute("INSERT INTO runs (job, attempt, pid) VALUES (?1, ?2, ?3)", (id, attempt, pid))?;
        Ok(())
    }))
}

/// Whether no job is queued or running any more.
fn idle(store: &Store) -> orion::Result<bool> {
    Ok(jobs::list(store, State::Queued, 1)?.is_empty() && jobs::list(store, State::Running, 1)?.is_empty())
}

struct Args {
    db: std::path::PathBuf,
    concurrency: usize,
    lease: Duration,
    hang: Option<JobId>,
}

impl Args {
    fn parse(args: impl IntoIterator<Item = String>) -> anyhow::Result<Args> {
        let mut parsed = Args { db: "jobs.db".into(), concurrency: 8, lease: Duration::from_secs(30), hang: None };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let value = args.next().with_context(|| format!("`{arg}` needs a value"))?;
            let number = || value.parse::<u64>().with_context(|| format!("`{arg}` takes a number, not `{value}`"));
            match arg.as_str() {
                "--db" => parsed.db = value.clone().into(),
                "--concurrency" => parsed.concurrency = usize::try_from(number()?)?,
                "--lease-ms" => parsed.lease = Duration::from_millis(number()?),
                "--hang" => parsed.hang = Some(JobId(i64::try_from(number()?)?)),
                other => bail!(
                    "unknown argument `{other}`; usage: jobs-worker --db PATH [--concurrency N] [--lease-ms N] [--hang JOB]"
                ),
            }
        }
        Ok(parsed)
    }
}
