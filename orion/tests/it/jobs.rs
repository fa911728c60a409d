//! Jobs at their boundary: real SQLite files, real runners, asserting on the rows, the
//! handlers' calls and the bus. Timers (backoff, leases, `run_at`) run on tokio's paused clock;
//! the runners poll rarely there, so their clock moves only to the jobs' own times. The
//! two-process tests (10,000 jobs, `kill -9`) are in `examples/jobs-worker`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orion::jobs::{self, Done, Job, JobId, Jobs, JobsOptions, Record, Retry, State};
use orion::store::{Migration, Store};
use orion::{Bus, Error};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use crate::support::TempDir;

/// What handlers write: append-only, so a duplicate would show.
const EFFECTS: Migration = Migration {
    name: "20261201000000_effects.sql",
    sql: "CREATE TABLE effects (job INTEGER NOT NULL, attempt INTEGER NOT NULL, note TEXT NOT NULL) STRICT;",
};

fn open(label: &str) -> (TempDir, Store) {
    let dir = TempDir::new(label);
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    store.migrate(&[EFFECTS]).unwrap();
    (dir, store)
}

/// A long poll: enqueues in this process wake the runner at once, and a paused clock only
/// moves to the jobs' own times (a `run_at`, a backoff, a lease).
fn options(retry: Retry) -> JobsOptions {
    JobsOptions { poll: Duration::from_secs(3600), retry, ..JobsOptions::default() }
}

fn quick_retry(max_attempts: u32) -> Retry {
    Retry { max_attempts, base: Duration::from_millis(100), max: Duration::from_secs(1) }
}

/// Enqueues in a blocking transaction: in a test on tokio's paused clock, an `.await` on the
/// writer thread would let the clock jump to the runner's next timer meanwhile.
fn enqueue(store: &Store, kind: &'static str, payload: i64) -> JobId {
    store.transaction(move |tx| jobs::enqueue(tx, kind, &payload)).unwrap()
}

/// Waits (on the bus, not the clock) until job `id` is in `state`.
async fn wait_for(store: &Store, id: JobId, state: State) -> Record {
    let mut changes = store.bus().subscribe(&[jobs::TOPIC]);
    loop {
        if let Some(record) = jobs::get(store, id).unwrap()
            && record.state == state
        {
            return record;
        }
        changes.changed().await;
    }
}

fn effects(store: &Store) -> Vec<(i64, u32, String)> {
    store.query("SELECT job, attempt, note FROM effects ORDER BY rowid", ()).unwrap()
}

fn insert_effect(tx: &orion::store::Tx<'_>, job: JobId, attempt: u32, note: &str) -> orion::Result<()> {
    tx.execute("INSERT INTO effects (job, attempt, note) VALUES (?1, ?2, ?3)", (job, attempt, note))?;
    Ok(())
}

