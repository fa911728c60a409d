//! The composition root: open the store, migrate, start the jobs, mount the app, serve until
//! Ctrl-C or SIGTERM, then let the jobs in flight finish.

use orion::{Bus, Store};
use todos::{Config, MIGRATIONS, app, jobs};

// ANCHOR: main
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let config = Config::from_args(std::env::args().skip(1)).map_err(anyhow::Error::msg)?;
    let bus = Bus::new();
    let store = Store::open(&config.db, &bus)?;
    store.migrate(MIGRATIONS)?;
    let jobs = jobs(&store).start()?;
    orion::serve(app(&store).router(), config.addr()).await?;
    jobs.stop().await?;
    store.close()?;
    Ok(())
}
// ANCHOR_END: main
