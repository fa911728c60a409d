//! orion's integration tests: one binary, one module per area.

mod cohorts;
mod counter;
mod files;
mod http;
mod idempotency;
mod jobs;
mod live;
mod queue;
mod resume;
mod sequence;
mod store;
mod support;
mod tenant;
mod webhook;