fn unix_ms(time: SystemTime) -> i64 {
    i64::try_from(time.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

// ---- enqueue: the outbox ----

#[tokio::test]
async fn a_committed_enqueue_wakes_the_runner_and_the_job_runs_once() {
    let (_dir, store) = open("enqueue");
    let (seen, mut calls) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(Retry::default()))
        .handle("echo", move |job: Job<String>| {
            let seen = seen.clone();
            async move {
                seen.send((job.id, job.attempt, job.kind().to_owned(), job.payload)).unwrap();
                Ok(Done::new())
            }
        })
        .start()
        .unwrap();
    let id = store.write(|tx| jobs::enqueue(tx, "echo", &"hello")).await.unwrap();
    // The poll is an hour away: only the wake-up published after the commit can start it.
    assert_eq!(calls.recv().await.unwrap(), (id, 1, "echo".to_owned(), "hello".to_owned()));
    let record = wait_for(&store, id, State::Done).await;
    assert_eq!((record.attempts, record.payload.as_str()), (1, "\"hello\""));
    assert_eq!(record.worker.as_deref(), Some(runner.worker()));
    assert!(record.lease_until.is_none() && record.finished_at.is_some(), "{record:?}");
    runner.stop().await.unwrap();
    assert!(calls.try_recv().is_err(), "the job ran once");
}

#[tokio::test]
async fn a_transaction_that_fails_enqueues_nothing_and_wakes_no_one() {
    let (_dir, store) = open("rollback");
    let (seen, mut calls) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, JobsOptions { concurrency: 1, ..options(Retry::default()) })
        .handle("echo", move |job: Job<i64>| {
            let seen = seen.clone();
            async move {
                seen.send(job.payload).unwrap();
                Ok(Done::new())
            }
        })
        .start()
        .unwrap();
    let mut topic = store.bus().subscribe(&[jobs::TOPIC]);

    let failed = store
        .write(|tx| {
            jobs::enqueue(tx, "echo", &1)?;
            Err::<(), _>(Error::bad_request("the domain write was refused"))
        })
        .await;
    assert_eq!(failed.unwrap_err().message(), "the domain write was refused");
    let panicked: orion::Result<()> = store
        .write(|tx| {
            jobs::enqueue(tx, "echo", &2)?;
            panic!("the command panicked after enqueueing");
        })
        .await;
    assert!(panicked.is_err());
    assert!(!topic.try_changed(), "a rolled-back enqueue publishes nothing");
    let rows: Vec<(i64,)> = store.query("SELECT count(*) FROM _orion_jobs", ()).unwrap();
    assert_eq!(rows, [(0,)]);

    // One runner slot, oldest first: had either job existed, it would run before this one.
    enqueue(&store, "echo", 3);
    assert_eq!(calls.recv().await, Some(3));
    runner.stop().await.unwrap();
    assert!(calls.try_recv().is_err(), "nothing else ran");
}

#[tokio::test]
async fn enqueue_creates_the_table_in_a_database_never_set_up_and_reads_see_no_jobs_before() {
    let (_dir, store) = open("lazy");
    assert_eq!(jobs::get(&store, JobId(1)).unwrap(), None);
    assert_eq!(jobs::list(&store, State::Queued, 10).unwrap(), []);
    let rolled_back = store
        .write(|tx| {
            jobs::enqueue(tx, "later", &1)?;
            Err::<(), _>(Error::bad_request("no"))
        })
        .await;
    assert!(rolled_back.is_err());
    assert_eq!(jobs::list(&store, State::Queued, 10).unwrap(), [], "the table was rolled back with the job");

    let id = enqueue(&store, "later", 7);
    let queued = jobs::list(&store, State::Queued, 10).unwrap();
    assert_eq!(queued.iter().map(|r| (r.id, r.kind.as_str(), r.attempts)).collect::<Vec<_>>(), [(id, "later", 0)]);
}

// ---- exactly-once database effects ----

#[tokio::test(start_paused = true)]
async fn done_writes_commit_with_the_job_and_roll_back_with_a_failed_attempt() {
    let (_dir, store) = open("done");
    let runner = Jobs::with_options(&store, options(quick_retry(3)))
        .handle("pay", |job: Job<i64>| async move {
            let (id, attempt) = (job.id, job.attempt);
            Ok(Done::with(move |tx| {
                insert_effect(tx, id, attempt, "paid")?;
                if attempt == 1 {
                    return Err(Error::internal("the ledger is locked"));
                }
                Ok(())
            }))
        })
        .start()
        .unwrap();
    let id = enqueue(&store, "pay", 10);
    let record = wait_for(&store, id, State::Done).await;
    assert_eq!(record.attempts, 2);
    assert_eq!(record.last_error.as_deref(), Some("the ledger is locked"));
    assert_eq!(effects(&store), [(id.0, 2, "paid".to_owned())], "attempt 1's write rolled back with its failure");
    runner.stop().await.unwrap();
}

