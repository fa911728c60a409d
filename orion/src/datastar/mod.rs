//! The Datastar protocol: events as values, their one encoder, and reading signals.
//!
//! Datastar is a small browser library: the server answers with server-sent events that patch
//! elements (morphing HTML in by id) or signals (the page's reactive state), and the browser
//! sends its signals with every request. orion implements the server side itself.

pub mod client;
pub mod encode;
pub mod event;
pub mod signals;

pub use event::{Event, Mode, Namespace, Patch, PatchElements, PatchSignals, Script};
pub use signals::Signals;
