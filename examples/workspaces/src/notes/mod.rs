//! The notes feature: a live list of notes in each workspace.
//!
//! Four files, read top to bottom: [`sql`] (the data, scoped to the workspace), [`view`] (the
//! live region and the page), [`commands`] (the writes) and [`routes`] (the resource tying them
//! to `/w/{workspace}`). Its migrations live in `migrations/`.

pub mod commands;
pub mod routes;
pub mod sql;
pub mod view;

/// The routes of the feature.
pub fn routes() -> orion::Routes {
    orion::Routes::new().resource(routes::Workspace)
}
