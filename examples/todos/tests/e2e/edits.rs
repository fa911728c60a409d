//! Scenario 3: toggling, renaming, deleting and clearing, each seen live in the other window,
//! with changes made from both windows.

use fantoccini::key::Key;

use crate::harness::{App, Browser, ChromeDriver, Scratch};

#[tokio::test]
async fn every_edit_shows_in_both_windows() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let (a, b) = tokio::join!(Browser::open(&driver, &scratch), Browser::open(&driver, &scratch));
    a.open_live(&app.url("/")).await;
    b.open_live(&app.url("/")).await;
    a.mark().await;
    b.mark().await;
    for title in ["alpha", "beta", "gamma", "delta"] {
        a.add(title).await;
    }
    b.wait_titles(&["alpha", "beta", "gamma", "delta"]).await;
    b.wait_remaining(4).await;

    // Toggle in B: A shows it done (ticked, styled `done`) and one fewer left.
    b.toggle("alpha").await;
    a.wait_done("alpha", true).await;
    a.wait_remaining(3).await;
    b.wait_done("alpha", true).await;
    b.wait_remaining(3).await;
    // ... and back, from A.
    a.toggle("alpha").await;
    b.wait_done("alpha", false).await;
    b.wait_remaining(4).await;
    a.wait_done("alpha", false).await;

    // Rename in A: double-click, type, Enter. B shows the new title; A's field closes.
    let beta = a.rename("beta", "beta, renamed").await;
    b.wait_titles(&["alpha", "beta, renamed", "gamma", "delta"]).await;
    a.wait_titles(&["alpha", "beta, renamed", "gamma", "delta"]).await;
    a.wait_rename_closed(&beta).await;
    // ... and in B, seen in A.
    let renamed = b.rename("beta, renamed", "beta again").await;
    a.wait_titles(&["alpha", "beta again", "gamma", "delta"]).await;
    b.wait_rename_closed(&renamed).await;

    // A blank rename in A: the error shows beside that todo, in A only; Escape cancels.
    let gamma = a.rename("gamma", "  ").await;
    let error = format!("#rename-{}-draft-error", gamma.trim_start_matches("#todo-"));
    a.wait_text(&error, "required").await;
    assert!(a.renaming(&gamma).await, "the rename field closed although the rename was refused");
    a.press(&format!("{gamma} form.rename input"), &Key::Escape).await;
    a.wait_rename_closed(&gamma).await;
    assert_eq!(a.titles().await, ["alpha", "beta again", "gamma", "delta"]);

    // Delete in B: gone in A. B's stream carried that, so it would also have carried A's
    // rename error, had it gone to everyone.
    b.delete("gamma").await;
    a.wait_titles(&["alpha", "beta again", "delta"]).await;
    b.wait_titles(&["alpha", "beta again", "delta"]).await;
    assert_eq!(b.text(&error).await, "", "B saw A's rename error");
    assert!(!b.renaming(&gamma).await);

    // Two done, then "Clear completed" in A: gone in B.
    a.toggle("alpha").await;
    b.toggle("delta").await;
    for page in [&a, &b] {
        page.wait_done("alpha", true).await;
        page.wait_done("delta", true).await;
        page.wait_remaining(1).await;
        page.wait_text("#remaining button.clear", "Clear completed (2)").await;
    }
    a.clear_completed().await;
    for page in [&a, &b] {
        page.wait_titles(&["beta again"]).await;
        page.wait_remaining(1).await;
        page.wait_until("the clear button to go", "document.querySelector('#remaining button.clear') === null").await;
    }
    assert_eq!(b.text("#remaining .count").await, "1 item left");

    a.assert_marked().await;
    b.assert_marked().await;
    a.finish().await;
    b.finish().await;
    app.assert_clean();
}
