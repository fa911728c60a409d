//! The composition root: open the store, migrate, mount the app, serve until Ctrl-C or SIGTERM.

use orion::{Bus, Store};
use todos::{Config, MIGRATIONS, app};

// ANCHOR: main
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let config = Config::from_args(std::env::args().skip(1)).map_err(anyhow::Error::msg)?;
    let bus = Bus::new();
    let store = Store::open(&config.db, &bus)?;
    store.migrate(MIGRATIONS)?;
    orion::serve(app(&store).router(), config.addr()).await?;
    store.close()?;
    Ok(())
}
// ANCHOR_END: main
