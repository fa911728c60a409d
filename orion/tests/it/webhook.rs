//! Inbound webhooks at their boundaries: the verifiers against literal vectors (GitHub's
//! documented one; Stripe-style ones generated with Python's `hmac` and `openssl dgst`, never
//! by the code under test), and the endpoint over real HTTP, asserting on statuses and rows.
//!
//! How the Stripe vectors were made (both tools agree):
//!
//! ```text
//! python3 -c 'import hmac, hashlib; print(hmac.new(b"whsec_orion_test_5f0c6a1d",
//!     b"1763740800." + PAYLOAD, hashlib.sha256).hexdigest())'
//! printf '%s' '1763740800.PAYLOAD' | openssl dgst -sha256 -hmac whsec_orion_test_5f0c6a1d
//! ```
//!
//! with `PAYLOAD` the body below; the rotation vector's first `v1` uses the secret
//! `whsec_orion_old_9b3e2f77`, the stale one the timestamp `1763740499` (301 s before
//! `1763740800`), and the flipped one is the valid signature with the last bit of its last
//! byte inverted (`bytearray(bytes.fromhex(sig)); b[-1] ^= 1`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use orion::idempotency::{Idempotency, IdempotencyOptions, ManualClock};
use orion::store::{Migration, Store};
use orion::testing::{Client, TestResponse, TestServer};
use orion::webhook::{GitHub, Rejected, STRIPE_TOLERANCE, Stripe, Verify, Webhook};
use orion::{App, Bus, Routes};

use crate::support::TempDir;

// ---- the vectors ----

const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_PAYLOAD: &str = "Hello, World!";
const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
const GITHUB_DELIVERY: &str = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

const STRIPE_SECRET: &str = "whsec_orion_test_5f0c6a1d";
const STRIPE_PAYLOAD: &str = r#"{"id":"evt_1OrionWebhookTest","object":"event","type":"invoice.paid"}"#;
/// 2025-11-21T16:00:00Z.
const SIGNED_AT: u64 = 1_763_740_800;
const STRIPE_VALID: &str = "t=1763740800,v1=c47ab76fbde4996ffbb224ee85c12554d61f35410de970f50d831d53ea147b2d";
/// Signed with the old secret and with the current one, as during a secret roll.
const STRIPE_ROTATION: &str = "t=1763740800,\
     v1=1e6a2dcf6853fc92a7383cb8d77c15241a0e375909d538a1f0e1f2a6bc0514ad,\
     v1=c47ab76fbde4996ffbb224ee85c12554d61f35410de970f50d831d53ea147b2d";
/// A correct signature over a timestamp 301 s before `SIGNED_AT`.
const STRIPE_STALE: &str = "t=1763740499,v1=5637e5d05e6fc3d3c6944a86f02426c057fe6ae0061bc4f5d7eeb111d3a54486";
/// `STRIPE_VALID` with one bit flipped.
const STRIPE_FLIPPED: &str = "t=1763740800,v1=c47ab76fbde4996ffbb224ee85c12554d61f35410de970f50d831d53ea147b2c";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn stripe(signature: &str, now: SystemTime) -> Result<orion::webhook::Event, Rejected> {
    let headers = headers(&[("stripe-signature", signature)]);
    Stripe::new(STRIPE_SECRET).verify(&headers, &Bytes::from_static(STRIPE_PAYLOAD.as_bytes()), now)
}

// ---- verifiers ----

#[test]
fn github_documented_vector_verifies() {
    let headers = headers(&[
        ("x-hub-signature-256", GITHUB_SIGNATURE),
        ("x-github-delivery", GITHUB_DELIVERY),
        ("x-github-event", "ping"),
    ]);
    let body = Bytes::from_static(GITHUB_PAYLOAD.as_bytes());
    let event = GitHub::new(GITHUB_SECRET).verify(&headers, &body, SystemTime::now()).unwrap();
    assert_eq!((event.provider, event.id.as_str(), event.kind.as_str()), ("github", GITHUB_DELIVERY, "ping"));
    assert_eq!(event.body, body);

    let wrong_secret = GitHub::new("It's a Secret to Nobody").verify(&headers, &body, SystemTime::now());
    assert_eq!(wrong_secret, Err(Rejected::SignatureMismatch));
    let changed_body =
        GitHub::new(GITHUB_SECRET).verify(&headers, &Bytes::from_static(b"Hello, World?"), SystemTime::now());
    assert_eq!(changed_body, Err(Rejected::SignatureMismatch));
}

