//! Serves the durability harness's app (see the crate docs) until SIGTERM or Ctrl-C.

use std::net::SocketAddr;

use durability::{Config, MIGRATIONS, app};
use orion::{Bus, Server, Store};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let config = Config::from_args(std::env::args().skip(1)).map_err(anyhow::Error::msg)?;
    let store = Store::open_with(&config.db, &Bus::new(), config.store_options())?;
    store.migrate(MIGRATIONS)?;
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], config.port))).await?;
    // The tests wait for this line, and signal the pid (under `strace`, their child is strace).
    println!("listening on {} (pid {})", server.local_addr()?, std::process::id());
    server.run(app(&store).router(), orion::http::shutdown_signal()).await?;
    store.close()?;
    Ok(())
}
