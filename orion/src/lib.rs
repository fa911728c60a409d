//! orion: real-time, multiplayer, server-rendered web apps on Datastar and SQLite.
//!
//! (Crate documentation is written as the runtime takes shape.)

pub mod bus;
mod error;
pub mod store;

pub use bus::Bus;
pub use error::{Error, ErrorKind, Result};
pub use store::Store;