#[tokio::test]
async fn a_handler_that_lost_its_claim_commits_nothing() {
    let (_dir, store) = open("lost");
    let started = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let (report, mut reports) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(Retry::default()))
        .handle("slow", {
            let (started, release) = (started.clone(), release.clone());
            move |job: Job<i64>| {
                let (started, release, report) = (started.clone(), release.clone(), report.clone());
                async move {
                    started.notify_one();
                    release.notified().await;
                    let (id, attempt) = (job.id, job.attempt);
                    let step = job.write(move |tx| insert_effect(tx, id, attempt, "step")).await;
                    report.send(step.map_err(|e| e.message().to_owned())).unwrap();
                    Ok(Done::with(move |tx| insert_effect(tx, id, attempt, "done")))
                }
            }
        })
        .start()
        .unwrap();
    let id = enqueue(&store, "slow", 1);
    started.notified().await;
    // Another worker claims the job, as if this one's lease had expired.
    store.execute("UPDATE _orion_jobs SET attempts = attempts + 1, claims = claims + 1, worker = 'other'", ()).unwrap();
    release.notify_one();
    let step = reports.recv().await.unwrap();
    assert!(step.as_ref().is_err_and(|e| e.contains("lost its claim")), "{step:?}");
    runner.stop().await.unwrap();
    assert_eq!(effects(&store), [], "neither the fenced step nor the done writes committed");
    let record = jobs::get(&store, id).unwrap().unwrap();
    assert_eq!((record.state, record.attempts, record.worker.as_deref()), (State::Running, 2, Some("other")));
}

#[tokio::test]
async fn an_attempt_outlived_by_a_requeue_cannot_write_or_complete_the_job() {
    let (_dir, store) = open("requeued");
    let calls = Arc::new(AtomicUsize::new(0));
    let gates: Arc<[Notify; 3]> = Arc::new([Notify::new(), Notify::new(), Notify::new()]);
    let (report, mut reports) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(Retry::default()))
        .handle("pay", {
            let (calls, gates) = (calls.clone(), gates.clone());
            move |job: Job<i64>| {
                let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
                let (gates, report) = (gates.clone(), report.clone());
                async move {
                    let (id, attempt) = (job.id, job.attempt);
                    report.send((call, "started".to_owned())).unwrap();
                    gates[call].notified().await;
                    let step = job.write(move |tx| insert_effect(tx, id, attempt, &format!("step {call}"))).await;
                    report.send((call, step.map_or_else(|e| e.message().to_owned(), |()| "wrote".to_owned()))).unwrap();
                    Ok(Done::with(move |tx| insert_effect(tx, id, attempt, &format!("done {call}"))))
                }
            }
        })
        .start()
        .unwrap();
    let id = enqueue(&store, "pay", 1);
    assert_eq!(reports.recv().await.unwrap(), (1, "started".to_owned()));
    // The attempt is given up on (as when the last allowed attempt's lease expires) and an
    // operator re-queues the job: attempts count from 1 again, while call 1 still runs.
    store.execute("UPDATE _orion_jobs SET state = 'dead'", ()).unwrap();
    assert!(store.transaction(move |tx| jobs::requeue(tx, id)).unwrap());
    assert_eq!(reports.recv().await.unwrap(), (2, "started".to_owned()));

    gates[1].notify_one();
    let (call, step) = reports.recv().await.unwrap();
    assert_eq!(call, 1);
    assert!(step.contains("lost its claim"), "call 1 is attempt 1 too, yet its write was refused: {step}");
    gates[2].notify_one();
    assert_eq!(reports.recv().await.unwrap(), (2, "wrote".to_owned()));
    let record = wait_for(&store, id, State::Done).await;
    assert_eq!(record.attempts, 1);
    runner.stop().await.unwrap();
    let notes: Vec<String> = effects(&store).into_iter().map(|(_, _, note)| note).collect();
    assert_eq!(notes, ["step 2", "done 2"], "the outlived call committed nothing");
}

// ---- retries, dead letters, panics ----

