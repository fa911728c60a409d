//! Outbound webhooks at their boundaries: real SQLite files, a real job runner, and real HTTP
//! receivers on loopback — written here by hand over a TCP socket, independent of orion's
//! client and server — asserting on what the receivers got, on the jobs' rows and on the
//! dead-letter list.
//!
//! These tests run on tokio's real clock: an attempt waits on real sockets, and a paused clock
//! would jump over its timeouts while the other side is still working. Nothing waits for real
//! backoff anyway: the retries are configured in milliseconds, and every test waits for the
//! event itself (a request received, a job's state published on the bus, a connection
//! dropped), never for a duration.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use orion::jobs::{self, JobId, Jobs, JobsOptions, Record, Retry, Running, State};
use orion::store::Store;
use orion::testing::WAIT;
use orion::webhook::outbound::{self, Delivery, Outbound, OutboundOptions};
use orion::webhook::{Orion, Rejected, Stripe, Verify};
use orion::{Bus, Error};
use serde_json::json;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use crate::support::TempDir;

const SECRET: &str = "whsec_orion_outbound_3c9d2b71";

// ---- a receiver, written by hand ----

/// How a receiver answers each request.
#[derive(Debug, Clone)]
enum Answer {
    /// A status with a short text body.
    Status(u16, &'static str),
    /// A redirect to the URL.
    Redirect(String),
    /// Nothing at all, until the client hangs up.
    Silent,
    /// A status, then a chunked body that never ends, until the client hangs up.
    Endless(u16),
}

/// One request, as the receiver read it off the socket.
#[derive(Debug, Clone)]
struct Received {
    /// `POST /path HTTP/1.1`.
    line: String,
    headers: HeaderMap,
    /// The raw body: the exact bytes the signature covers.
    body: Bytes,
}

/// An HTTP/1.1 receiver on a loopback address: counts the connections it accepts, reports
/// each request it reads, answers as told, and reports when a client hung up on it (with the
/// bytes it had written by then).
struct Receiver {
    addr: SocketAddr,
    answer: Arc<Mutex<Answer>>,
    accepted: Arc<AtomicUsize>,
    requests: mpsc::UnboundedReceiver<Received>,
    hung_up: mpsc::UnboundedReceiver<usize>,
}

impl Receiver {
    async fn start(answer: Answer) -> Receiver {
        Receiver::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), answer).await.expect("bind 127.0.0.1:0")
    }

    async fn bind(addr: SocketAddr, answer: Answer) -> std::io::Result<Receiver> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let answer = Arc::new(Mutex::new(answer));
        let accepted = Arc::new(AtomicUsize::new(0));
        let (request_tx, requests) = mpsc::unbounded_channel();
        let (hung_up_tx, hung_up) = mpsc::unbounded_channel();
        let (shared, count) = (answer.clone(), accepted.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let answer = shared.lock().unwrap().clone();
                let (request_tx, hung_up_tx) = (request_tx.clone(), hung_up_tx.clone());
                tokio::spawn(async move {
                    if let Some((received, socket)) = read_request(socket).await {
                        let _ = request_tx.send(received);
                        if let Some(written) = respond(socket, answer).await {
                            let _ = hung_up_tx.send(written);
                        }
                    }
                });
            }
        });
        Ok(Receiver { addr, answer, accepted, requests, hung_up })
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    async fn next(&mut self) -> Received {
        within("a request to reach the receiver", self.requests.recv()).await.expect("the receiver is running")
    }

    /// The bytes the receiver had written when a client hung up on it.
    async fn hung_up(&mut self) -> usize {
        within("a client to hang up on the receiver", self.hung_up.recv()).await.expect("the receiver is running")
    }
}

/// Reads one request: the head up to the blank line, then `content-length` bytes of body.
async fn read_request(mut socket: TcpStream) -> Option<(Received, TcpStream)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let line = lines.next()?.to_owned();
    let mut headers = HeaderMap::new();
    for header in lines {
        let (name, value) = header.split_once(':')?;
        headers.append(HeaderName::from_bytes(name.trim().as_bytes()).ok()?, HeaderValue::from_str(value.trim()).ok()?);
    }
    let length: usize = headers.get("content-length").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((Received { line, headers, body: Bytes::from(body) }, socket))
}

