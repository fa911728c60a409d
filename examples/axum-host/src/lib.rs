//! orion inside an existing axum app.
//!
//! An axum app keeps its own routes (`/` and `/health`) and mounts orion's todos app under
//! `/app` with `nest_service`: orion's [`Router`](orion::Router) is a `tower::Service`, so axum
//! takes it as it is. The page, its live stream, its commands and `/_orion/datastar.js` all work
//! through the prefix, because the orion app is told where it is mounted
//! ([`App::base`](orion::App::base)) and renders every URL relative to it.
//!
//! Run it with `cargo run -p axum-host` and open <http://localhost:3000/app/>.

use axum::response::Html;
use axum::routing::get;
use orion::Store;

/// The path orion's app is mounted at.
pub const MOUNT: &str = "/app";

/// The host app: its own routes, plus the todos app under [`MOUNT`].
pub fn host(store: &Store) -> axum::Router {
    let todos = todos::app(store).base(MOUNT).router();
    axum::Router::new()
        .route("/", get(|| async { Html("<h1>host</h1><p><a href=\"/app/\">the todos app</a></p>") }))
        .route("/health", get(|| async { "ok" }))
        .nest_service(MOUNT, todos)
}
