//! Reading an `strace -f -ttt -T -yy` log into calls: which thread, when it entered, when it
//! returned, and its arguments and result as strace printed them.

/// One system call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    /// The thread that made it.
    pub(crate) tid: u32,
    pub(crate) name: String,
    /// Entry, in seconds since the epoch.
    pub(crate) start: f64,
    /// Return, in seconds since the epoch.
    pub(crate) end: f64,
    /// Everything strace printed after the name: arguments (fds with their paths or sockets,
    /// buffers as escaped strings) and result.
    pub(crate) text: String,
}

impl Call {
    /// The first argument's annotation when it is an fd: `acks.db-wal`'s path, or
    /// `TCP:[127.0.0.1:1->127.0.0.1:2]`.
    pub(crate) fn fd(&self) -> &str {
        let Some(open) = self.text.find('<') else { return "" };
        let annotation = &self.text[open + 1..];
        // Ends at a `>` followed by the next argument, the closing parenthesis or a space (a
        // socket's `->` is inside it).
        let close = annotation
            .match_indices('>')
            .map(|(index, _)| index)
            .find(|&index| matches!(annotation.as_bytes().get(index + 1), None | Some(b',' | b')' | b' ')))
            .unwrap_or(annotation.len());
        &annotation[..close]
    }

    pub(crate) fn on_socket(&self) -> bool {
        self.fd().starts_with("TCP:")
    }
}

/// Every call in `log` that completed, in the order it started.
pub(crate) fn parse(log: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    // Calls started by a thread and not returned yet (`<unfinished ...>`).
    let mut open: Vec<Call> = Vec::new();
    for line in log.lines() {
        // `8999  1795294614.716575 recvfrom(…` (the thread id is padded).
        let Some((tid, rest)) = line.split_once(' ') else { continue };
        let Some((time, rest)) = rest.trim_start().split_once(' ') else { continue };
        let (Ok(tid), Ok(time)) = (tid.parse::<u32>(), time.parse::<f64>()) else { continue };
        if let Some(resumed) = rest.strip_prefix("<... ") {
            // `<... read resumed>"data", 512) = 12 <0.000021>`
            let Some(index) = open.iter().position(|call| call.tid == tid) else { continue };
            let mut call = open.remove(index);
            let after = resumed.split_once("resumed>").map_or("", |(_, after)| after);
            call.text.push_str(after);
            call.end = time;
            calls.push(call);
            continue;
        }
        let Some((name, args)) = rest.split_once('(') else { continue };
        if name.contains(' ') || name.starts_with('+') || name.starts_with('-') {
            continue; // signals and exits
        }
        let mut call = Call { tid, name: name.to_owned(), start: time, end: time, text: args.to_owned() };
        if args.ends_with("<unfinished ...>") {
            open.push(call);
            continue;
        }
        // `… = 12 <0.000021>`
        if let Some(duration) = args.rsplit_once(" <").and_then(|(_, d)| d.strip_suffix('>')?.parse::<f64>().ok()) {
            call.end = time + duration;
        }
        calls.push(call);
    }
    calls.sort_by(|a, b| a.start.total_cmp(&b.start));
    calls
}

#[test]
fn calls_are_read_whole_and_split_calls_joined() {
    let log = "\
100  1700000000.000100 pwrite64(5</tmp/a/acks.db-wal>, \"k001x00001z\\0\", 12, 32) = 12 <0.000010>
101 1700000000.000200 fdatasync(5</tmp/a/acks.db-wal> <unfinished ...>
102 1700000000.000250 read(9<TCP:[127.0.0.1:1->127.0.0.1:2]>,  <unfinished ...>
101 1700000000.000400 <... fdatasync resumed>) = 0 <0.000200>
102 1700000000.000500 <... read resumed>\"POST /ack\", 4096) = 9 <0.000250>
100 1700000000.000600 +++ exited with 0 +++
";
    let calls = parse(log);
    let summary: Vec<(&str, u32, f64, f64, &str)> =
        calls.iter().map(|c| (c.name.as_str(), c.tid, c.start, c.end, c.fd())).collect();
    assert_eq!(
        summary,
        [
            ("pwrite64", 100, 1700000000.0001, 1700000000.00011, "/tmp/a/acks.db-wal"),
            ("fdatasync", 101, 1700000000.0002, 1700000000.0004, "/tmp/a/acks.db-wal"),
            ("read", 102, 1700000000.00025, 1700000000.0005, "TCP:[127.0.0.1:1->127.0.0.1:2]"),
        ]
    );
    assert!(calls[2].text.contains("POST /ack"));
    assert!(calls[0].text.contains("k001x00001z"));
}