/// Answers; for the answers that wait on the client, the bytes written when it hung up.
async fn respond(mut socket: TcpStream, answer: Answer) -> Option<usize> {
    match answer {
        Answer::Status(status, text) => {
            let head = format!(
                "HTTP/1.1 {status} Whatever\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                text.len()
            );
            let _ = socket.write_all(format!("{head}{text}").as_bytes()).await;
            None
        }
        Answer::Redirect(location) => {
            let head =
                format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = socket.write_all(head.as_bytes()).await;
            None
        }
        Answer::Silent => {
            // Reads until the client closes its side: that read returning is the event.
            let mut rest = [0u8; 64];
            while matches!(socket.read(&mut rest).await, Ok(n) if n > 0) {}
            Some(0)
        }
        Answer::Endless(status) => {
            let head = format!("HTTP/1.1 {status} Whatever\r\ntransfer-encoding: chunked\r\n\r\n");
            let mut written = 0;
            if socket.write_all(head.as_bytes()).await.is_err() {
                return Some(written);
            }
            let chunk = format!("2000\r\n{}\r\n", "x".repeat(0x2000));
            // Until the client hangs up: each write fails once it has.
            while socket.write_all(chunk.as_bytes()).await.is_ok() {
                written += 0x2000;
            }
            Some(written)
        }
    }
}

// ---- the app's side ----

fn open(label: &str) -> (TempDir, Store) {
    let dir = TempDir::new(label);
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    (dir, store)
}

/// Loopback allowed (the receivers live there), and nothing else changed.
fn loopback() -> OutboundOptions {
    OutboundOptions { allow: vec![IpAddr::from(Ipv4Addr::LOCALHOST)], ..OutboundOptions::default() }
}

/// Retries a few milliseconds apart, so no test waits for real backoff.
fn retry(max_attempts: u32) -> Retry {
    Retry { max_attempts, base: Duration::from_millis(2), max: Duration::from_millis(8) }
}

/// A runner sending deliveries with `options`; enqueues in this process wake it, so its poll
/// is long.
fn start(store: &Store, options: OutboundOptions, retry: Retry) -> Running {
    let outbound = Outbound::with_options(SECRET, options);
    Jobs::with_options(store, JobsOptions { poll: Duration::from_secs(3600), retry, ..JobsOptions::default() })
        .handle(outbound::KIND, outbound.handler())
        .start()
        .unwrap()
}

/// Enqueues a delivery of `event` with `data` to `url` in its own transaction.
async fn send(store: &Store, url: &str, event: &str, data: serde_json::Value) -> (JobId, Delivery) {
    let delivery = Delivery::new(url, event, &data).unwrap();
    let queued = delivery.clone();
    let job = store.write(move |tx| outbound::enqueue(tx, &queued)).await.unwrap();
    (job, delivery)
}

/// `event`, or a failed test naming what it waited for after [`WAIT`] (a bug, not a slow
/// machine: every wait here is for something that takes milliseconds).
async fn within<T>(what: &str, event: impl Future<Output = T>) -> T {
    match tokio::time::timeout(WAIT, event).await {
        Ok(value) => value,
        Err(_) => panic!("waited {WAIT:?} for {what}"),
    }
}

/// Waits (on the bus, not the clock) until `done` holds.
async fn wait_until<T>(store: &Store, what: &str, mut done: impl FnMut(&Store) -> Option<T>) -> T {
    let mut changes = store.bus().subscribe(&[jobs::TOPIC]);
    within(what, async {
        loop {
            if let Some(value) = done(store) {
                return value;
            }
            changes.changed().await;
        }
    })
    .await
}

async fn wait_for(store: &Store, job: JobId, state: State) -> Record {
    let what = format!("job {job} to be {state}");
    wait_until(store, &what, |store| jobs::get(store, job).unwrap().filter(|record| record.state == state)).await
}

/// The `t` and `v1` of an `Orion-Signature` header.
fn signature_parts(received: &Received) -> (u64, String) {
    let header = received.headers.get("orion-signature").expect("a signature header").to_str().unwrap();
    let (t, v1) = header.split_once(",v1=").expect("`t=…,v1=…`");
    (t.strip_prefix("t=").unwrap().parse().unwrap(), v1.to_owned())
}

