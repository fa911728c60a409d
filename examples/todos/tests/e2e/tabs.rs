//! Scenario 6: one person, one browser, the page open four times.
//!
//! Without TLS the browser speaks HTTP/1.1 and allows 6 connections per host across all its
//! tabs and windows; a page holds one for its live stream. Headless Chromium behaves like a
//! desktop one here (the recorder's visibility history shows it):
//! - **tabs** of one window: only the front tab is visible. Datastar closes a hidden tab's
//!   stream and reopens it when the tab comes back, so four tabs hold one stream at a time and
//!   a tab brought to the front must catch up by itself;
//! - **windows**: every window stays visible and keeps its stream, so four windows hold four
//!   streams at once and every command must get through on the two connections left.

use serde_json::json;

use crate::harness::{App, Browser, ChromeDriver, Scratch};

const ALL: [&str; 4] = ["from 1", "from 2", "from 3", "from 4"];

#[tokio::test]
async fn four_tabs_each_add_a_todo_and_each_shows_all_four() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let browser = Browser::open(&driver, &scratch).await;
    let mut tabs = vec![browser.window().await];
    browser.open_live(&app.url("/")).await;
    for _ in 1..4 {
        tabs.push(browser.new_tab().await);
        browser.open_live(&app.url("/")).await;
    }
    for tab in &tabs {
        browser.switch_to(tab).await;
        browser.mark().await;
    }

    for (tab, title) in tabs.iter().zip(ALL) {
        // Switching brings the tab to the front, as a person clicking on it does.
        browser.switch_to(tab).await;
        browser.add(title).await;
    }
    for tab in &tabs {
        browser.switch_to(tab).await;
        browser.wait_titles(&ALL).await;
        browser.wait_remaining(4).await;
        browser.assert_marked().await;
        // Honest about what was tested: this tab was hidden while another was in front (so
        // its stream was closed), and caught up by itself, without a reload, once shown.
        let visibility = browser.visibility().await;
        let changes = visibility.as_array().cloned().unwrap_or_default();
        assert!(changes.contains(&json!("hidden")), "the tab was never hidden: {visibility}");
        assert_eq!(changes.last(), Some(&json!("visible")), "{visibility}");
    }

    browser.finish().await;
    app.assert_clean();
}

#[tokio::test]
async fn four_windows_keep_four_streams_open_and_every_command_gets_through() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let browser = Browser::open(&driver, &scratch).await;
    let mut windows = vec![browser.window().await];
    browser.open_live(&app.url("/")).await;
    for _ in 1..4 {
        windows.push(browser.new_window().await);
        browser.open_live(&app.url("/")).await;
    }

    for (window, title) in windows.iter().zip(ALL) {
        browser.switch_to(window).await;
        browser.add(title).await;
    }
    for window in &windows {
        browser.switch_to(window).await;
        browser.wait_titles(&ALL).await;
        browser.wait_remaining(4).await;
        // Never hidden and never retried: this window's stream stayed open throughout, so
        // all four streams were open while the four commands went through.
        assert_eq!(browser.visibility().await, json!(["visible"]));
        let stream = browser.stream().await;
        assert_eq!(stream["retries"], json!(0), "{stream}");
    }

    browser.finish().await;
    app.assert_clean();
}
