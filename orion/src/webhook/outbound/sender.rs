//! [`Outbound`]: the sending side — the signing secret, the HTTP(S) client, and the job
//! handler that makes one attempt each time the runner runs a delivery.
//!
//! An attempt, within [`OutboundOptions::timeout`] from start to end: check the URL, resolve
//! and check the addresses ([`resolve`]), connect to one of exactly those (within
//! [`OutboundOptions::connect_timeout`]), TLS for `https` (rustls, Mozilla's roots), `POST`
//! the signed envelope over HTTP/1.1 on a fresh connection, and read the status. A 2xx is
//! delivered; its body is not read. A 3xx is a failure (redirects are not followed: the
//! guard checked this URL's host, not the `Location`'s). Anything else is a failure whose
//! body is read up to [`OutboundOptions::max_response_bytes`] for the error message.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, LOCATION, USER_AGENT};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::time::{Instant, timeout_at};

use super::failure::Failure;
use super::resolve::{Resolved, resolve};
use super::sign::signature;
use super::target::Target;
use super::{DELIVERY_HEADER, Delivery, EVENT_HEADER, OutboundOptions, SIGNATURE_HEADER};
use crate::Result;
use crate::jobs::{Done, Job};

/// The `User-Agent` of every delivery.
const AGENT: &str = concat!("orion-webhooks/", env!("CARGO_PKG_VERSION"));

/// What the runner calls for each delivery job (see [`Outbound::handler`]).
type Handler = Pin<Box<dyn Future<Output = Result<Done>> + Send>>;

/// Sends the deliveries enqueued with [`enqueue`](super::enqueue), signed with one secret.
/// Register its [`handler`](Outbound::handler) with the app's job runner for [`KIND`]:
///
/// ```no_run
/// use orion::jobs::Jobs;
/// use orion::webhook::outbound::{self, Outbound};
///
/// # async fn run(store: orion::Store) -> orion::Result<()> {
/// let secret = std::env::var("WEBHOOK_SECRET").expect("set WEBHOOK_SECRET");
/// let outbound = Outbound::new(&secret);
/// let jobs = Jobs::new(&store).handle(outbound::KIND, outbound.handler()).start()?;
/// // … serve …
/// jobs.stop().await?;
/// # Ok(())
/// # }
/// ```
///
/// [`KIND`]: super::KIND
#[derive(Clone)]
pub struct Outbound {
    inner: Arc<Inner>,
}

struct Inner {
    secret: Vec<u8>,
    options: OutboundOptions,
    /// Built once: rustls with ring, TLS 1.2 and 1.3, Mozilla's roots (webpki-roots).
    tls: Arc<rustls::ClientConfig>,
}

impl Outbound {
    /// Signs with `secret` and sends with the default [`OutboundOptions`]: 5 s to connect,
    /// 15 s in all, public addresses only.
    pub fn new(secret: &str) -> Outbound {
        Outbound::with_options(secret, OutboundOptions::default())
    }

    /// Signs with `secret` and sends with `options`.
    pub fn with_options(secret: &str, options: OutboundOptions) -> Outbound {
        // The provider is named here rather than taken from rustls's process-wide default, so
        // another crate enabling a second provider cannot make this panic.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports TLS 1.2 and 1.3")
            .with_webpki_roots()
            .with_no_client_auth();
        Outbound { inner: Arc::new(Inner { secret: secret.as_bytes().to_vec(), options, tls: Arc::new(tls) }) }
    }

    /// The job handler: one attempt per run. Delivered (a 2xx) is done; any other outcome
    /// fails the attempt, to be retried after the jobs' backoff until the job is dead; a
    /// refused address or an invalid URL is dead at once
    /// ([`permanent`](crate::jobs::permanent)).
    pub fn handler(&self) -> impl Fn(Job<Delivery>) -> Handler + Send + Sync + 'static {
        let outbound = self.clone();
        move |job: Job<Delivery>| {
            let outbound = outbound.clone();
            Box::pin(async move {
                let delivery = &job.payload;
                match outbound.deliver(delivery).await {
                    Ok(status) => {
                        tracing::info!(
                            delivery = %delivery.id, event = %delivery.event, url = %delivery.url,
                            %status, attempt = job.attempt, "webhook delivered"
                        );
                        Ok(Done::new())
                    }
                    Err(failure) => Err(failure.into_error()),
                }
            })
        }
    }

    /// One attempt: the receiver's 2xx status, or why it failed.
    async fn deliver(&self, delivery: &Delivery) -> Result<http::StatusCode, Failure> {
        let options = &self.inner.options;
        let deadline = Instant::now() + options.timeout;
        let url = delivery.url.clone();
        let timed_out = || Failure::Timeout { url: url.clone(), timeout: options.timeout };
        let target = delivery.check().map_err(Failure::Invalid)?;
        let addrs = timeout_at(deadline, resolve(&target, &options.allow)).await.map_err(|_| timed_out())??;

        let mut http = HttpConnector::new_with_resolver(Resolved::new(addrs));
        http.enforce_http(false);
        http.set_connect_timeout(Some(options.connect_timeout));
        http.set_nodelay(true);
        let connector = HttpsConnector::from((http, self.inner.tls.clone()));
        // A fresh connection per attempt: a pooled one would skip the guard's check.
        let client = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(0).build(connector);

        let request = self.request(delivery, target).map_err(Failure::Invalid)?;
        let response = match timeout_at(deadline, client.request(request)).await {
            Err(_) => return Err(timed_out()),
            Ok(Err(error)) => return Err(Failure::Send { url, error: chain(&error) }),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if status.is_success() {
            return Ok(status);
        }
        if status.is_redirection() {
            let location = response.headers().get(LOCATION).and_then(|value| value.to_str().ok()).map(str::to_owned);
            return Err(Failure::Redirect { url, status, location });
        }
        let mut body = Vec::new();
        // Past the deadline, the error keeps what was read by then.
        let cut = timeout_at(deadline, read_capped(response.into_body(), options.max_response_bytes, &mut body))
            .await
            .unwrap_or(None);
        Err(Failure::Status { url, status, body, cut })
    }

    /// The signed `POST` of `delivery`'s envelope, signed now.
    fn request(&self, delivery: &Delivery, target: Target) -> Result<http::Request<Full<Bytes>>> {
        let body = delivery.body();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        let signed = signature(&self.inner.secret, now, body.as_bytes());
        http::Request::post(target.uri)
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, AGENT)
            .header(SIGNATURE_HEADER, signed)
            .header(DELIVERY_HEADER, &delivery.id)
            .header(EVENT_HEADER, &delivery.event)
            .body(Full::new(Bytes::from(body)))
            .map_err(|error| {
                crate::Error::bad_request(format!(
                    "the delivery `{}` cannot be sent as an HTTP request ({error}): make it with `Delivery::new`",
                    delivery.id
                ))
            })
    }
}

impl fmt::Debug for Outbound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outbound").field("options", &self.inner.options).finish_non_exhaustive()
    }
}

/// Reads `body` into `into` until it ends or holds `cap` bytes; `Some(cap)` if there was more
/// (which is left unread: the connection is dropped with it).
async fn read_capped(mut body: Incoming, cap: usize, into: &mut Vec<u8>) -> Option<usize> {
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return None };
        let Ok(data) = frame.into_data() else { continue };
        let room = cap.saturating_sub(into.len());
        if data.len() > room {
            into.extend_from_slice(&data[..room]);
            return Some(cap);
        }
        into.extend_from_slice(&data);
    }
    None
}

/// An error and its causes, as one line: hyper's top-level errors ("client error
/// (Connect)") only say which stage failed.
fn chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}