#[tokio::test(start_paused = true)]
async fn failed_attempts_back_off_exponentially_with_jitter_then_the_job_is_dead_until_requeued() {
    let (_dir, store) = open("backoff");
    let retry = Retry { max_attempts: 4, base: Duration::from_secs(10), max: Duration::from_secs(3600) };
    let healthy = Arc::new(AtomicBool::new(false));
    let (seen, mut starts) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(retry))
        .handle("call", {
            let healthy = healthy.clone();
            move |_job: Job<i64>| {
                let (healthy, seen) = (healthy.clone(), seen.clone());
                async move {
                    seen.send(Instant::now()).unwrap();
                    if healthy.load(Ordering::SeqCst) {
                        Ok(Done::new())
                    } else {
                        Err(Error::internal("the provider is down"))
                    }
                }
            }
        })
        .start()
        .unwrap();
    let id = enqueue(&store, "call", 1);
    let dead = wait_for(&store, id, State::Dead).await;
    assert_eq!(dead.attempts, 4);
    assert_eq!(dead.last_error.as_deref(), Some("the provider is down"));
    assert!(dead.finished_at.is_some());
    assert_eq!(
        jobs::list(&store, State::Dead, 10).unwrap(),
        std::slice::from_ref(&dead),
        "the dead-letter queue keeps it"
    );

    let mut times = Vec::new();
    while let Ok(time) = starts.try_recv() {
        times.push(time);
    }
    assert_eq!(times.len(), 4, "one start per attempt, and none after the last");
    for (failed, gap) in times.windows(2).map(|pair| pair[1] - pair[0]).enumerate() {
        let ceiling = retry.ceiling(u32::try_from(failed).unwrap() + 1);
        // The clock is exact to the millisecond tokio's timers keep.
        let within = gap >= ceiling / 2 && gap <= ceiling + Duration::from_millis(2);
        assert!(within, "after failure {}: waited {gap:?}, ceiling {ceiling:?}", failed + 1);
    }

    healthy.store(true, Ordering::SeqCst);
    assert!(store.transaction(move |tx| jobs::requeue(tx, id)).unwrap());
    let done = wait_for(&store, id, State::Done).await;
    assert_eq!(done.attempts, 1, "a re-queued job gets a fresh set of attempts");
    assert!(!store.transaction(move |tx| jobs::requeue(tx, id)).unwrap(), "only a dead job is re-queued");
    runner.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_permanent_failure_makes_the_job_dead_at_once_from_the_handler_or_its_done_writes() {
    let (_dir, store) = open("permanent");
    let (seen, mut starts) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(quick_retry(5)))
        .handle("mail", move |job: Job<i64>| {
            let seen = seen.clone();
            async move {
                seen.send(job.payload).unwrap();
                match job.payload {
                    1 => Err(jobs::permanent(Error::bad_request("`nobody` is not an email address"))),
                    _ => Ok(Done::with(|_tx| Err(jobs::permanent(Error::internal("the template is gone"))))),
                }
            }
        })
        .start()
        .unwrap();
    let from_handler = enqueue(&store, "mail", 1);
    let from_done = enqueue(&store, "mail", 2);
    let dead = wait_for(&store, from_handler, State::Dead).await;
    assert_eq!((dead.attempts, dead.last_error.as_deref()), (1, Some("`nobody` is not an email address")));
    let dead = wait_for(&store, from_done, State::Dead).await;
    assert_eq!((dead.attempts, dead.last_error.as_deref()), (1, Some("the template is gone")));
    runner.stop().await.unwrap();
    let mut runs = Vec::new();
    while let Ok(payload) = starts.try_recv() {
        runs.push(payload);
    }
    assert_eq!(runs, [1, 2], "one attempt each, with four left unused");

    let marked = jobs::permanent(Error::not_found("gone"));
    assert!(jobs::is_permanent(&marked) && !jobs::is_permanent(&Error::not_found("gone")));
    assert_eq!((marked.kind(), marked.message()), (orion::ErrorKind::NotFound, "gone"), "the mark keeps the error");
}

