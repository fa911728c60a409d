//! A running todos app on a fresh database, for one test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use orion::testing::{Client, EventStream, TestResponse, TestServer};
use orion::{Bus, Store};
use serde_json::Value;

pub(crate) struct App {
    pub(crate) server: TestServer,
    pub(crate) client: Client,
    pub(crate) store: Store,
    dir: PathBuf,
}

impl App {
    pub(crate) async fn start(label: &str) -> App {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "todos-it-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("todos.db"), &Bus::new()).unwrap();
        store.migrate(todos::MIGRATIONS).unwrap();
        let router = todos::app(&store).datastar(orion::datastar::client::DatastarClient::cdn()).router();
        App { server: TestServer::start(router).await, client: Client::new(), store, dir }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    pub(crate) async fn post(&self, path: &str, signals: Value) -> TestResponse {
        self.client.post_json(&self.url(path), &signals).await
    }

    pub(crate) async fn delete(&self, path: &str) -> TestResponse {
        self.client.datastar(http::Method::DELETE, &self.url(path), &serde_json::json!({})).await
    }

    /// A viewer's live stream, already past its first (full) render.
    pub(crate) async fn viewer(&self) -> EventStream {
        let mut stream = self.client.stream(&self.url("/"), true).await;
        stream.wait_for(|e| e.elements().contains("id=\"todo-list\"")).await;
        stream
    }

    /// The titles in the database, in order.
    pub(crate) fn titles(&self) -> Vec<(String, bool)> {
        self.store.query("SELECT title, done FROM todos ORDER BY id", ()).unwrap()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.store.close();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
