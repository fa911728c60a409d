//! Browser end-to-end tests of the todos app: what a human sees in real Chromium windows.
//!
//! Every test starts the real `todos` binary on a fresh database and a free port, starts its
//! own ChromeDriver, and opens one WebDriver session per user (each its own Chromium with a
//! fresh profile, so two sessions are two people at two computers). The tests drive the page
//! the way a person does — typing, clicking, double-clicking, pressing Enter — and check what
//! the page shows, never the HTTP traffic behind it.
//!
//! A missing Chromium, ChromeDriver or Datastar bundle fails the run (STYLE 24(d)): nothing is
//! skipped. Every test ends by checking that no page recorded a CSP violation, an uncaught
//! error, an unhandled rejection or a `console.error`, and that the server logged no CSP report
//! and no error.
//!
//! Nothing here sleeps: a wait is a condition evaluated in the page (re-checked on every DOM
//! mutation) or a line awaited from a child process, always with a 10 s limit
//! ([`harness::WAIT`]). How fast an update arrives is the benchmark's business, not ours.
//!
//! # Layout
//! - [`harness`]: ChromeDriver, browser sessions, the app process and a reverse proxy.
//! - [`page`]: the todos page as a person drives it (add, toggle, rename, delete, …).
//! - one module per scenario: [`live`], [`validation`], [`edits`], [`restart`],
//!   [`bad_gateway`], [`tabs`], [`no_javascript`].
//!
//! Run it with `cargo nextest run -p todos --test e2e` (`.config/nextest.toml` runs these
//! tests one at a time: a browser is heavy on a two-core machine).

mod harness;
mod page;

mod bad_gateway;
mod edits;
mod live;
mod no_javascript;
mod restart;
mod tabs;
mod validation;