#[derive(Debug, Serialize, Deserialize)]
struct Typed {
    n: i64,
}

#[tokio::test(start_paused = true)]
async fn panicking_handlers_fail_their_attempt_and_the_runner_keeps_running() {
    let (_dir, store) = open("panics");
    let runner = Jobs::with_options(&store, options(quick_retry(3)))
        .handle("async", |job: Job<Typed>| async move {
            assert!(job.attempt > 1, "boom in async");
            Ok(Done::new())
        })
        .handle_blocking("blocking", |job: Job<Typed>| {
            assert!(job.attempt > 1, "boom in blocking");
            Ok(Done::new())
        })
        .start()
        .unwrap();
    let a = store.transaction(|tx| jobs::enqueue(tx, "async", &Typed { n: 1 })).unwrap();
    let b = store.transaction(|tx| jobs::enqueue(tx, "blocking", &Typed { n: 2 })).unwrap();
    let unreadable = store.transaction(|tx| jobs::enqueue(tx, "async", &"not a Typed")).unwrap();
    for (id, message) in [(a, "boom in async"), (b, "boom in blocking")] {
        let record = wait_for(&store, id, State::Done).await;
        assert_eq!(record.attempts, 2);
        assert!(record.last_error.as_deref().is_some_and(|e| e.contains(message)), "{record:?}");
    }
    // A payload that does not read as the handler's type cannot succeed: dead at once.
    let record = wait_for(&store, unreadable, State::Dead).await;
    assert_eq!(record.attempts, 1);
    let error = record.last_error.unwrap();
    assert!(error.contains("does not read as") && error.contains("Typed"), "{error}");
    runner.stop().await.unwrap();
}

// ---- time: run_at and leases ----

#[tokio::test(start_paused = true)]
async fn a_delayed_job_waits_for_its_run_at() {
    let (_dir, store) = open("run-at");
    let (seen, mut calls) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(Retry::default()))
        .handle("remind", move |job: Job<i64>| {
            let seen = seen.clone();
            async move {
                seen.send((job.payload, Instant::now())).unwrap();
                Ok(Done::new())
            }
        })
        .start()
        .unwrap();
    let start = Instant::now();
    let later = SystemTime::now() + Duration::from_secs(3600);
    let delayed = store.transaction(move |tx| jobs::enqueue_at(tx, "remind", &1, later)).unwrap();
    enqueue(&store, "remind", 2);
    let record = jobs::get(&store, delayed).unwrap().unwrap();
    assert_eq!((record.state, unix_ms(record.run_at)), (State::Queued, unix_ms(later)));

    let (first, _) = calls.recv().await.unwrap();
    assert_eq!(first, 2, "the job due now runs first");
    let (second, at) = calls.recv().await.unwrap();
    assert_eq!(second, 1);
    assert!(at - start >= Duration::from_secs(3600), "ran {:?} after enqueue", at - start);
    assert!(at - start < Duration::from_secs(3601), "ran {:?} after enqueue", at - start);
    runner.stop().await.unwrap();
}

/// Makes job `id` look claimed by a worker that then died: running, attempt 1, its lease
/// expiring `lease` from now.
fn claim_by_dead_worker(store: &Store, id: JobId, lease: Duration) -> i64 {
    let until = unix_ms(SystemTime::now() + lease);
    store
        .execute(
            "UPDATE _orion_jobs SET state = 'running', attempts = 1, claims = 1, lease_until = ?2, worker = 'dead' \
             WHERE id = ?1",
            (id.0, until),
        )
        .unwrap();
    until
}

