//! The real `todos` binary: it serves until SIGTERM, then aborts its live streams (so browsers
//! reconnect), commits and closes the store, and exits 0.

use std::process::Stdio;

use orion::testing::{Client, StreamEnd};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::test]
async fn sigterm_aborts_streams_closes_the_store_and_exits_zero() {
    let dir = std::env::temp_dir().join(format!("todos-it-process-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("todos.db");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_todos"))
        .args(["--port", "0", "--db"])
        .arg(&db)
        .env("RUST_LOG", "info")
        .env_remove("ORION_DATASTAR_JS")
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines.next_line().await.unwrap().expect("the server exited before listening");
        if let Some(address) = line.split("listening on http://").nth(1) {
            break address.rsplit(':').next().unwrap().trim().parse::<u16>().unwrap();
        }
    };
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let client = Client::new();
    client.post_json(&url("/todos"), &json!({"title": "survives"})).await;
    let mut stream = client.stream(&url("/"), true).await;
    stream.wait_for(|e| e.elements().contains(">survives</span>")).await;

    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    assert!(matches!(stream.wait_for_end().await, StreamEnd::Aborted(_)), "the stream must end with an error");
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(0), "a graceful shutdown exits 0");

    let store = orion::Store::open(&db, &orion::Bus::new()).unwrap();
    let titles: Vec<(String,)> = store.query("SELECT title FROM todos", ()).unwrap();
    assert_eq!(titles, [("survives".to_owned(),)]);
    let (check,): (String,) = store.query_one("PRAGMA integrity_check", ()).unwrap().unwrap();
    assert_eq!(check, "ok");
    store.close().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
