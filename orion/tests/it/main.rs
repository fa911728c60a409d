//! orion's integration tests: one binary, one module per area.

mod cohorts;
mod counter;
mod files;
mod fixture;
mod http;
mod idempotency;
mod jobs;
mod live;
mod oracle;
mod outbound;
mod queue;
mod rebuild;
mod resume;
mod sequence;
mod store;
mod support;
mod tenant;
mod webhook;
