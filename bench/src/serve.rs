//! `bench serve orion|naive`: the servers under test, each its own process.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use orion::region::stream::{Pacing, StreamOptions};
use orion::{Bus, Store};

pub(crate) struct Options {
    pub(crate) port: u16,
    pub(crate) db: PathBuf,
    /// `None`: orion's automatic pacing; `Some(ms)`: at most one frame per `ms` per stream.
    pub(crate) pacing: Option<u64>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut port = None;
        let mut db = None;
        let mut pacing = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => port = Some(args.next().context("`--port` needs a value")?.parse()?),
                "--db" => db = Some(PathBuf::from(args.next().context("`--db` needs a value")?)),
                "--pacing" => match args.next().context("`--pacing` needs a value")?.as_str() {
                    "auto" => pacing = None,
                    ms => pacing = Some(ms.parse().context("`--pacing` is `auto` or milliseconds")?),
                },
                other => bail!("unknown argument `{other}`"),
            }
        }
        Ok(Options { port: port.context("`--port` is required")?, db: db.context("`--db` is required")?, pacing })
    }
}

pub(crate) fn main(kind: &str, options: Options) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&options.db, &Bus::new())?;
        store.migrate(todos::MIGRATIONS)?;
        let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
        match kind {
            "orion" => {
                let mut streams = StreamOptions::default();
                if let Some(ms) = options.pacing {
                    streams.pacing = Pacing::Fixed(std::time::Duration::from_millis(ms));
                }
                let router = todos::app(&store)
                    .datastar(orion::datastar::client::DatastarClient::cdn())
                    .streams(streams)
                    .router();
                let server = orion::Server::bind(addr).await?;
                println!("listening");
                server.run(router, orion::http::shutdown_signal()).await?;
            }
            "naive" => {
                println!("listening");
                crate::naive::serve(store.clone(), addr).await?;
            }
            other => bail!("unknown server `{other}`: use `orion` or `naive`"),
        }
        store.close()?;
        Ok(())
    })
}
