//! Serves the axum host app (with orion's todos app under `/app`) on port 3000.

use orion::{Bus, Store};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let config = todos::Config::from_args(std::env::args().skip(1)).map_err(anyhow::Error::msg)?;
    let store = Store::open(&config.db, &Bus::new())?;
    store.migrate(todos::MIGRATIONS)?;
    let jobs = todos::jobs(&store).start()?;
    let listener = tokio::net::TcpListener::bind(config.addr()).await?;
    eprintln!("listening on http://localhost:{}{}/", config.port, axum_host::MOUNT);
    axum::serve(listener, axum_host::host(&store)).with_graceful_shutdown(orion::http::shutdown_signal()).await?;
    jobs.stop().await?;
    store.close()?;
    Ok(())
}
