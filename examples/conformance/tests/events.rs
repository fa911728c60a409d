//! Server-sent events as the comparison sees them: the non-`data` fields in order, and the
//! `data` lines grouped by their first word.
//!
//! `data: mode append` belongs to group `mode` with the line `append`; a multi-line value is
//! several lines of one group (`data: elements <div>` then `data: elements </div>`). Groups keep
//! the order their lines came in; the order between groups is recorded (first appearance) but the
//! comparison ignores it.

/// One event of a `text/event-stream` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// Every non-`data` line as (field, value trimmed), in order: `event`, `id`, `retry`, …
    pub(crate) fields: Vec<(String, String)>,
    /// The `data` lines, grouped by their first word, each group's lines in order.
    pub(crate) data: Vec<(String, Vec<String>)>,
    /// Whether a blank line ended the event (a browser drops an unterminated last event).
    pub(crate) terminated: bool,
}

impl SseEvent {
    /// The lines of data group `key`.
    pub(crate) fn group(&self, key: &str) -> Option<&[String]> {
        self.data.iter().find(|(k, _)| k == key).map(|(_, lines)| lines.as_slice())
    }

    /// The `event:` field, for messages.
    pub(crate) fn name(&self) -> &str {
        self.fields.iter().find(|(field, _)| field == "event").map_or("(no `event:` field)", |(_, value)| value)
    }

    fn push_line(&mut self, line: &str) {
        // `field: value`, where one space after the colon is part of the syntax; a line without a
        // colon is a field with an empty value (the SSE rules), and `: text` a comment (field "").
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        if field != "data" {
            self.fields.push((field.to_owned(), value.trim().to_owned()));
            return;
        }
        let (key, rest) = value.split_once(' ').unwrap_or((value, ""));
        match self.data.iter_mut().find(|(k, _)| k == key) {
            Some((_, lines)) => lines.push(rest.to_owned()),
            None => self.data.push((key.to_owned(), vec![rest.to_owned()])),
        }
    }
}

/// Splits `text` into events at blank lines (`\n` or `\r\n` line ends).
pub(crate) fn parse(text: &str) -> Vec<SseEvent> {
    let mut events = Vec::new();
    let mut current: Option<SseEvent> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            if let Some(mut event) = current.take() {
                event.terminated = true;
                events.push(event);
            }
            continue;
        }
        current.get_or_insert_with(SseEvent::default).push_line(line);
    }
    events.extend(current);
    events
}

#[cfg(test)]
mod tests;
