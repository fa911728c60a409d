//! orion: real-time, multiplayer, server-rendered web apps on Datastar and SQLite.
//!
//! (The crate documentation is completed with the example app.)

mod app;
pub mod bus;
pub mod command;
mod ctx;
pub mod datastar;
mod error;
mod guard;
pub mod html;
pub mod http;
pub mod input;
pub mod log;
pub mod region;
pub mod resource;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use app::{App, DEFAULT_BODY_LIMIT};
pub use bus::Bus;
pub use command::{Command, Reply};
pub use ctx::Ctx;
pub use error::{Error, ErrorKind, Result};
pub use html::Html;
pub use http::{Router, Routes, Server, serve};
pub use input::Input;
pub use region::Region;
pub use resource::{Document, Page, Resource};
pub use store::Store;

pub use orion_macros::{Input, command, fragment, migrations, region, resource};

/// What macro-generated code calls. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use http::Method;

    /// Fails to compile (with `Input`'s own message) unless `T` is a command input.
    pub const fn assert_input<T: crate::Input>() {}

    /// Fills the `{param}` placeholders of `template` from the route's parameters.
    pub fn fill(template: &str, ctx: &crate::Ctx) -> String {
        let mut out = template.to_owned();
        for (name, value) in ctx.params() {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// Encodes a URL path segment.
    pub fn encode(segment: &str) -> String {
        crate::http::query::encode(segment)
    }
}
