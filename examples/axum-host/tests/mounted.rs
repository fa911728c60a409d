//! The todos app works through axum's `nest_service("/app", …)`: page, stream, commands and
//! the Datastar bundle, with the host's own routes beside it.

use std::net::SocketAddr;

use http::StatusCode;
use orion::testing::Client;
use orion::{Bus, Store};
use serde_json::json;

struct Host {
    addr: SocketAddr,
    store: Store,
    dir: std::path::PathBuf,
}

impl Host {
    async fn start() -> Host {
        let dir = std::env::temp_dir().join(format!("axum-host-it-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("todos.db"), &Bus::new()).unwrap();
        store.migrate(todos::MIGRATIONS).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum_host::host(&store);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Host { addr, store, dir }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.store.close();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn the_todos_app_works_under_the_hosts_prefix() {
    let host = Host::start().await;
    let client = Client::new();

    // The host's own routes.
    assert_eq!(client.get(&host.url("/health")).await.text(), "ok");
    assert!(client.get(&host.url("/")).await.text().contains("the todos app"));

    // The page, with every URL it renders resolving under /app/.
    let page = client.get(&host.url("/app/")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<base href=\"/app/\">"), "{html}");
    assert!(html.contains("data-on:submit=\"@post('todos')\""), "{html}");
    let script = html.split("<script type=\"module\" src=\"").nth(1).unwrap().split('"').next().unwrap();
    if !script.starts_with("https://") {
        let bundle = client.get(&host.url(&format!("/app/{script}"))).await;
        assert_eq!(bundle.status, StatusCode::OK, "the Datastar client through the prefix");
        assert_eq!(bundle.header("content-type"), Some("text/javascript; charset=utf-8"));
    }
    let css = client.get(&host.url("/app/static/app.css")).await;
    assert_eq!(css.status, StatusCode::OK);

    // The stream and a command, through the nested path.
    let mut stream = client.stream(&host.url("/app/"), true).await;
    assert_eq!(stream.status, StatusCode::OK);
    stream.wait_for(|e| e.elements().contains("id=\"todo-list\"")).await;
    let reply = client.post_json(&host.url("/app/todos"), &json!({"title": "nested"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    stream.wait_for(|e| e.elements().contains(">nested</span>")).await;
    let titles: Vec<(String,)> = host.store.query("SELECT title FROM todos", ()).unwrap();
    assert_eq!(titles, [("nested".to_owned(),)]);

    // Outside the mount, orion's routes do not exist.
    assert_eq!(client.post_json(&host.url("/todos"), &json!({"title": "x"})).await.status, StatusCode::NOT_FOUND);
}
