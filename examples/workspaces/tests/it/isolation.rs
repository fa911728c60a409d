//! Neither workspace can read or write the other's rows — over HTTP, in both tenancy models.
//! Each test body takes the model and runs twice.

use http::StatusCode;
use orion::tenant::TenancyModel;
use orion::testing::SseEvent;
use serde_json::json;

use crate::support::App;

fn mentions_globex(event: &SseEvent) -> bool {
    event.elements().contains("globex")
}

async fn neither_workspace_can_read_or_write_the_others_notes(model: TenancyModel) {
    let app = App::start("isolation", model).await;
    assert_eq!(app.post("/w/acme/notes", json!({"body": "acme launch plan"})).await.status, StatusCode::OK);
    app.post("/w/globex/notes", json!({"body": "globex merger"})).await;
    app.post("/w/globex/notes", json!({"body": "globex payroll"})).await;

    // Pages: each workspace's first paint shows its own notes only.
    let acme_page = app.get("/w/acme").await;
    assert_eq!(acme_page.status, StatusCode::OK);
    let acme_page = acme_page.text();
    assert!(acme_page.contains("acme launch plan"), "{acme_page}");
    assert!(!acme_page.contains("globex merger") && !acme_page.contains("globex payroll"), "{acme_page}");
    let globex_page = app.get("/w/globex").await.text();
    assert!(globex_page.contains("globex merger") && !globex_page.contains("acme launch plan"), "{globex_page}");

    // Streams: each viewer's first render is its own workspace's.
    let mut acme = app.viewer("/w/acme").await;
    let mut globex = app.viewer("/w/globex").await;
    assert!(!acme.events().iter().any(|event| event.elements().contains("globex merger")), "{:?}", acme.events());

    // Writes: globex's note id sent to acme's URL matches nothing in acme. (Globex's last id:
    // acme has fewer notes, so under db-per-tenant, where ids are per file, acme has no note of
    // that id either.)
    let target = app.notes("globex").last().unwrap().id;
    for reply in [
        app.post(&format!("/w/acme/notes/{target}/toggle"), json!({})).await,
        app.delete(&format!("/w/acme/notes/{target}")).await,
    ] {
        assert_eq!(reply.status, StatusCode::OK);
        let toast = &reply.events()[0];
        assert!(toast.elements().contains("That note is not in acme (any more)."), "{toast}");
    }
    let globex_notes = app.notes("globex");
    assert_eq!(globex_notes.len(), 2);
    assert!(globex_notes.iter().all(|note| !note.done), "{globex_notes:?}");
    assert_eq!(app.notes("acme").len(), 1);

    // Live updates: a write in acme reaches acme's viewer, and never globex's.
    app.post("/w/acme/notes", json!({"body": "acme second thought"})).await;
    acme.wait_for(|event| event.elements().contains("acme second thought")).await;
    app.post("/w/globex/notes", json!({"body": "globex third"})).await;
    globex.wait_for(|event| event.elements().contains("globex third")).await;
    assert!(globex.events().iter().all(|event| !event.elements().contains("acme")), "{:?}", globex.events());
    assert!(acme.events().iter().all(|event| !mentions_globex(event)), "{:?}", acme.events());

    // Globex's own toggle works, and acme's viewer never hears of it.
    app.post(&format!("/w/globex/notes/{target}/toggle"), json!({})).await;
    globex.wait_for(|event| event.elements().contains("class=\"note done\"")).await;
    app.post("/w/acme/notes", json!({"body": "acme third"})).await;
    acme.wait_for(|event| event.elements().contains("acme third")).await;
    assert!(acme.events().iter().all(|event| !event.elements().contains("class=\"note done\"")), "{:?}", acme.events());
}

#[tokio::test]
async fn per_file_neither_workspace_can_read_or_write_the_others_notes() {
    neither_workspace_can_read_or_write_the_others_notes(TenancyModel::PerFile).await;
}

#[tokio::test]
async fn shared_neither_workspace_can_read_or_write_the_others_notes() {
    neither_workspace_can_read_or_write_the_others_notes(TenancyModel::Shared).await;
}

async fn the_switcher_lists_both_workspaces_and_unknown_ones_are_404(model: TenancyModel) {
    let app = App::start("switcher", model).await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let home = home.text();
    assert!(home.contains(r#"<a href="w/acme">acme</a>"#), "{home}");
    assert!(home.contains(r#"<a href="w/globex">globex</a>"#), "{home}");
    assert!(home.contains(&format!(r#"<span class="model">{model}</span>"#)), "{home}");
    let acme = app.get("/w/acme").await.text();
    assert!(acme.contains(r#"<a href="w/acme" class="current" aria-current="page">acme</a>"#), "{acme}");

    assert_eq!(app.get("/w/initech").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post("/w/initech/notes", json!({"body": "x"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/w/..").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/w/ACME").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.tenancy.tenants().unwrap().len(), 2, "requests never create workspaces");
}

#[tokio::test]
async fn per_file_the_switcher_lists_both_workspaces_and_unknown_ones_are_404() {
    the_switcher_lists_both_workspaces_and_unknown_ones_are_404(TenancyModel::PerFile).await;
}

#[tokio::test]
async fn shared_the_switcher_lists_both_workspaces_and_unknown_ones_are_404() {
    the_switcher_lists_both_workspaces_and_unknown_ones_are_404(TenancyModel::Shared).await;
}

#[tokio::test]
async fn per_file_keeps_each_workspace_in_its_own_file_and_shared_all_in_one() {
    for model in [TenancyModel::PerFile, TenancyModel::Shared] {
        let app = App::start("layout", model).await;
        app.post("/w/acme/notes", json!({"body": "where am I"})).await;
        let tenant = app.tenancy.open(&"acme".parse().unwrap()).unwrap();
        let file = tenant.unscoped().path().file_name().unwrap().to_string_lossy().into_owned();
        let rows: Vec<(String,)> = app.store.query("SELECT name FROM sqlite_master WHERE name = 'notes'", ()).unwrap();
        match model {
            TenancyModel::PerFile => {
                assert_eq!(file, "acme.db");
                assert!(rows.is_empty(), "the app's store has no notes table under db-per-tenant");
            }
            TenancyModel::Shared => {
                assert_eq!(file, "app.db");
                assert_eq!(rows.len(), 1);
            }
        }
    }
}
