//! orion's integration tests: one binary, one module per area.

mod cohorts;
mod counter;
mod files;
mod http;
mod live;
mod store;
mod support;
