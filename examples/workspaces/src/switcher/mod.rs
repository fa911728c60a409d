//! The switcher: the home page listing the workspaces, and the bar every workspace page shows
//! to move between them.

pub mod routes;
pub mod view;

pub use view::nav;

/// The routes of the feature.
pub fn routes() -> orion::Routes {
    orion::Routes::new().resource(routes::Home)
}
