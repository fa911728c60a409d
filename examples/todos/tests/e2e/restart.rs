//! Scenario 4: the server dies and comes back on the same port and database; the open pages
//! come back by themselves, without reloading.

use crate::harness::{App, Browser, ChromeDriver, Scratch};

/// How the server goes away.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// SIGKILL: no shutdown at all, connections reset by the kernel.
    Kill,
    /// SIGTERM: the server aborts its live streams and exits.
    Terminate,
}

#[tokio::test]
async fn pages_come_back_after_the_server_is_killed() {
    pages_come_back_after(Stop::Kill).await;
}

#[tokio::test]
async fn pages_come_back_after_the_server_is_stopped() {
    pages_come_back_after(Stop::Terminate).await;
}

async fn pages_come_back_after(stop: Stop) {
    let scratch = Scratch::new();
    let mut app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let (a, b) = tokio::join!(Browser::open(&driver, &scratch), Browser::open(&driver, &scratch));
    a.open_live(&app.url("/")).await;
    b.open_live(&app.url("/")).await;
    a.add("before the restart").await;
    b.wait_titles(&["before the restart"]).await;
    a.mark().await;
    b.mark().await;

    match stop {
        Stop::Kill => app.kill().await,
        Stop::Terminate => app.terminate().await,
    }
    // Both pages noticed: their streams failed and Datastar is retrying.
    for page in [&a, &b] {
        page.wait_until("the page to retry its stream", "window.__e2e.stream.retries > 0").await;
    }
    app.restart().await;

    // A's command goes to the restarted server; B's stream reconnects and shows it.
    a.add("after the restart").await;
    for page in [&a, &b] {
        page.wait_titles(&["before the restart", "after the restart"]).await;
        page.wait_remaining(2).await;
        page.assert_marked().await;
    }
    if let Stop::Terminate = stop {
        assert!(
            app.log().iter().any(|line| line.contains("shutting down: aborting live streams")),
            "the server did not log its shutdown"
        );
    }

    a.finish().await;
    b.finish().await;
    app.assert_clean();
}
