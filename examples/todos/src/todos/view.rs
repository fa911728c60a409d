//! The read side: the live regions of the todos page and the page around them.
//!
//! A region is a model read from the store and a view of it. The view is a pure function of
//! the model: it gets `&Vec<Todo>`, never the store, so "why didn't it update?" has one answer
//! to check — the model. Every viewer of the page shares one model read and one render.

use maud::html;
use orion::html::field_error;
use orion::{Ctx, Html, Page, Result, fragment, region};

use super::commands::{add, clear_completed, delete, rename, toggle};
use super::sql::{self, TOPIC, Todo};

// ANCHOR: region
/// The list itself: re-read and re-rendered on every publish of `todos`.
#[derive(Debug)]
pub struct TodoList;

#[region(topics = [TOPIC])]
impl TodoList {
    /// Model: every todo.
    fn model(ctx: &Ctx) -> Result<Vec<Todo>> {
        sql::all(&ctx.store)
    }

    /// View: one `<li>` per todo, with its toggle, inline rename and delete.
    fn view(todos: &Vec<Todo>) -> Html {
        html! {
            @if todos.is_empty() {
                p class="empty" { "Nothing to do. Add something above." }
            } @else {
                ul class="todos" {
                    @for todo in todos { (item(todo)) }
                }
            }
        }
    }
}
// ANCHOR_END: region

// ANCHOR: item
/// One todo. Which todo is being edited is the viewer's own state: the `editing` signal, kept
/// in the browser, so one shared render serves everyone. The rename form is hidden by the
/// stylesheet until the `editing` class is set, so the first paint reads right without
/// JavaScript too.
fn item(todo: &Todo) -> Html {
    let editing = format!("$editing == {}", todo.id);
    html! {
        li id={ "todo-" (todo.id) } class={ "todo" @if todo.done { " done" } } data-class:editing=(editing) {
            input type="checkbox" checked[todo.done] aria-label={ "done: " (todo.title) }
                data-on:change=(toggle::action(todo.id));
            span class="title" data-title=(todo.title) title="Double-click to rename"
                data-on:dblclick={ "$draft = el.dataset.title; $editing = " (todo.id) } { (todo.title) }
            form class="rename" data-on:submit=(rename::action(todo.id)) {
                input type="text" data-bind:draft aria-label={ "rename: " (todo.title) } autocomplete="off"
                    data-on:keydown="evt.key === 'Escape' && ($editing = 0)";
                (field_error(&rename::form(todo.id), "draft"))
            }
            button type="button" class="info" aria-label={ "details: " (todo.title) }
                data-on:click=(details::action(todo.id)) { "i" }
            button type="button" class="delete" aria-label={ "delete: " (todo.title) }
                data-on:click=(delete::action(todo.id)) { "×" }
        }
    }
}
// ANCHOR_END: item

/// The footer: how many are left, and a button to clear the done ones.
#[derive(Debug)]
pub struct Remaining;

#[region(topics = [TOPIC])]
impl Remaining {
    /// Model: (left to do, done).
    fn model(ctx: &Ctx) -> Result<(i64, i64)> {
        sql::counts(&ctx.store)
    }

    /// View: "3 items left" and, when some are done, "Clear completed".
    fn view(counts: &(i64, i64)) -> Html {
        let (left, done) = *counts;
        html! {
            footer class="remaining" {
                span class="count" { strong { (left) } @if left == 1 { " item left" } @else { " items left" } }
                @if done > 0 {
                    button type="button" class="clear" data-on:click=(clear_completed::action()) {
                        "Clear completed (" (done) ")"
                    }
                }
            }
        }
    }
}

/// A fragment: one todo's details, read when the requester asks (not live), rendered once and
/// patched into the page's details panel.
#[fragment("/todos/{id}/details", selector = "#details", mode = "inner")]
pub fn details(ctx: &Ctx, id: i64) -> Result<Html> {
    Ok(match sql::details(&ctx.store, id)? {
        Some(todo) => html! {
            h2 { (todo.title) }
            p { @if todo.done { "Done. " } @else { "Still to do. " } "Added " time { (todo.added) } " UTC." }
        },
        None => html! { p { "That todo was deleted meanwhile." } },
    })
}

// ANCHOR: page
/// The page: the form (the requester's own state) around the two live regions.
pub fn page(page: &Page) -> Html {
    html! {
        main class="app" data-signals="{title: '', editing: 0, draft: ''}" {
            header {
                h1 { "todos" }
                p class="tagline" { "Open this page in two windows: every change shows up in both." }
            }
            form id=(add::form()) class="add" data-on:submit=(add::action()) {
                input type="text" data-bind:title placeholder="What needs doing?" aria-label="new todo"
                    autocomplete="off" autofocus;
                button type="submit" { "Add" }
                (field_error(&add::form(), "title"))
            }
            (page.region(TodoList))
            (page.region(Remaining))
            aside id="details" class="details" aria-live="polite" {}
        }
    }
}
// ANCHOR_END: page
