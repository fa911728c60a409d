//! Scenario 2: a command's field errors and form reset answer only the person who sent it.

use crate::harness::{App, Browser, ChromeDriver, Scratch};
use crate::page::{ADD_ERROR, ADD_INPUT};

#[tokio::test]
async fn a_field_error_shows_only_to_the_person_who_made_it() {
    let scratch = Scratch::new();
    let app = App::start(&scratch).await;
    let driver = ChromeDriver::start(&scratch).await;
    let (a, b) = tokio::join!(Browser::open(&driver, &scratch), Browser::open(&driver, &scratch));
    a.open_live(&app.url("/")).await;
    b.open_live(&app.url("/")).await;
    b.add("already here").await;
    a.wait_titles(&["already here"]).await;

    // A blank title (spaces only, trimmed away) is refused: A sees why, and keeps what it typed.
    a.submit_title("   ").await;
    a.wait_text(ADD_ERROR, "required").await;
    assert_eq!(a.value(ADD_INPUT).await, "   ", "a refused title stays in the field");
    assert_eq!(b.text(ADD_ERROR).await, "", "B sees A's error");

    // Too long: 201 characters.
    let long = "x".repeat(201);
    a.submit_title(&long).await;
    a.wait_text(ADD_ERROR, "must be 1 to 200 characters").await;
    assert_eq!(a.value(ADD_INPUT).await, long);

    // A valid title clears the error and empties the field (the form reset), for A only.
    b.type_into(ADD_INPUT, "B is typing").await;
    a.add("call the plumber").await;
    a.wait_text(ADD_ERROR, "").await;
    assert_eq!(a.value(ADD_INPUT).await, "");

    // B's stream carried the new todo, so anything sent to B before it has arrived too: had
    // A's errors or reset gone to everyone, B would show them by now.
    b.wait_titles(&["already here", "call the plumber"]).await;
    a.wait_titles(&["already here", "call the plumber"]).await;
    assert_eq!(b.text(ADD_ERROR).await, "", "B sees A's error");
    assert_eq!(b.value(ADD_INPUT).await, "B is typing", "A's form reset emptied B's field");

    a.finish().await;
    b.finish().await;
    app.assert_clean();
}
