//! One simulated viewer: a raw HTTP/1.1 connection holding a live stream, de-chunking and
//! decoding it (brotli driven directly, so every flushed frame decodes whole) and recording
//! when each command's marker arrives.

use std::net::SocketAddr;
use std::time::Instant;

use orion::testing::Decoder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

/// The text marking command `k` in a render: `Mk<k>`.
pub(crate) const MARKER: &[u8] = b"Mk";

/// What one viewer saw.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// (highest marker seen so far, when) each time it grew.
    pub(crate) timeline: Vec<(u32, Instant)>,
    pub(crate) events: u64,
    pub(crate) wire_bytes: u64,
    pub(crate) decoded_bytes: u64,
    pub(crate) error: Option<String>,
}

/// Holds a stream until `stop` turns true; reports the highest marker seen through `progress`.
pub(crate) async fn watch_stream(
    addr: SocketAddr,
    brotli: bool,
    progress: watch::Sender<u32>,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen::default();
    let result = async {
        let mut socket = TcpStream::connect(addr).await?;
        let accept = if brotli { "accept-encoding: br\r\n" } else { "" };
        let request = format!(
            "GET / HTTP/1.1\r\nhost: bench\r\ndatastar-request: true\r\naccept: text/event-stream\r\n{accept}\r\n"
        );
        socket.write_all(request.as_bytes()).await?;
        let mut buffer = vec![0u8; 64 * 1024];
        let mut head = Vec::new();
        let mut body = Dechunk::default();
        let mut decoder = brotli.then(Decoder::new);
        let mut highest: Option<u32> = None;
        loop {
            let n = tokio::select! {
                read = socket.read(&mut buffer) => read?,
                _ = stop.changed() => return Ok::<(), std::io::Error>(()),
            };
            if n == 0 {
                return Err(std::io::Error::other("the server closed the stream"));
            }
            let mut data = &buffer[..n];
            if body.in_head {
                head.extend_from_slice(data);
                let Some(end) = find(&head, b"\r\n\r\n") else { continue };
                let text = String::from_utf8_lossy(&head[..end]).to_lowercase();
                if !text.starts_with("http/1.1 200") {
                    return Err(std::io::Error::other(format!(
                        "stream refused: {}",
                        text.lines().next().unwrap_or("")
                    )));
                }
                if brotli && !text.contains("content-encoding: br") {
                    return Err(std::io::Error::other("asked for brotli, got a plain stream"));
                }
                body.in_head = false;
                body.chunked = text.contains("transfer-encoding: chunked");
                let rest = head[end + 4..].to_vec();
                head.clear();
                for payload in body.feed(&rest) {
                    handle(&payload, &mut decoder, &mut seen, &mut highest, &progress)?;
                }
                continue;
            }
            for payload in body.feed(std::mem::take(&mut data)) {
                handle(&payload, &mut decoder, &mut seen, &mut highest, &progress)?;
            }
        }
    }
    .await;
    if let Err(error) = result {
        seen.error = Some(error.to_string());
    }
    seen
}

fn handle(
    payload: &[u8],
    decoder: &mut Option<Decoder>,
    seen: &mut Seen,
    highest: &mut Option<u32>,
    progress: &watch::Sender<u32>,
) -> std::io::Result<()> {
    seen.wire_bytes += payload.len() as u64;
    let decoded = match decoder {
        Some(decoder) => decoder.decode(payload).map_err(std::io::Error::other)?,
        None => payload.to_vec(),
    };
    seen.decoded_bytes += decoded.len() as u64;
    seen.events += count(&decoded, b"event: datastar-patch-elements") as u64;
    if let Some(marker) = markers(&decoded).max()
        && highest.is_none_or(|h| marker > h)
    {
        *highest = Some(marker);
        seen.timeline.push((marker, Instant::now()));
        progress.send_replace(marker);
    }
    Ok(())
}

/// Every `Mk<digits>` in `text`.
fn markers(text: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = find(&text[at..], MARKER) {
            let start = at + found + MARKER.len();
            let digits = text[start..].iter().take_while(|b| b.is_ascii_digit()).count();
            at = start;
            if digits > 0 {
                return std::str::from_utf8(&text[start..start + digits]).ok()?.parse().ok();
            }
        }
        None
    })
}

fn count(text: &[u8], needle: &[u8]) -> usize {
    text.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// HTTP/1.1 chunked transfer decoding, incremental.
#[derive(Debug)]
struct Dechunk {
    in_head: bool,
    chunked: bool,
    /// Bytes left in the current chunk, or `None` while reading a size line.
    remaining: Option<usize>,
    line: Vec<u8>,
    /// Bytes of the CRLF after a chunk still to skip.
    skip: usize,
}

impl Default for Dechunk {
    fn default() -> Dechunk {
        Dechunk { in_head: true, chunked: false, remaining: None, line: Vec::new(), skip: 0 }
    }
}

impl Dechunk {
    fn feed(&mut self, mut data: &[u8]) -> Vec<Vec<u8>> {
        if !self.chunked {
            return if data.is_empty() { Vec::new() } else { vec![data.to_vec()] };
        }
        let mut payloads = Vec::new();
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            match self.remaining {
                Some(remaining) => {
                    let n = remaining.min(data.len());
                    payloads.push(data[..n].to_vec());
                    data = &data[n..];
                    if n == remaining {
                        self.remaining = None;
                        self.skip = 2;
                    } else {
                        self.remaining = Some(remaining - n);
                    }
                }
                None => {
                    let end = data.iter().position(|b| *b == b'\n');
                    let take = end.map_or(data.len(), |e| e + 1);
                    self.line.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if end.is_some() {
                        let line = String::from_utf8_lossy(&self.line).trim().to_owned();
                        self.line.clear();
                        let size = usize::from_str_radix(line.split(';').next().unwrap_or(""), 16).unwrap_or(0);
                        if size > 0 {
                            self.remaining = Some(size);
                        }
                    }
                }
            }
        }
        payloads
    }
}