#[tokio::test(start_paused = true)]
async fn a_job_whose_worker_died_is_claimed_again_once_its_lease_expires_not_before() {
    let (_dir, store) = open("lease");
    jobs::setup(&store).unwrap();
    let id = enqueue(&store, "work", 1);
    let lease_until = claim_by_dead_worker(&store, id, Duration::from_secs(30));
    let (seen, mut calls) = mpsc::unbounded_channel();
    let runner = Jobs::with_options(&store, options(Retry::default()))
        .handle("work", move |job: Job<i64>| {
            let seen = seen.clone();
            async move {
                seen.send((job.attempt, Instant::now())).unwrap();
                Ok(Done::new())
            }
        })
        .start()
        .unwrap();
    // Read after the runner started, so at most the lease it saw is left.
    let start = Instant::now();
    let started_ms = unix_ms(SystemTime::now());
    let (attempt, at) = calls.recv().await.unwrap();
    assert_eq!(attempt, 2);
    let lease_left = Duration::from_millis(u64::try_from(lease_until - started_ms).unwrap());
    assert!(at - start >= lease_left, "claimed {:?} after start, lease had {lease_left:?} left", at - start);
    let record = wait_for(&store, id, State::Done).await;
    assert_eq!(record.attempts, 2);
    assert!(record.last_error.unwrap().contains("attempt 1 stopped without finishing"));
    runner.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_last_attempt_whose_worker_died_makes_the_job_dead() {
    let (_dir, store) = open("lease-dead");
    jobs::setup(&store).unwrap();
    let id = enqueue(&store, "work", 1);
    claim_by_dead_worker(&store, id, Duration::from_secs(30));
    let calls = Arc::new(AtomicUsize::new(0));
    let runner = Jobs::with_options(&store, options(Retry { max_attempts: 1, ..Retry::default() }))
        .handle("work", {
            let calls = calls.clone();
            move |_job: Job<i64>| {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Ok(Done::new()) }
            }
        })
        .start()
        .unwrap();
    let record = wait_for(&store, id, State::Dead).await;
    assert_eq!(record.attempts, 1);
    assert!(record.last_error.unwrap().contains("was the last one allowed"));
    runner.stop().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn a_handler_outliving_its_lease_keeps_its_claim_while_its_worker_lives() {
    let (_dir, store) = open("renew");
    let runs = Arc::new(AtomicUsize::new(0));
    let lease = Duration::from_secs(3);
    let runners: Vec<_> = (0..2)
        .map(|_| {
            let runs = runs.clone();
            Jobs::with_options(&store, JobsOptions { lease, ..options(Retry::default()) })
                .handle("long", move |job: Job<i64>| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    let (id, attempt) = (job.id, job.attempt);
                    async move {
                        tokio::time::sleep(Duration::from_secs(20)).await; // tidy: sleep-ok paused clock: the handler outlives its lease in virtual time
                        Ok(Done::with(move |tx| insert_effect(tx, id, attempt, "long")))
                    }
                })
                .start()
                .unwrap()
        })
        .collect();
    let id = enqueue(&store, "long", 1);
    let record = wait_for(&store, id, State::Done).await;
    assert_eq!(record.attempts, 1, "the other runner never claimed it: the lease was renewed");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(effects(&store), [(id.0, 1, "long".to_owned())]);
    for runner in runners {
        runner.stop().await.unwrap();
    }
}

// ---- progress ----

#[tokio::test]
async fn progress_is_recorded_and_published_after_each_step() {
    let (_dir, store) = open("progress");
    let next = Arc::new(Notify::new());
    let runner = Jobs::new(&store)
        .handle("steps", {
            let next = next.clone();
            move |job: Job<u64>| {
                let next = next.clone();
                async move {
                    for step in 1..=job.payload {
                        job.progress(step, job.payload).await?;
                        next.notified().await;
                    }
                    Ok(Done::new())
                }
            }
        })
        .handle_blocking("blocking", |job: Job<u64>| {
            for step in 1..=job.payload {
                job.progress_blocking(step, job.payload)?;
            }
            Ok(Done::new())
        })
        .start()
        .unwrap();
    let mut topic = store.bus().subscribe(&[jobs::TOPIC]);
    let id = store.write(|tx| jobs::enqueue(tx, "steps", &3u64)).await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 3 {
        topic.changed().await;
        let progress = jobs::get(&store, id).unwrap().unwrap().progress;
        if progress.done > seen.last().copied().unwrap_or(0) {
            seen.push(progress.done);
            assert_eq!(progress.total, 3);
            next.notify_one();
        }
    }
    assert_eq!(seen, [1, 2, 3], "each step was published once committed");
    let done = wait_for(&store, id, State::Done).await;
    assert_eq!((done.progress.done, done.progress.total, done.progress.percent()), (3, 3, 100));

    let id = store.write(|tx| jobs::enqueue(tx, "blocking", &2u64)).await.unwrap();
    let done = wait_for(&store, id, State::Done).await;
    assert_eq!((done.progress.done, done.progress.total), (2, 2));
    runner.stop().await.unwrap();
}

