//! `bench fanout`: N viewers, M commands at a rate, against orion and the naive baseline.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use orion::testing::Client;
use tokio::sync::{Semaphore, watch};

use crate::report::{Row, print_header, print_row};
use crate::viewer::{Seen, watch_stream};

pub(crate) struct Options {
    viewers: Vec<usize>,
    commands: u32,
    rate: f64,
    servers: Vec<String>,
    encodings: Vec<bool>,
    seed: usize,
    pacing: String,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options {
            viewers: vec![100],
            commands: 200,
            rate: 50.0,
            servers: vec!["orion".into(), "naive".into()],
            encodings: vec![false, true],
            seed: 8,
            pacing: "auto".into(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().with_context(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--viewers" => {
                    options.viewers = value()?.split(',').map(str::parse).collect::<Result<_, _>>()?;
                }
                "--commands" => options.commands = value()?.parse()?,
                "--rate" => options.rate = value()?.parse()?,
                "--seed" => options.seed = value()?.parse()?,
                "--pacing" => options.pacing = value()?.clone(),
                "--server" => {
                    options.servers = match value()?.as_str() {
                        "both" => vec!["orion".into(), "naive".into()],
                        one @ ("orion" | "naive") => vec![one.into()],
                        other => bail!("`--server` is orion, naive or both, not `{other}`"),
                    }
                }
                "--encoding" => {
                    options.encodings = match value()?.as_str() {
                        "both" => vec![false, true],
                        "plain" => vec![false],
                        "brotli" => vec![true],
                        other => bail!("`--encoding` is plain, brotli or both, not `{other}`"),
                    }
                }
                other => bail!("unknown argument `{other}`"),
            }
        }
        Ok(options)
    }
}

pub(crate) fn main(options: Options) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        println!(
            "fan-out: {} commands at {}/s; {} todos on the page; orion pacing {}; machine: {} cores",
            options.commands,
            options.rate,
            options.seed,
            options.pacing,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        print_header();
        for &viewers in &options.viewers {
            for &brotli in &options.encodings {
                for server in &options.servers {
                    let row = run(server, viewers, brotli, &options).await?;
                    print_row(&row);
                }
            }
        }
        Ok(())
    })
}

async fn run(server: &str, viewers: usize, brotli: bool, options: &Options) -> anyhow::Result<Row> {
    let dir = std::env::temp_dir().join(format!("orion-bench-{}-{server}-{viewers}-{brotli}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("todos.db");
    seed(&db, options.seed)?;
    let port = crate::proc::free_port()?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut child = crate::proc::serve(server, port, &["--pacing", &options.pacing], &db).await?;
    let pid = child.id().context("child pid")?;

    // Connect the viewers, a few hundred at a time, and wait for each one's first render.
    let (stop, stopped) = watch::channel(false);
    let limit = Arc::new(Semaphore::new(256));
    let mut progress = Vec::with_capacity(viewers);
    let mut tasks = Vec::with_capacity(viewers);
    for _ in 0..viewers {
        let (report, seen) = watch::channel(0u32);
        let permit = limit.clone().acquire_owned().await?;
        let stopped = stopped.clone();
        let mut first = report.subscribe();
        tasks.push(tokio::spawn(async move { watch_stream(addr, brotli, report, stopped).await }));
        // The first render carries marker 0; release the permit once it arrived.
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(60), first.changed()).await;
            drop(permit);
        });
        progress.push(seen);
    }
    let _ = limit.acquire_many(256).await?;

    // The commands, at the rate.
    let client = Client::new();
    let mut sent = Vec::with_capacity(options.commands as usize);
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let started = Instant::now();
    for k in 1..=options.commands {
        ticks.tick().await;
        sent.push(Instant::now());
        let url = format!("http://{addr}/todos/1/rename");
        let reply = client.post_json(&url, &serde_json::json!({ "draft": format!("Mk{k}") })).await;
        if !reply.status.is_success() {
            bail!("command {k} failed: {} {}", reply.status, reply.text());
        }
    }

    // Wait until every viewer shows the last command, or give up after a while.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    for seen in &mut progress {
        let _ = tokio::time::timeout_at(deadline, seen.wait_for(|&k| k >= options.commands)).await;
    }
    let finished = Instant::now();
    let memory = crate::proc::memory(pid);
    let _ = stop.send(true);
    let mut seen: Vec<Seen> = Vec::with_capacity(viewers);
    for task in tasks {
        seen.push(task.await?);
    }
    let _ = child.start_kill();
    let _ = child.wait().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Row::new(server, brotli, viewers, &sent, &seen, finished - started, memory))
}

/// A fresh database with the todos app's schema and `count` todos, the first titled `Mk0`.
fn seed(db: &Path, count: usize) -> anyhow::Result<()> {
    let store = orion::Store::open(db, &orion::Bus::new())?;
    store.migrate(todos::MIGRATIONS)?;
    store.transaction(move |tx| {
        for i in 0..count {
            let title = if i == 0 { "Mk0".to_owned() } else { format!("a seeded todo, number {i}") };
            tx.execute("INSERT INTO todos (title, done) VALUES (?1, ?2)", (title, i64::from(i % 3 == 0)))?;
        }
        Ok(())
    })?;
    store.close()?;
    Ok(())
}
