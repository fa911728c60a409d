//! Scenario 7: with JavaScript off, the first paint alone shows the list and the count.

use serde_json::json;

use crate::harness::{App, Browser, ChromeDriver, Scratch};

#[tokio::test]
async fn without_javascript_the_page_still_shows_the_list() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    // Someone with JavaScript fills the list first.
    let a = Browser::open(&driver, &scratch).await;
    a.open_live(&app.url("/")).await;
    for title in ["write the report", "water the plants", "book the flights"] {
        a.add(title).await;
    }
    a.toggle("water the plants").await;
    a.wait_remaining(2).await;

    let b = Browser::without_javascript(&driver, &scratch).await;
    b.goto(&app.url("/")).await;
    // The page has loaded, and Datastar starts before `load` when scripts run: it did not.
    let recorded = b.recorded().await;
    assert_eq!(recorded["datastar"], json!(false), "Datastar ran: {recorded}");

    assert_eq!(b.titles().await, ["write the report", "water the plants", "book the flights"]);
    let ticked =
        b.eval("[...document.querySelectorAll('#todo-list li.todo input[type=checkbox]')].map((c) => c.checked)").await;
    assert_eq!(ticked, json!([false, true, false]));
    // The first paint reads right on its own: the done todo is struck through, and no rename
    // field shows (the stylesheet hides them until a viewer starts editing).
    let done =
        b.eval("[...document.querySelectorAll('#todo-list li.todo')].map((li) => li.classList.contains('done'))").await;
    assert_eq!(done, json!([false, true, false]));
    let shown = b
        .eval("[...document.querySelectorAll('#todo-list form.rename')].filter((f) => getComputedStyle(f).display !== 'none').length")
        .await;
    assert_eq!(shown, json!(0), "rename fields show without JavaScript");
    assert_eq!(b.text("#remaining .count").await, "2 items left");

    b.finish().await;
    a.finish().await;
    app.assert_clean();
}