/// What a receiver in another language does: HMAC-SHA256 of `"{t}.{raw body}"`, in hex.
fn expected_signature(secret: &str, t: u64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

// ---- delivered, signed ----

#[tokio::test]
async fn a_delivery_arrives_signed_and_both_orions_verifier_and_an_independent_hmac_accept_it() {
    let (_dir, store) = open("outbound-signed");
    let mut receiver = Receiver::start(Answer::Status(200, "thanks")).await;
    let runner = start(&store, loopback(), retry(3));

    let (job, delivery) =
        send(&store, &receiver.url("/hooks/orders?source=shop"), "order.paid", json!({"order": 42})).await;
    let received = receiver.next().await;
    let record = wait_for(&store, job, State::Done).await;
    assert_eq!(record.attempts, 1);

    // What arrived: the envelope and its headers.
    assert_eq!(received.line, "POST /hooks/orders?source=shop HTTP/1.1");
    let header = |name: &str| received.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("orion-delivery"), Some(delivery.id.clone()));
    assert_eq!(header("orion-event").as_deref(), Some("order.paid"));
    assert!(header("user-agent").unwrap().starts_with("orion-webhooks/"));
    let envelope: serde_json::Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(
        envelope,
        json!({"id": delivery.id, "type": "order.paid", "created": delivery.created, "data": {"order": 42}})
    );
    assert!(delivery.id.starts_with("dlv_") && delivery.id.len() == 36, "{}", delivery.id);

    // A receiver written independently: the HMAC of the raw body it got, with the hmac crate.
    let (t, v1) = signature_parts(&received);
    assert!(t.abs_diff(now()) < 60, "signed at the attempt: {t}");
    assert_eq!(v1, expected_signature(SECRET, t, &received.body));
    assert_ne!(v1, expected_signature("another secret", t, &received.body));

    // orion's own inbound verifier: the event is the delivery, read from the signed body.
    let event = Orion::new(SECRET).verify(&received.headers, &received.body, SystemTime::now()).unwrap();
    assert_eq!((event.provider, event.id.as_str(), event.kind.as_str()), ("orion", delivery.id.as_str(), "order.paid"));
    assert_eq!(event.body, received.body);
    assert_eq!(
        Orion::new("another secret").verify(&received.headers, &received.body, SystemTime::now()),
        Err(Rejected::SignatureMismatch)
    );
    let mut altered = received.body.to_vec();
    altered[received.body.len() - 3] ^= 1;
    assert_eq!(
        Orion::new(SECRET).verify(&received.headers, &Bytes::from(altered), SystemTime::now()),
        Err(Rejected::SignatureMismatch)
    );
    // The header is Stripe's scheme: the Stripe verifier accepts its value as `Stripe-Signature`.
    let mut as_stripe = HeaderMap::new();
    as_stripe.insert("stripe-signature", received.headers["orion-signature"].clone());
    assert_eq!(Stripe::new(SECRET).verify(&as_stripe, &received.body, SystemTime::now()).unwrap().id, delivery.id);

    runner.stop().await.unwrap();
    assert!(receiver.requests.try_recv().is_err(), "delivered once");
}

// ---- retries, dead letters, re-queue ----

#[tokio::test]
async fn a_failing_receiver_is_retried_until_the_delivery_is_dead_and_a_requeue_delivers_it_once_it_recovers() {
    let (_dir, store) = open("outbound-dead");
    let mut receiver = Receiver::start(Answer::Status(500, "database is down")).await;
    let runner = start(&store, loopback(), retry(3));
    let (job, delivery) = send(&store, &receiver.url("/hooks"), "invoice.created", json!({"invoice": 7})).await;

    wait_for(&store, job, State::Dead).await;
    let dead = outbound::dead(&store, 10).unwrap();
    assert_eq!(dead.len(), 1);
    let letter = &dead[0];
    assert_eq!((letter.job, &letter.delivery, letter.attempts), (job, &delivery, 3));
    assert_eq!(
        letter.last_error,
        format!("`{}` answered `500 Internal Server Error`: \"database is down\"", delivery.url)
    );
    assert!(letter.died_at.is_some());

    // Three attempts, each the same delivery, each signed afresh over the same body.
    let mut attempts = Vec::new();
    for _ in 0..3 {
        attempts.push(receiver.next().await);
    }
    for received in &attempts {
        assert_eq!(received.headers["orion-delivery"], delivery.id.as_str());
        assert_eq!(received.body, attempts[0].body);
        let (t, v1) = signature_parts(received);
        assert_eq!(v1, expected_signature(SECRET, t, &received.body));
    }
    assert!(receiver.requests.try_recv().is_err(), "no attempt after the last one");

    // The receiver recovers; the dead letter is sent again, with its id.
    receiver.answer(Answer::Status(204, ""));
    assert!(store.write(move |tx| outbound::requeue(tx, job)).await.unwrap());
    let again = receiver.next().await;
    assert_eq!(again.headers["orion-delivery"], delivery.id.as_str());
    assert_eq!(again.body, attempts[0].body);
    let record = wait_for(&store, job, State::Done).await;
    assert_eq!(record.attempts, 1, "a re-queue starts a fresh set of attempts");
    assert_eq!(outbound::dead(&store, 10).unwrap(), []);

    // Only a dead delivery is re-queued: not a delivered one, not another kind of job.
    assert!(!store.write(move |tx| outbound::requeue(tx, job)).await.unwrap());
    let other = store.write(|tx| jobs::enqueue(tx, "something.else", &1)).await.unwrap();
    store.execute("UPDATE _orion_jobs SET state = 'dead' WHERE id = ?1", [other]).unwrap();
    assert!(!store.write(move |tx| outbound::requeue(tx, other)).await.unwrap());
    assert_eq!(outbound::dead(&store, 10).unwrap(), [], "the dead-letter view lists deliveries only");

    runner.stop().await.unwrap();
    assert!(receiver.requests.try_recv().is_err(), "delivered once after the re-queue");
}

