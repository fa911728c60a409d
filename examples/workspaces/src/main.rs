//! The composition root: open the app's store, pick the tenancy, make sure the demo workspaces
//! exist, serve until Ctrl-C or SIGTERM.

use orion::tenant::TenantKey;
use orion::{Bus, Store};
use workspaces::{Config, DEMO_WORKSPACES, app, tenancy};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    orion::log::init();
    let config = Config::from_args(std::env::args().skip(1)).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(&config.data)?;
    let store = Store::open(&config.data.join("app.db"), &Bus::new())?;
    let tenancy = tenancy(config.tenancy, &config.data, &store)?;
    for name in DEMO_WORKSPACES {
        tenancy.create(&TenantKey::parse(name)?)?;
    }
    tracing::info!(tenancy = %config.tenancy, data = %config.data.display(), "serving the workspaces");
    orion::serve(app(&store, &tenancy).router(), config.addr()).await?;
    tenancy.close()?;
    store.close()?;
    Ok(())
}
