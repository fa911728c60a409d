//! Turning what the viewers saw into one row of the results table.

use std::time::{Duration, Instant};

use crate::viewer::Seen;

pub(crate) struct Row {
    server: String,
    brotli: bool,
    viewers: usize,
    commands: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    /// Share of (viewer, command) pairs whose marker (or a later one) reached the viewer.
    complete: f64,
    /// Viewers whose last frame showed the final command.
    final_ok: usize,
    errors: usize,
    events_per_second: f64,
    wire_per_event: f64,
    decoded_per_event: f64,
    rss: Option<(u64, u64)>,
}

impl Row {
    pub(crate) fn new(
        server: &str,
        brotli: bool,
        viewers: usize,
        sent: &[Instant],
        seen: &[Seen],
        elapsed: Duration,
        rss: Option<(u64, u64)>,
    ) -> Row {
        let commands = sent.len();
        let mut latencies = Vec::with_capacity(viewers * commands);
        let mut covered = 0usize;
        for viewer in seen {
            for (i, sent_at) in sent.iter().enumerate() {
                let k = i as u32 + 1;
                // The first frame showing command k, or any later one (renders coalesce).
                let index = viewer.timeline.partition_point(|(marker, _)| *marker < k);
                if let Some((_, at)) = viewer.timeline.get(index) {
                    covered += 1;
                    latencies.push(at.saturating_duration_since(*sent_at));
                }
            }
        }
        latencies.sort();
        let percentile = |p: f64| {
            latencies.get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default()
        };
        let events: u64 = seen.iter().map(|s| s.events).sum();
        let wire: u64 = seen.iter().map(|s| s.wire_bytes).sum();
        let decoded: u64 = seen.iter().map(|s| s.decoded_bytes).sum();
        Row {
            server: server.to_owned(),
            brotli,
            viewers,
            commands,
            p50: percentile(0.50),
            p99: percentile(0.99),
            max: latencies.last().copied().unwrap_or_default(),
            complete: covered as f64 / (viewers * commands).max(1) as f64,
            final_ok: seen.iter().filter(|s| s.timeline.last().is_some_and(|(k, _)| *k as usize == commands)).count(),
            errors: seen.iter().filter(|s| s.error.is_some()).count(),
            events_per_second: events as f64 / elapsed.as_secs_f64(),
            wire_per_event: wire as f64 / events.max(1) as f64,
            decoded_per_event: decoded as f64 / events.max(1) as f64,
            rss,
        }
    }
}

pub(crate) fn print_header() {
    println!(
        "| server | stream | viewers | commands | p50 ms | p99 ms | max ms | complete | final state | errors | events/s | wire B/event | decoded B/event | server RSS MB (peak) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
}

pub(crate) fn print_row(row: &Row) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rss = row.rss.map_or_else(
        || "?".to_owned(),
        |(now, peak)| format!("{:.0} ({:.0})", now as f64 / 1048576.0, peak as f64 / 1048576.0),
    );
    println!(
        "| {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.1}% | {}/{} | {} | {:.0} | {:.0} | {:.0} | {} |",
        row.server,
        if row.brotli { "brotli" } else { "plain" },
        row.viewers,
        row.commands,
        ms(row.p50),
        ms(row.p99),
        ms(row.max),
        row.complete * 100.0,
        row.final_ok,
        row.viewers,
        row.errors,
        row.events_per_second,
        row.wire_per_event,
        row.decoded_per_event,
        rss,
    );
}