// ---- runners ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_on_one_store_run_each_of_many_jobs_once() {
    let (_dir, store) = open("two-runners");
    let calls = Arc::new(AtomicUsize::new(0));
    let runners: Vec<_> = (0..2)
        .map(|_| {
            let calls = calls.clone();
            Jobs::with_options(&store, JobsOptions { concurrency: 4, ..JobsOptions::default() })
                .handle("count", move |job: Job<i64>| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    let (id, attempt) = (job.id, job.attempt);
                    async move { Ok(Done::with(move |tx| insert_effect(tx, id, attempt, "counted"))) }
                })
                .start()
                .unwrap()
        })
        .collect();
    let last = store
        .write(|tx| {
            let mut last = JobId(0);
            for n in 0..300 {
                last = jobs::enqueue(tx, "count", &n)?;
            }
            Ok(last)
        })
        .await
        .unwrap();
    let mut changes = store.bus().subscribe(&[jobs::TOPIC]);
    while jobs::list(&store, State::Done, 1000).unwrap().len() < 300 {
        changes.changed().await;
    }
    for runner in runners {
        runner.stop().await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 300);
    let per_job: Vec<(i64, i64)> =
        store.query("SELECT job, count(*) FROM effects GROUP BY job HAVING count(*) <> 1", ()).unwrap();
    assert_eq!(per_job, []);
    let (count,): (i64,) = store.query_one("SELECT count(DISTINCT job) FROM effects", ()).unwrap().unwrap();
    assert_eq!(count, 300);
    let workers: Vec<(String,)> = store.query("SELECT DISTINCT worker FROM _orion_jobs", ()).unwrap();
    assert!(!workers.is_empty());
    assert_eq!(jobs::get(&store, last).unwrap().unwrap().state, State::Done);
}

#[tokio::test]
async fn stop_waits_for_the_attempts_in_flight_to_record_their_outcome() {
    let (_dir, store) = open("stop");
    let started = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let runner = Jobs::new(&store)
        .handle("slow", {
            let (started, release) = (started.clone(), release.clone());
            move |_job: Job<i64>| {
                let (started, release) = (started.clone(), release.clone());
                async move {
                    started.notify_one();
                    release.notified().await;
                    Ok(Done::new())
                }
            }
        })
        .start()
        .unwrap();
    let id = enqueue(&store, "slow", 1);
    started.notified().await;
    let stopping = tokio::spawn(runner.stop());
    release.notify_one();
    stopping.await.unwrap().unwrap();
    assert_eq!(jobs::get(&store, id).unwrap().unwrap().state, State::Done, "stop returned after the commit");
}

#[test]
fn start_refuses_a_kind_with_two_handlers_and_a_missing_runtime() {
    let (_dir, store) = open("start");
    let handler = |_job: Job<i64>| async { Ok(Done::new()) };
    let error = Jobs::new(&store).handle("a", handler).start().unwrap_err();
    assert!(error.message().contains("outside a tokio runtime"), "{error}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _guard = runtime.enter();
    let error = Jobs::new(&store).handle("a", handler).handle("a", handler).start().unwrap_err();
    assert_eq!(error.message(), "the job kind `a` has two handlers: register each kind once with `Jobs::handle`");
}
