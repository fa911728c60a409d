//! The workspaces app over real HTTP, in-process, in both tenancy models: the same test bodies
//! run against db-per-tenant and shared-db.

mod config;
mod isolation;
mod support;