#[test]
fn github_without_signature_or_delivery_is_rejected() {
    let body = Bytes::from_static(GITHUB_PAYLOAD.as_bytes());
    let github = GitHub::new(GITHUB_SECRET);
    let unsigned = headers(&[("x-github-delivery", GITHUB_DELIVERY)]);
    assert_eq!(github.verify(&unsigned, &body, SystemTime::now()), Err(Rejected::MissingHeader("x-hub-signature-256")));
    let sha1 = headers(&[("x-hub-signature-256", "sha1=abc"), ("x-github-delivery", GITHUB_DELIVERY)]);
    assert_eq!(github.verify(&sha1, &body, SystemTime::now()), Err(Rejected::MalformedHeader("x-hub-signature-256")));
    let anonymous = headers(&[("x-hub-signature-256", GITHUB_SIGNATURE)]);
    assert_eq!(github.verify(&anonymous, &body, SystemTime::now()), Err(Rejected::MissingHeader("x-github-delivery")));
}

#[test]
fn stripe_valid_vector_verifies_and_names_its_event() {
    let event = stripe(STRIPE_VALID, at(SIGNED_AT + 10)).unwrap();
    assert_eq!(
        (event.provider, event.id.as_str(), event.kind.as_str()),
        ("stripe", "evt_1OrionWebhookTest", "invoice.paid")
    );
}

#[test]
fn stripe_rotation_accepts_any_matching_v1() {
    assert_eq!(stripe(STRIPE_ROTATION, at(SIGNED_AT)).unwrap().id, "evt_1OrionWebhookTest");
    // Only the old secret's signature: no match.
    let old_only = "t=1763740800,v1=1e6a2dcf6853fc92a7383cb8d77c15241a0e375909d538a1f0e1f2a6bc0514ad";
    assert_eq!(stripe(old_only, at(SIGNED_AT)), Err(Rejected::SignatureMismatch));
}

#[test]
fn stripe_stale_timestamp_is_rejected_even_when_signed() {
    let now = at(SIGNED_AT);
    assert_eq!(
        stripe(STRIPE_STALE, now),
        Err(Rejected::Stale { age: Duration::from_secs(301), tolerance: STRIPE_TOLERANCE })
    );
    // The valid vector is fine at the edge of the tolerance and stale one second later.
    assert!(stripe(STRIPE_VALID, at(SIGNED_AT + 300)).is_ok());
    assert!(matches!(stripe(STRIPE_VALID, at(SIGNED_AT + 301)), Err(Rejected::Stale { .. })));
}

#[test]
fn stripe_flipped_bit_is_rejected() {
    assert_eq!(stripe(STRIPE_FLIPPED, at(SIGNED_AT)), Err(Rejected::SignatureMismatch));
    // The valid signature over a body with one changed character.
    let headers = headers(&[("stripe-signature", STRIPE_VALID)]);
    let changed = Bytes::from(STRIPE_PAYLOAD.replace("paid", "pail"));
    assert_eq!(Stripe::new(STRIPE_SECRET).verify(&headers, &changed, at(SIGNED_AT)), Err(Rejected::SignatureMismatch));
}

#[test]
fn stripe_malformed_headers_are_rejected() {
    for header in ["", "v1=abc", "t=1763740800", "t=soon,v1=abc", "t=1,t=2,v1=abc", "garbage"] {
        assert_eq!(
            stripe(header, at(SIGNED_AT)),
            Err(Rejected::MalformedHeader("stripe-signature")),
            "header {header:?}"
        );
    }
    let empty = Stripe::new(STRIPE_SECRET).verify(&HeaderMap::new(), &Bytes::new(), at(SIGNED_AT));
    assert_eq!(empty, Err(Rejected::MissingHeader("stripe-signature")));
}

// ---- over HTTP ----

const DELIVERIES: Migration = Migration {
    name: "20261121130000_deliveries.sql",
    // Append-only on purpose: no UNIQUE constraint that would hide a duplicate.
    sql: "CREATE TABLE deliveries (provider TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL) STRICT;",
};

struct Endpoint {
    _dir: TempDir,
    store: Store,
    server: TestServer,
    client: Client,
}