// ---- the outbox ----

#[tokio::test]
async fn a_failed_transaction_delivers_nothing() {
    let (_dir, store) = open("outbound-rollback");
    let mut receiver = Receiver::start(Answer::Status(200, "ok")).await;
    let runner = start(&store, loopback(), retry(1));
    let url = receiver.url("/hooks");

    let failed = store
        .write({
            let url = url.clone();
            move |tx| {
                outbound::enqueue(tx, &Delivery::new(&url, "order.paid", &json!({"order": 1}))?)?;
                Err::<(), _>(Error::bad_request("the order was refused"))
            }
        })
        .await;
    assert_eq!(failed.unwrap_err().message(), "the order was refused");
    // A URL that cannot be delivered to fails the command that enqueues it.
    let refused = store
        .write(|tx| outbound::enqueue(tx, &Delivery::new("ftp://example.com/x", "order.paid", &json!({}))?))
        .await
        .unwrap_err();
    assert!(refused.message().contains("the scheme `ftp`"), "{}", refused.message());
    let rows: Vec<(i64,)> = store.query("SELECT count(*) FROM _orion_jobs", ()).unwrap();
    assert_eq!(rows, [(0,)]);

    // The runner is free and would have sent a committed delivery: this one arrives, alone.
    let (job, delivery) = send(&store, &url, "order.paid", json!({"order": 2})).await;
    let received = receiver.next().await;
    assert_eq!(received.headers["orion-delivery"], delivery.id.as_str());
    wait_for(&store, job, State::Done).await;
    runner.stop().await.unwrap();
    assert!(receiver.requests.try_recv().is_err(), "nothing else was delivered");
    assert_eq!(receiver.accepted(), 1);
}

// ---- the guard ----

#[tokio::test]
async fn loopback_private_link_local_and_mapped_addresses_are_refused_for_good_and_nothing_is_sent() {
    let (_dir, store) = open("outbound-ssrf");
    let receiver = Receiver::start(Answer::Status(200, "ok")).await;
    let port = receiver.addr.port();
    // The same port on IPv6 loopback, where this machine has it.
    let receiver6 = Receiver::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port)), Answer::Status(200, "ok")).await.ok();
    // The default options: nothing allowed. And five attempts, of which a refusal uses one.
    let runner = start(&store, OutboundOptions::default(), retry(5));

    let cases = [
        (format!("http://localhost:{port}/hook"), "`localhost` resolved to `", "a loopback address"),
        (format!("http://127.0.0.1:{port}/hook"), "`127.0.0.1` is a loopback address", "a loopback address"),
        (format!("http://[::1]:{port}/hook"), "`::1` is a loopback address", "a loopback address"),
        (format!("http://10.0.0.1:{port}/hook"), "`10.0.0.1` is a private address", "`10.0.0.0/8`"),
        (
            format!("http://169.254.169.254:{port}/latest/meta-data/"),
            "`169.254.169.254` is a link-local address",
            "metadata",
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/hook"),
            "`::ffff:127.0.0.1` is an IPv6 form of `127.0.0.1`, a loopback address",
            "a loopback address",
        ),
    ];
    let mut probes = Vec::new();
    for (url, _, _) in &cases {
        probes.push(send(&store, url, "probe", json!({})).await.0);
    }
    let finished = wait_until(&store, "every probe to finish", |store| {
        let records: Vec<Record> = probes.iter().map(|job| jobs::get(store, *job).unwrap().unwrap()).collect();
        records.iter().all(|record| matches!(record.state, State::Done | State::Dead)).then_some(records)
    })
    .await;
    let states: Vec<State> = finished.iter().map(|record| record.state).collect();
    assert_eq!(states, [State::Dead; 6], "every probe was refused");
    let dead = outbound::dead(&store, 10).unwrap();
    for ((url, names, reason), (letter, job)) in cases.iter().zip(dead.iter().zip(&probes)) {
        assert_eq!((&letter.delivery.url, letter.job), (url, *job));
        assert_eq!(letter.attempts, 1, "a refusal is not retried: {url}");
        assert!(letter.last_error.starts_with(&format!("refused to deliver to `{url}`: ")), "{}", letter.last_error);
        assert!(letter.last_error.contains(names) && letter.last_error.contains(reason), "{}", letter.last_error);
        assert!(letter.last_error.contains("`OutboundOptions::allow`"), "it says what to do: {}", letter.last_error);
    }
    runner.stop().await.unwrap();
    assert_eq!(receiver.accepted(), 0, "nothing reached 127.0.0.1");
    assert_eq!(receiver6.as_ref().map_or(0, Receiver::accepted), 0, "nothing reached [::1]");

    // The listener was there all along: with loopback allowed, the same URL reaches it.
    let mut receiver = receiver;
    let runner = start(&store, loopback(), retry(1));
    let (job, delivery) = send(&store, &cases[1].0, "probe", json!({})).await;
    assert_eq!(receiver.next().await.headers["orion-delivery"], delivery.id.as_str());
    wait_for(&store, job, State::Done).await;
    runner.stop().await.unwrap();
    assert_eq!(receiver.accepted(), 1);
}

