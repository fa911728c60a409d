//! The todos feature: a live, multiplayer todo list.
//!
//! Four files, read top to bottom: [`sql`] (the data), [`view`] (the live regions),
//! [`commands`] (the writes) and [`routes`] (the resource tying them to URLs). Its migrations
//! live in `migrations/`.

pub mod commands;
pub mod routes;
pub mod sql;
pub mod view;

// ANCHOR: routes
/// The routes of the feature.
pub fn routes() -> orion::Routes {
    orion::Routes::new().resource(routes::Todos)
}
// ANCHOR_END: routes
