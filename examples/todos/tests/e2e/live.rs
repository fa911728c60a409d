//! Scenario 1: two people on `/` see each other's todos appear, without reloading.

use crate::harness::{App, Browser, ChromeDriver, Scratch};

#[tokio::test]
async fn a_todo_added_in_one_window_appears_in_the_other() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let a = Browser::open(&driver, &scratch).await;
    let b = Browser::open(&driver, &scratch).await;
    a.open_live(&app.url("/")).await;
    b.open_live(&app.url("/")).await;
    a.mark().await;
    b.mark().await;
    assert_eq!(a.text("#todo-list p.empty").await, "Nothing to do. Add something above.");

    a.add("buy milk").await;
    b.wait_titles(&["buy milk"]).await;
    a.wait_titles(&["buy milk"]).await;

    b.add("walk the dog").await;
    a.wait_titles(&["buy milk", "walk the dog"]).await;
    b.wait_titles(&["buy milk", "walk the dog"]).await;
    a.wait_remaining(2).await;
    b.wait_remaining(2).await;

    // Both lists updated in place: neither page was loaded again.
    a.assert_marked().await;
    b.assert_marked().await;
    a.finish().await;
    b.finish().await;
    app.assert_clean();
}
