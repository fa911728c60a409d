//! The store: synchronous SQLite (placeholder, being written).

/// The store (placeholder).
#[derive(Debug, Clone)]
pub struct Store;
