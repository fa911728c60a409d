//! An orion example: two workspaces — two tenants — each with its own live notes, and a
//! switcher between them. The same code runs in both tenancy models; a flag picks one:
//!
//! ```text
//! cargo run -p workspaces                         # db-per-tenant: data/tenants/<key>.db
//! cargo run -p workspaces -- --tenancy shared     # shared-db: every workspace in data/app.db
//! ```
//!
//! Open <http://localhost:3000>, pick a workspace, and add a note in two windows: it shows up in
//! both — and in no window of the other workspace.
//!
//! - [`notes`] — the feature: a live list of notes per workspace. Its SQL is named queries
//!   (`orion::queries!`) on a table its migration declares tenant-scoped: each is proven, while
//!   compiling, to reach the workspace's rows only, and takes the workspace's
//!   [`TenantStore`](orion::tenant::TenantStore), which binds `:tenant` to the request's
//!   workspace.
//! - [`switcher`] — the home page and the list of workspaces.
//! - [`app`] — the composition: the tenancy (the one line that differs between the models),
//!   the resolver (`/w/{workspace}/…` names the workspace) and the routes.

pub mod app;
pub mod notes;
pub mod switcher;

pub use app::{Config, DEMO_WORKSPACES, app, tenancy};

/// The migrations of the workspaces' tables, in their global order: applied to each tenant
/// file under db-per-tenant, to the one store under shared-db.
pub const MIGRATIONS: &[orion::store::Migration] = orion::migrations!();
