//! The export feature: the todo list as a CSV file, built in steps by a background job while
//! a live `<progress>` bar fills in every window watching.
//!
//! The four files, read top to bottom: [`sql`] (the exports and the CSV), [`view`] (the live
//! region), [`commands`] (the command that enqueues the job, and the job itself) and [`routes`]
//! (the page at `/exports`). Its migrations live in `migrations/`.
//!
//! The flow: the `request_export` command inserts an export row and enqueues an
//! `export.build` job in the same transaction (commit both or neither); the job's handler
//! builds the CSV a step at a time, reporting progress, which publishes `orion.jobs`; the
//! [`view::Exports`] region re-reads the job's progress and every viewer's bar moves; the
//! finished CSV is written in the transaction that marks the job done.

pub mod commands;
pub mod routes;
pub mod sql;
pub mod view;

use orion::jobs::Jobs;

/// The routes of the feature.
pub fn routes() -> orion::Routes {
    orion::Routes::new().resource(routes::Export)
}

/// The background jobs of the feature, added to the app's runner.
pub fn jobs(jobs: Jobs) -> Jobs {
    jobs.handle(commands::BUILD, commands::build)
}
