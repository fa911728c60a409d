//! `bench write`: durable single-row commands per second through the full HTTP command path,
//! with the write queue off and on, next to the ceilings measured in the same run — raw
//! rusqlite (one row per transaction; 100 and 1,000 rows per transaction) and a bare hyper
//! `POST → 204` — all with `synchronous=FULL`, on the same two cores.
//!
//! Each HTTP server is a child process (`bench serve …`); the load is `--clients` keep-alive
//! connections, each sending the next request as soon as the previous one is answered, for
//! `--seconds` after a short warm-up. The orion servers run the todos app exactly as shipped;
//! the command is its `add` (`POST /todos`, a new title each time): input validation, one
//! `INSERT`, a publish, and the requester-only reply.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use orion::store::rusqlite::Connection;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub(crate) struct Options {
    clients: usize,
    seconds: f64,
    only: Option<String>,
}

/// Requests before this are not counted (connections opening, caches warming).
const WARM_UP: Duration = Duration::from_millis(500);

impl Options {
    pub(crate) fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options { clients: 64, seconds: 5.0, only: None };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().with_context(|| format!("`{arg}` needs a value"));
            match arg.as_str() {
                "--clients" => options.clients = value()?.parse()?,
                "--seconds" => options.seconds = value()?.parse()?,
                "--only" => options.only = Some(value()?.clone()),
                other => bail!("unknown argument `{other}`"),
            }
        }
        Ok(options)
    }

    fn runs(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|only| name.starts_with(only))
    }
}