impl Endpoint {
    /// An app with a Stripe and a GitHub webhook recording every event they act on, at a
    /// clock stopped 10 s after the Stripe vectors were signed.
    async fn start(label: &str) -> Endpoint {
        let dir = TempDir::new(label);
        let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
        store.migrate(&[DELIVERIES]).unwrap();
        let clock = ManualClock::new(at(SIGNED_AT + 10));
        let idempotency =
            Idempotency::new(&store, IdempotencyOptions { clock: clock.clock(), ..IdempotencyOptions::default() })
                .unwrap();
        let record = |tx: &orion::store::Tx<'_>, event: &orion::webhook::Event| {
            tx.execute(
                "INSERT INTO deliveries (provider, id, kind) VALUES (?1, ?2, ?3)",
                (event.provider, event.id.as_str(), event.kind.as_str()),
            )?;
            tx.publish("deliveries");
            Ok(())
        };
        let routes = Routes::new()
            .post("/webhooks/stripe", Webhook::new(Stripe::new(STRIPE_SECRET), &idempotency, record).handler())
            .post("/webhooks/github", Webhook::new(GitHub::new(GITHUB_SECRET), &idempotency, record).handler());
        let router = App::new(&store).idempotency(&idempotency).routes(routes).router();
        Endpoint { _dir: dir, store, server: TestServer::start(router).await, client: Client::new() }
    }

    async fn post(&self, path: &str, headers: &[(&str, &str)], body: &'static str) -> TestResponse {
        let mut request = http::Request::builder().method(Method::POST).uri(self.server.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.client.send(request.body(Bytes::from_static(body.as_bytes())).unwrap()).await
    }

    fn deliveries(&self) -> Vec<(String, String, String)> {
        self.store.query("SELECT provider, id, kind FROM deliveries", ()).unwrap()
    }
}

#[tokio::test]
async fn the_same_stripe_event_delivered_three_times_acts_once() {
    let endpoint = Endpoint::start("webhook-stripe-thrice").await;
    let mut replayed = Vec::new();
    for _ in 0..3 {
        let response = endpoint.post("/webhooks/stripe", &[("stripe-signature", STRIPE_VALID)], STRIPE_PAYLOAD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        replayed.push(response.header("idempotent-replayed").is_some());
    }
    assert_eq!(replayed, [false, true, true]);
    assert_eq!(endpoint.deliveries(), [("stripe".into(), "evt_1OrionWebhookTest".into(), "invoice.paid".into())]);
    endpoint.server.stop().await;
}

#[tokio::test]
async fn the_same_github_delivery_three_times_acts_once() {
    let endpoint = Endpoint::start("webhook-github-thrice").await;
    let headers =
        [("x-hub-signature-256", GITHUB_SIGNATURE), ("x-github-delivery", GITHUB_DELIVERY), ("x-github-event", "ping")];
    let statuses = [
        endpoint.post("/webhooks/github", &headers, GITHUB_PAYLOAD).await.status,
        endpoint.post("/webhooks/github", &headers, GITHUB_PAYLOAD).await.status,
        endpoint.post("/webhooks/github", &headers, GITHUB_PAYLOAD).await.status,
    ];
    assert_eq!(statuses, [StatusCode::OK; 3]);
    assert_eq!(endpoint.deliveries(), [("github".into(), GITHUB_DELIVERY.into(), "ping".into())]);
    endpoint.server.stop().await;
}

#[tokio::test]
async fn a_bad_or_missing_signature_is_a_400_and_stores_nothing() {
    let endpoint = Endpoint::start("webhook-bad-signature").await;
    let refused = [
        endpoint.post("/webhooks/stripe", &[("stripe-signature", STRIPE_FLIPPED)], STRIPE_PAYLOAD).await,
        endpoint.post("/webhooks/stripe", &[("stripe-signature", STRIPE_STALE)], STRIPE_PAYLOAD).await,
        endpoint.post("/webhooks/stripe", &[], STRIPE_PAYLOAD).await,
        endpoint.post("/webhooks/github", &[("x-github-delivery", GITHUB_DELIVERY)], GITHUB_PAYLOAD).await,
        endpoint
            .post(
                "/webhooks/github",
                &[("x-hub-signature-256", STRIPE_FLIPPED), ("x-github-delivery", GITHUB_DELIVERY)],
                GITHUB_PAYLOAD,
            )
            .await,
    ];
    for response in &refused {
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.text());
    }
    assert!(refused[0].text().contains("signing secret"), "{}", refused[0].text());
    assert!(endpoint.deliveries().is_empty());

    // Nothing was claimed either: the genuine deliveries of the same events act, first time.
    let stripe = endpoint.post("/webhooks/stripe", &[("stripe-signature", STRIPE_VALID)], STRIPE_PAYLOAD).await;
    let github = endpoint
        .post(
            "/webhooks/github",
            &[("x-hub-signature-256", GITHUB_SIGNATURE), ("x-github-delivery", GITHUB_DELIVERY)],
            GITHUB_PAYLOAD,
        )
        .await;
    for response in [&stripe, &github] {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.header("idempotent-replayed"), None);
    }
    assert_eq!(endpoint.deliveries().len(), 2);
    endpoint.server.stop().await;
}
