//! The reference orion app: a live, multiplayer todo list.
//!
//! Run it with `cargo run -p todos`, open <http://localhost:3000> in two windows, and add a todo
//! in one: it appears in the other. The app is three feature slices, [`todos`], [`export`]
//! (the list as CSV, built by a background job) and [`webhooks`] (signed outbound events and
//! their dead letters), composed in [`app`]; `main.rs` is the composition root.

pub mod app;
pub mod export;
pub mod todos;
pub mod webhooks;

pub use app::{Config, app, jobs};

/// Every migration of the app, in their global order (each feature keeps its own in its
/// `migrations/` folder).
pub const MIGRATIONS: &[orion::store::Migration] = orion::migrations!();