pub(crate) fn main(options: Options) -> anyhow::Result<()> {
    println!(
        "writes: synchronous=FULL, WAL; {} clients for {:.0} s (after {} ms warm-up) per HTTP row; machine: {} cores",
        options.clients,
        options.seconds,
        WARM_UP.as_millis(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| path | rows or commands per transaction | per second | p50 ms | p99 ms | commits in the run |");
    println!("|---|---|---|---|---|---|");
    let dir = std::env::temp_dir().join(format!("orion-bench-write-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for rows in [1, 100, 1000] {
        let name = format!("rusqlite-{rows}");
        if options.runs(&name) {
            let rate = raw(&dir.join(format!("{name}.db")), rows, options.seconds)?;
            println!("| raw rusqlite, one `INSERT` per row | {rows} | {rate:.0} rows | – | – | – |");
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        if options.runs("hyper") {
            let run = http("hyper", &dir.join("hyper.db"), &[], &options).await?;
            println!("| bare hyper `POST → 204` (no database) | – | {} |", run.columns(None));
        }
        for (name, queue) in [("orion-off", "off"), ("orion-on", "on")] {
            if options.runs(name) {
                let db = dir.join(format!("{name}.db"));
                let run = http("orion", &db, &["--write-queue", queue], &options).await?;
                let (commits, rows) = commits(&db, run.answered)?;
                // Every command of the run (warm-up included) over every commit of the run.
                let per_commit = rows as f64 / commits.max(1) as f64;
                println!(
                    "| orion todos `add`, write queue {queue} | {per_commit:.1} (average) | {} |",
                    run.columns(Some(commits))
                );
            }
        }
        anyhow::Ok(())
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Rows per second inserted through rusqlite, `rows` per transaction, for `seconds`.
fn raw(db: &Path, rows: usize, seconds: f64) -> anyhow::Result<f64> {
    let conn = Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE todos (
             id INTEGER PRIMARY KEY,
             title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
             done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
             created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ) STRICT",
    )?;
    let started = Instant::now();
    let mut inserted = 0usize;
    while started.elapsed().as_secs_f64() < seconds {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut insert = conn.prepare("INSERT INTO todos (title) VALUES (?1)")?;
        for _ in 0..rows {
            insert.execute([format!("todo {inserted}")])?;
            inserted += 1;
        }
        drop(insert);
        conn.execute_batch("COMMIT")?;
    }
    Ok(inserted as f64 / started.elapsed().as_secs_f64())
}

/// What a load run measured.
struct Run {
    /// Requests answered with a 2xx within the measured window.
    answered: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

impl Run {
    fn columns(&self, commits: Option<u64>) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let commits = commits.map_or_else(|| "–".to_owned(), |c| c.to_string());
        format!("{:.0} commands | {:.1} | {:.1} | {commits}", self.per_second, ms(self.p50), ms(self.p99))
    }
}

/// Starts `bench serve <server> <args>` on a fresh database and loads it with `POST /todos`.
async fn http(server: &str, db: &Path, args: &[&str], options: &Options) -> anyhow::Result<Run> {
    let port = crate::proc::free_port()?;
    let mut child = crate::proc::serve(server, port, args, db).await?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    let counted_from = started + WARM_UP;
    let until = counted_from + Duration::from_secs_f64(options.seconds);
    let mut tasks = Vec::new();
    for client in 0..options.clients {
        tasks.push(tokio::spawn(load(addr, client, counted_from, until)));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    // Stop it gracefully: the store closes (and checkpoints) before the database is read.
    if let Some(pid) = child.id() {
        let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    }
    child.wait().await?;
    latencies.sort();
    let percentile =
        |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    Ok(Run {
        answered: latencies.len(),
        per_second: latencies.len() as f64 / options.seconds,
        p50: percentile(0.50).copied().unwrap_or_default(),
        p99: percentile(0.99).copied().unwrap_or_default(),
    })
}

/// One client: a keep-alive connection sending `POST /todos` back to back until `until`;
/// returns the latency of each request answered in `[counted_from, until)`.
async fn load(addr: SocketAddr, client: usize, counted_from: Instant, until: Instant) -> anyhow::Result<Vec<Duration>> {
    let socket = TcpStream::connect(addr).await?;
    socket.set_nodelay(true)?;
    let mut socket = BufReader::new(socket);
    let mut latencies = Vec::new();
    for n in 0.. {
        let sent = Instant::now();
        if sent >= until {
            break;
        }
        let body = format!("{{\"title\":\"bench {client}-{n}\"}}");
        let request = format!(
            "POST /todos HTTP/1.1\r\nhost: bench\r\ndatastar-request: true\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        socket.get_mut().write_all(request.as_bytes()).await?;
        let status = read_response(&mut socket).await?;
        if !(200..300).contains(&status) {
            bail!("`POST /todos` answered {status}");
        }
        let done = Instant::now();
        if sent >= counted_from && done < until {
            latencies.push(done - sent);
        }
    }
    Ok(latencies)
}

/// Reads one response (status line, headers, a `content-length` body); returns its status.
async fn read_response(socket: &mut BufReader<TcpStream>) -> anyhow::Result<u16> {
    let mut line = String::new();
    socket.read_line(&mut line).await?;
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).context("a status line")?;
    let mut length = 0;
    loop {
        line.clear();
        if socket.read_line(&mut line).await? == 0 {
            bail!("the server closed the connection");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse()?;
        }
    }
    let mut body = vec![0; length];
    socket.read_exact(&mut body).await?;
    Ok(status)
}

/// How many commits the orion server made (its commit sequence, minus the migrations) and how
/// many rows its commands wrote, warm-up included; checks that every answered command's row is
/// there.
fn commits(db: &PathBuf, answered: usize) -> anyhow::Result<(u64, u64)> {
    let conn = Connection::open(db)?;
    let (seq, rows): (i64, i64) =
        conn.query_row("SELECT seq, (SELECT count(*) FROM todos) FROM _orion_commit", (), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    if (rows as usize) < answered {
        bail!("{answered} commands were answered but only {rows} rows are in the database");
    }
    let migrations: i64 = conn.query_row("SELECT count(*) FROM _orion_migrations", (), |row| row.get(0))?;
    Ok(((seq - migrations) as u64, rows as u64))
}