// ---- timeouts, the response cap, redirects ----

#[tokio::test]
async fn a_receiver_that_never_answers_fails_the_attempt_at_the_total_timeout() {
    let (_dir, store) = open("outbound-timeout");
    let mut receiver = Receiver::start(Answer::Silent).await;
    let options = OutboundOptions { timeout: Duration::from_secs(1), ..loopback() };
    let runner = start(&store, options, retry(1));
    let (job, delivery) = send(&store, &receiver.url("/slow"), "order.paid", json!({})).await;

    receiver.next().await;
    let dead = wait_for(&store, job, State::Dead).await;
    assert_eq!(
        dead.last_error.as_deref(),
        Some(format!("`{}` did not answer within 1s (`OutboundOptions::timeout`)", delivery.url).as_str())
    );
    // The client gave up on the connection: the receiver's read ended.
    assert_eq!(receiver.hung_up().await, 0);
    runner.stop().await.unwrap();
}

#[tokio::test]
async fn a_receiver_streaming_an_endless_body_is_cut_at_the_cap() {
    let (_dir, store) = open("outbound-cap");
    let mut receiver = Receiver::start(Answer::Endless(500)).await;
    // A long total timeout: only the cap can end this attempt quickly.
    let options = OutboundOptions { max_response_bytes: 1024, timeout: Duration::from_secs(120), ..loopback() };
    let runner = start(&store, options, retry(1));
    let (job, delivery) = send(&store, &receiver.url("/chatty"), "order.paid", json!({})).await;

    let dead = wait_for(&store, job, State::Dead).await;
    let error = dead.last_error.unwrap();
    let excerpt = "x".repeat(200);
    assert_eq!(
        error,
        format!(
            "`{}` answered `500 Internal Server Error`: \"{excerpt}\"… (its body was cut at 1024 bytes, \
             `OutboundOptions::max_response_bytes`)",
            delivery.url
        )
    );
    // The client stopped reading and dropped the connection: the endless writes failed.
    let written = receiver.hung_up().await;
    assert!(written >= 1024, "{written}");
    receiver.next().await;
    runner.stop().await.unwrap();
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_not_followed() {
    let (_dir, store) = open("outbound-redirect");
    let target = Receiver::start(Answer::Status(200, "ok")).await;
    let mut redirecting = Receiver::start(Answer::Redirect(target.url("/elsewhere"))).await;
    let runner = start(&store, loopback(), retry(2));
    let (job, delivery) = send(&store, &redirecting.url("/moved"), "order.paid", json!({})).await;

    let dead = wait_for(&store, job, State::Dead).await;
    assert_eq!(dead.attempts, 2, "a redirect is retried like any failure");
    assert_eq!(
        dead.last_error.as_deref(),
        Some(
            format!(
                "`{}` answered `302 Found` (a redirect to `{}`), and redirects are not followed: subscribe the \
                 final URL instead",
                delivery.url,
                target.url("/elsewhere")
            )
            .as_str()
        )
    );
    redirecting.next().await;
    redirecting.next().await;
    runner.stop().await.unwrap();
    assert_eq!(target.accepted(), 0, "the redirect's target got nothing");
}
