//! Scenario 5: behind a reverse proxy, the stream is cut and its next request answered `502`
//! (what a proxy does while the app restarts). The page keeps retrying and comes back.

use crate::harness::{App, Browser, ChromeDriver, Proxy, Scratch};

#[tokio::test]
async fn a_page_comes_back_after_a_502_from_its_proxy() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let proxy = Proxy::start(app.port()).await;
    let driver = ChromeDriver::start(&scratch).await;
    let (a, b) = tokio::join!(Browser::open(&driver, &scratch), Browser::open(&driver, &scratch));
    // A talks to the app directly; B goes through the proxy, which will fail it.
    a.open_live(&app.url("/")).await;
    b.open_live(&proxy.url("/")).await;
    b.mark().await;
    assert_eq!(proxy.streams().opened, 1);

    proxy.fail_next_stream();
    proxy.cut_streams();
    proxy.wait_for("one stream request answered 502", |streams| streams.bad_gateways == 1).await;

    // Added while B is away: B shows it once its stream is back.
    a.add("added during the outage").await;
    b.wait_titles(&["added during the outage"]).await;
    b.wait_remaining(1).await;
    b.assert_marked().await;

    let streams = proxy.streams();
    assert_eq!(streams.bad_gateways, 1, "the proxy served {streams:?}");
    assert_eq!(streams.opened, 2, "the proxy served {streams:?}");
    let stream = b.stream().await;
    assert_eq!(stream["statuses"], serde_json::json!([502]), "B's stream saw {stream}");

    a.finish().await;
    b.finish().await;
    app.assert_clean();
}
