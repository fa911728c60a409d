//! A running workspaces app, in one tenancy model, on a fresh data folder, for one test.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use orion::datastar::client::DatastarClient;
use orion::tenant::{Tenancy, TenancyModel, TenantKey};
use orion::testing::{Client, EventStream, TestResponse, TestServer};
use orion::{Bus, Store};
use serde_json::Value;
use workspaces::notes::sql::{self, Note};

pub(crate) struct App {
    pub(crate) server: TestServer,
    pub(crate) client: Client,
    pub(crate) store: Store,
    pub(crate) tenancy: Tenancy,
    dir: PathBuf,
}

impl App {
    /// The app in `model`, with the demo workspaces `acme` and `globex`.
    pub(crate) async fn start(label: &str, model: TenancyModel) -> App {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "workspaces-it-{label}-{model}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
        let tenancy = workspaces::tenancy(model, &dir, &store).unwrap();
        for name in workspaces::DEMO_WORKSPACES {
            tenancy.create(&TenantKey::parse(name).unwrap()).unwrap();
        }
        let router = workspaces::app(&store, &tenancy).datastar(DatastarClient::cdn()).router();
        App { server: TestServer::start(router).await, client: Client::new(), store, tenancy, dir }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    pub(crate) async fn get(&self, path: &str) -> TestResponse {
        self.client.get(&self.url(path)).await
    }

    pub(crate) async fn post(&self, path: &str, signals: Value) -> TestResponse {
        self.client.post_json(&self.url(path), &signals).await
    }

    pub(crate) async fn delete(&self, path: &str) -> TestResponse {
        self.client.datastar(http::Method::DELETE, &self.url(path), &serde_json::json!({})).await
    }

    /// A viewer of `path`'s live stream, already past its first (full) render.
    pub(crate) async fn viewer(&self, path: &str) -> EventStream {
        let mut stream = self.client.stream(&self.url(path), true).await;
        stream.wait_for(|e| e.elements().contains("id=\"note-list\"")).await;
        stream
    }

    /// The notes of `workspace`, read through its tenant store.
    pub(crate) fn notes(&self, workspace: &str) -> Vec<Note> {
        let tenant = self.tenancy.open(&TenantKey::parse(workspace).unwrap()).unwrap();
        sql::notes::all(&tenant).unwrap()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.tenancy.close();
        let _ = self.store.close();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
