//! The todos page as a person drives it: the add form, the list and the footer, found by the
//! markup `examples/todos/src/todos/view.rs` renders.
//!
//! Actions type, click and press keys like a person; reads look at what the page shows. The
//! `wait_*` reads wait (up to [`WAIT`](crate::harness::WAIT)) for the page to show something,
//! which is how a test observes a live update arriving.

use fantoccini::key::Key;
use serde_json::json;

use crate::harness::Browser;

/// The add form's title field (bound to the `title` signal).
pub(crate) const ADD_INPUT: &str = r"#add input[data-bind\:title]";
/// The add form's button.
pub(crate) const ADD_BUTTON: &str = "#add button[type=submit]";
/// Where the add form's field error shows.
pub(crate) const ADD_ERROR: &str = "#add-title-error";

/// The titles of the list, top to bottom.
const TITLES: &str = "[...document.querySelectorAll('#todo-list li.todo span.title')].map((e) => e.textContent)";

/// A JavaScript string literal of `text`.
fn js(text: &str) -> String {
    json!(text).to_string()
}

impl Browser {
    /// Types `title` in the add form and presses Add, without waiting for the answer.
    pub(crate) async fn submit_title(&self, title: &str) {
        self.type_into(ADD_INPUT, title).await;
        self.click(ADD_BUTTON).await;
    }

    /// Adds a todo and waits for the form to reset: the command's answer to this page alone.
    pub(crate) async fn add(&self, title: &str) {
        self.submit_title(title).await;
        self.wait_until(
            &format!("the add form to reset after adding {title:?}"),
            &format!("document.querySelector({}).value === ''", js(ADD_INPUT)),
        )
        .await;
    }

    /// The titles the list shows now.
    pub(crate) async fn titles(&self) -> Vec<String> {
        serde_json::from_value(self.eval(TITLES).await).expect("titles are strings")
    }

    /// Waits until the list shows exactly `titles`, in order.
    pub(crate) async fn wait_titles(&self, titles: &[&str]) {
        let expected = json!(titles).to_string();
        self.wait_until(
            &format!("the list to show {expected}"),
            &format!("JSON.stringify({TITLES}) === JSON.stringify({expected})"),
        )
        .await;
    }

    /// The text of the first element matching `selector` (empty when there is none).
    pub(crate) async fn text(&self, selector: &str) -> String {
        let found = self.eval(&format!("document.querySelector({})?.textContent ?? ''", js(selector))).await;
        found.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the first element matching `selector` has exactly the text `text`.
    pub(crate) async fn wait_text(&self, selector: &str, text: &str) {
        self.wait_until(
            &format!("`{selector}` to read {text:?}"),
            &format!("document.querySelector({})?.textContent === {}", js(selector), js(text)),
        )
        .await;
    }

    /// The value of the field matching `selector`.
    pub(crate) async fn value(&self, selector: &str) -> String {
        let found = self.eval(&format!("document.querySelector({}).value", js(selector))).await;
        found.as_str().unwrap_or_default().to_owned()
    }

    /// The count the footer shows ("3 items left").
    pub(crate) async fn wait_remaining(&self, left: u32) {
        self.wait_text("#remaining strong", &left.to_string()).await;
    }

    /// The `id` of the list item titled `title` (`todo-7`); fails the test when there is none.
    pub(crate) async fn item(&self, title: &str) -> String {
        let id = self
            .eval(&format!(
                "[...document.querySelectorAll('#todo-list li.todo')]\
                 .find((li) => li.querySelector('span.title').textContent === {})?.id ?? null",
                js(title)
            ))
            .await;
        let id = id.as_str().unwrap_or_else(|| panic!("the list shows no todo titled {title:?}"));
        format!("#{id}")
    }

    /// Ticks (or unticks) the checkbox of `title`.
    pub(crate) async fn toggle(&self, title: &str) {
        let item = self.item(title).await;
        self.click(&format!("{item} input[type=checkbox]")).await;
    }

    /// Waits until `title` shows as done (ticked and styled `done`) or as not done.
    pub(crate) async fn wait_done(&self, title: &str, done: bool) {
        let condition = format!(
            "(() => {{ const li = [...document.querySelectorAll('#todo-list li.todo')]\
               .find((li) => li.querySelector('span.title').textContent === {title});\
             return !!li && li.querySelector('input[type=checkbox]').checked === {done}\
               && li.classList.contains('done') === {done}; }})()",
            title = js(title),
        );
        let state = if done { "done" } else { "not done" };
        self.wait_until(&format!("{title:?} to show as {state}"), &condition).await;
    }

    /// Double-clicks the title of `title` and waits for its rename field to show.
    pub(crate) async fn start_rename(&self, title: &str) -> String {
        let item = self.item(title).await;
        self.double_click(&format!("{item} span.title")).await;
        self.wait_until(
            &format!("the rename field of {title:?} to show"),
            &format!("document.querySelector({}).checkVisibility()", js(&format!("{item} form.rename"))),
        )
        .await;
        item
    }

    /// Renames `title` to `new_title`: double-click, type, Enter. Does not wait for the answer.
    pub(crate) async fn rename(&self, title: &str, new_title: &str) -> String {
        let item = self.start_rename(title).await;
        let field = format!("{item} form.rename input");
        self.type_into(&field, new_title).await;
        self.press(&field, &Key::Enter).await;
        item
    }

    /// Whether the rename form of list item `item` (`#todo-7`) is showing.
    pub(crate) async fn renaming(&self, item: &str) -> bool {
        let shown = self
            .eval(&format!(
                "document.querySelector({})?.checkVisibility() ?? false",
                js(&format!("{item} form.rename"))
            ))
            .await;
        shown == json!(true)
    }

    /// Waits until the rename form of list item `item` is hidden again.
    pub(crate) async fn wait_rename_closed(&self, item: &str) {
        self.wait_until(
            &format!("the rename field of `{item}` to close"),
            &format!("!(document.querySelector({})?.checkVisibility() ?? false)", js(&format!("{item} form.rename"))),
        )
        .await;
    }

    /// Clicks the delete button of `title`.
    pub(crate) async fn delete(&self, title: &str) {
        let item = self.item(title).await;
        self.click(&format!("{item} button.delete")).await;
    }

    /// Clicks "Clear completed".
    pub(crate) async fn clear_completed(&self) {
        self.click("#remaining button.clear").await;
    }

    /// Sets `window.__marker`: a full page load would lose it.
    pub(crate) async fn mark(&self) {
        self.eval("window.__marker = 1").await;
    }

    /// Fails the test if the page was loaded again since [`Browser::mark`].
    pub(crate) async fn assert_marked(&self) {
        assert_eq!(self.eval("window.__marker ?? null").await, json!(1), "the page was reloaded");
    }

    /// What happened to the page's live stream (see the recorder in `harness/browser.rs`).
    pub(crate) async fn stream(&self) -> serde_json::Value {
        self.eval("window.__e2e.stream").await
    }

    /// The page's visibility when it loaded, then every change of it.
    pub(crate) async fn visibility(&self) -> serde_json::Value {
        self.eval("window.__e2e.visibility").await
    }
}
