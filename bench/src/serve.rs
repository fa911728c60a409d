//! `bench serve orion|naive|hyper`: the servers under test, each its own process.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Empty};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use orion::region::stream::{Pacing, StreamOptions};
use orion::store::StoreOptions;
use orion::{Bus, Store};

pub(crate) struct Options {
    pub(crate) port: u16,
    pub(crate) db: PathBuf,
    /// `None`: orion's automatic pacing; `Some(ms)`: at most one frame per `ms` per stream.
    pub(crate) pacing: Option<u64>,
    /// The store's write queue (group commit).
    pub(crate) write_queue: bool,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut port = None;
        let mut db = None;
        let mut pacing = None;
        let mut write_queue = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => port = Some(args.next().context("`--port` needs a value")?.parse()?),
                "--db" => db = Some(PathBuf::from(args.next().context("`--db` needs a value")?)),
                "--pacing" => match args.next().context("`--pacing` needs a value")?.as_str() {
                    "auto" => pacing = None,
                    ms => pacing = Some(ms.parse().context("`--pacing` is `auto` or milliseconds")?),
                },
                "--write-queue" => match args.next().context("`--write-queue` needs a value")?.as_str() {
                    "on" => write_queue = true,
                    "off" => write_queue = false,
                    other => bail!("`--write-queue` is `on` or `off`, not `{other}`"),
                },
                other => bail!("unknown argument `{other}`"),
            }
        }
        Ok(Options {
            port: port.context("`--port` is required")?,
            db: db.context("`--db` is required")?,
            pacing,
            write_queue,
        })
    }
}

pub(crate) fn main(kind: &str, options: Options) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
        if kind == "hyper" {
            println!("listening");
            return bare(addr).await;
        }
        let store_options = StoreOptions { write_queue: options.write_queue, ..StoreOptions::default() };
        let store = Store::open_with(&options.db, &Bus::new(), store_options)?;
        store.migrate(todos::MIGRATIONS)?;
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
            other => bail!("unknown server `{other}`: use `orion`, `naive` or `hyper`"),
        }
        store.close()?;
        Ok(())
    })
}

/// The bare hyper baseline: every request's body is read and answered `204 No Content`, with no
/// routing, no database and no headers beyond hyper's own.
async fn bare(addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let mut shutdown = std::pin::pin!(orion::http::shutdown_signal());
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let service = service_fn(|request: http::Request<hyper::body::Incoming>| async move {
            let _ = request.into_body().collect().await;
            let mut response = http::Response::new(Empty::<bytes::Bytes>::new());
            *response.status_mut() = http::StatusCode::NO_CONTENT;
            Ok::<_, Infallible>(response)
        });
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
