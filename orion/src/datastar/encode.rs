//! The one place that knows the Datastar SSE wire format.
//!
//! Each event is `event: <type>`, then `id:` and `retry:` when set (a retry of 1000 ms, the
//! default, is left out), then one `data: <key> <value>` line per field and per line of a
//! multi-line value, then a blank line. Fields equal to their default are left out, as the
//! Datastar SDK specification says.

use super::event::{Event, Mode, Namespace, Patch};

/// The retry the browser assumes when an event has none.
pub const DEFAULT_RETRY_MS: u64 = 1000;

/// Appends `event`, encoded as SSE, to `out`.
pub fn encode(event: &Event, out: &mut Vec<u8>) {
    let name = match &event.patch {
        Patch::Elements(_) => "datastar-patch-elements",
        Patch::Signals(_) => "datastar-patch-signals",
    };
    field(out, "event", name);
    if let Some(id) = event.id.as_deref().filter(|id| !id.is_empty()) {
        field(out, "id", &single_line(id));
    }
    if let Some(retry) = event.retry.filter(|&retry| retry != DEFAULT_RETRY_MS) {
        field(out, "retry", &retry.to_string());
    }
    match &event.patch {
        Patch::Elements(patch) => {
            if let Some(selector) = &patch.selector {
                data(out, "selector", selector);
            }
            if patch.mode != Mode::Outer {
                data(out, "mode", patch.mode.as_str());
            }
            if patch.namespace != Namespace::Html {
                data(out, "namespace", patch.namespace.as_str());
            }
            if patch.use_view_transition {
                data(out, "useViewTransition", "true");
                // The selector only means something when a view transition is used.
                if let Some(selector) = &patch.view_transition_selector {
                    data(out, "viewTransitionSelector", selector);
                }
            }
            if !patch.elements.is_empty() {
                data(out, "elements", &patch.elements);
            }
        }
        Patch::Signals(patch) => {
            if patch.only_if_missing {
                data(out, "onlyIfMissing", "true");
            }
            data(out, "signals", &patch.signals);
        }
    }
    out.push(b'\n');
}

/// Encodes `event` into a new buffer.
pub fn to_bytes(event: &Event) -> Vec<u8> {
    let mut out = Vec::new();
    encode(event, &mut out);
    out
}

/// Appends an SSE comment (ignored by the browser; used as a keep-alive).
pub fn comment(text: &str, out: &mut Vec<u8>) {
    for line in lines(text) {
        out.extend_from_slice(b": ");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
}

fn field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.push(b'\n');
}

/// One `data: <key> <line>` per line of `value`: SSE ends a line at CR, LF or CRLF.
fn data(out: &mut Vec<u8>, key: &str, value: &str) {
    for line in lines(value) {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(key.as_bytes());
        out.push(b' ');
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
}

fn lines(value: &str) -> impl Iterator<Item = &str> {
    value.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).flat_map(|line| line.split('\r'))
}

/// A value of a single-line field (`id`) with any line break removed.
fn single_line(value: &str) -> String {
    value.chars().filter(|c| *c != '\n' && *c != '\r').collect()
}

#[cfg(test)]
mod tests;
