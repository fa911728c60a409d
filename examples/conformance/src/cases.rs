//! A conformance case's `events` array, turned into orion [`Event`]s.
//!
//! The Datastar SDK test suite describes what the server must send as a JSON array: one entry
//! per event, chosen by its `type` (`patchElements`, `patchSignals`, `executeScript`), with the
//! options of the SDK call as fields. This module maps each entry onto orion's event values and
//! nothing else: it knows no HTTP and no wire format (the encoder owns that), so a wrong byte in
//! a response is the encoder's fault, not this mapping's.
//!
//! An absent field means "the SDK default", so it maps to orion's default value. A malformed
//! case is refused with every problem found, each naming the entry index and the field.

use orion::datastar::{Event, Mode, Namespace, PatchElements, PatchSignals, Script, Signals};
use serde_json::{Map, Value};

/// The signal holding the list of events to send.
const EVENTS: &str = "events";

// The entry fields, shared by parsing and every error message.
const TYPE: &str = "type";
const EVENT_ID: &str = "eventId";
const RETRY_DURATION: &str = "retryDuration";
const ELEMENTS: &str = "elements";
const SELECTOR: &str = "selector";
const MODE: &str = "mode";
const NAMESPACE: &str = "namespace";
const USE_VIEW_TRANSITION: &str = "useViewTransition";
const VIEW_TRANSITION_SELECTOR: &str = "viewTransitionSelector";
const SIGNALS: &str = "signals";
const SIGNALS_RAW: &str = "signals-raw";
const ONLY_IF_MISSING: &str = "onlyIfMissing";
const SCRIPT: &str = "script";
const AUTO_REMOVE: &str = "autoRemove";
const ATTRIBUTES: &str = "attributes";

// The entry types.
const PATCH_ELEMENTS: &str = "patchElements";
const PATCH_SIGNALS: &str = "patchSignals";
const EXECUTE_SCRIPT: &str = "executeScript";

/// Why a case cannot be turned into events: every problem found, one per entry field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub(crate) problems: Vec<String>,
}

/// The events the `events` signal asks for, in order.
pub(crate) fn events(signals: &Signals) -> Result<Vec<Event>, Malformed> {
    let entries = match signals.get(EVENTS) {
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(Malformed::one(format!(
                "`{EVENTS}` must be an array of event entries, found {}: send `{{\"{EVENTS}\": [...]}}`",
                kind(other)
            )));
        }
        None => {
            return Err(Malformed::one(format!(
                "the signals have no `{EVENTS}` array: send `{{\"{EVENTS}\": [...]}}` listing the events to answer with"
            )));
        }
    };
    let mut events = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let Value::Object(fields) = entry else {
            problems.push(format!("`{EVENTS}[{index}]`: must be an object with a `{TYPE}`, found {}", kind(entry)));
            continue;
        };
        if let Some(event) = (Entry { index, fields, problems: &mut problems }).event() {
            events.push(event);
        }
    }
    if problems.is_empty() { Ok(events) } else { Err(Malformed { problems }) }
}

impl Malformed {
    fn one(problem: String) -> Malformed {
        Malformed { problems: vec![problem] }
    }
}

/// One entry being read: its index (for messages), its fields and the problems found so far.
struct Entry<'a> {
    index: usize,
    fields: &'a Map<String, Value>,
    problems: &'a mut Vec<String>,
}

impl Entry<'_> {
    /// The event of this entry, or `None` once a problem was recorded.
    fn event(&mut self) -> Option<Event> {
        let before = self.problems.len();
        let event = match self.string(TYPE).as_deref() {
            Some(PATCH_ELEMENTS) => self.patch_elements(),
            Some(PATCH_SIGNALS) => self.patch_signals(),
            Some(EXECUTE_SCRIPT) => self.execute_script(),
            Some(other) => {
                self.problem(
                    TYPE,
                    format!("unknown type `{other}`: use `{PATCH_ELEMENTS}`, `{PATCH_SIGNALS}` or `{EXECUTE_SCRIPT}`"),
                );
                return None;
            }
            None => {
                if !self.fields.contains_key(TYPE) {
                    self.problem(
                        TYPE,
                        format!(
                            "missing: add `\"{TYPE}\"` (`{PATCH_ELEMENTS}`, `{PATCH_SIGNALS}` or `{EXECUTE_SCRIPT}`)"
                        ),
                    );
                }
                return None;
            }
        };
        let id = self.string(EVENT_ID);
        let retry = self.retry();
        let mut event = event?;
        event.id = id;
        event.retry = retry;
        (self.problems.len() == before).then_some(event)
    }

    fn patch_elements(&mut self) -> Option<Event> {
        self.only(&[ELEMENTS, SELECTOR, MODE, NAMESPACE, USE_VIEW_TRANSITION, VIEW_TRANSITION_SELECTOR]);
        let mode = self.parsed(
            MODE,
            Mode::parse,
            "`outer`, `inner`, `replace`, `prepend`, `append`, `before`, `after` or `remove`",
        );
        let namespace = self.parsed(NAMESPACE, Namespace::parse, "`html`, `svg` or `mathml`");
        Some(Event::from(PatchElements {
            elements: self.string(ELEMENTS).unwrap_or_default(),
            selector: self.string(SELECTOR),
            mode: mode.unwrap_or_default(),
            namespace: namespace.unwrap_or_default(),
            use_view_transition: self.bool(USE_VIEW_TRANSITION).unwrap_or(false),
            view_transition_selector: self.string(VIEW_TRANSITION_SELECTOR),
        }))
    }

    fn patch_signals(&mut self) -> Option<Event> {
        self.only(&[SIGNALS, SIGNALS_RAW, ONLY_IF_MISSING]);
        let only_if_missing = self.bool(ONLY_IF_MISSING).unwrap_or(false);
        // `signals-raw` is text sent as it is (it may span lines); it wins when present.
        let signals = match (self.fields.get(SIGNALS_RAW), self.fields.get(SIGNALS)) {
            (Some(_), _) => self.string(SIGNALS_RAW)?,
            (None, Some(Value::Object(signals))) => Value::Object(signals.clone()).to_string(),
            (None, Some(other)) => {
                let found = kind(other);
                self.problem(SIGNALS, format!("must be a JSON object, found {found}"));
                return None;
            }
            (None, None) => {
                self.problem(SIGNALS, format!("missing: add `{SIGNALS}` (an object) or `{SIGNALS_RAW}` (text)"));
                return None;
            }
        };
        Some(Event::from(PatchSignals { signals, only_if_missing }))
    }

    fn execute_script(&mut self) -> Option<Event> {
        self.only(&[SCRIPT, AUTO_REMOVE, ATTRIBUTES]);
        let Some(source) = self.string(SCRIPT) else {
            if !self.fields.contains_key(SCRIPT) {
                self.problem(SCRIPT, "missing: add the JavaScript to run as a string".to_owned());
            }
            return None;
        };
        let auto_remove = self.bool(AUTO_REMOVE).unwrap_or(true);
        let attributes = self.attributes()?;
        Some(Script { source, auto_remove, attributes }.into_event())
    }

    /// `attributes`: an object of name to string value. (The signals are a sorted map, so the
    /// attributes come out sorted by name; their order on a tag carries no meaning.)
    fn attributes(&mut self) -> Option<Vec<(String, String)>> {
        let attributes = match self.fields.get(ATTRIBUTES) {
            None => return Some(Vec::new()),
            Some(Value::Object(attributes)) => attributes,
            Some(other) => {
                let found = kind(other);
                self.problem(ATTRIBUTES, format!("must be an object of attribute name to string value, found {found}"));
                return None;
            }
        };
        let mut pairs = Vec::with_capacity(attributes.len());
        for (name, value) in attributes {
            match value {
                Value::String(value) => pairs.push((name.clone(), value.clone())),
                other => {
                    let found = kind(other);
                    self.problem(&format!("{ATTRIBUTES}.{name}"), format!("must be a string, found {found}"));
                }
            }
        }
        (pairs.len() == attributes.len()).then_some(pairs)
    }

    /// `retryDuration`: a whole number of milliseconds.
    fn retry(&mut self) -> Option<u64> {
        match self.fields.get(RETRY_DURATION)? {
            Value::Number(number) if number.as_u64().is_some() => number.as_u64(),
            other => {
                let found = kind(other);
                self.problem(RETRY_DURATION, format!("must be a whole number of milliseconds, found {found}"));
                None
            }
        }
    }

    /// Records a problem for every field the entry's type does not know (a typo would
    /// otherwise silently fall back to a default).
    fn only(&mut self, known: &[&str]) {
        let unknown: Vec<String> = self
            .fields
            .keys()
            .filter(|name| {
                ![TYPE, EVENT_ID, RETRY_DURATION].contains(&name.as_str()) && !known.contains(&name.as_str())
            })
            .cloned()
            .collect();
        for name in unknown {
            let known = known.iter().chain(&[EVENT_ID, RETRY_DURATION]).map(|k| format!("`{k}`")).collect::<Vec<_>>();
            self.problem(&name, format!("unknown field: fix its spelling or remove it (known: {})", known.join(", ")));
        }
    }

    /// A string field, or `None` when absent or (recording a problem) not a string.
    fn string(&mut self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(value) => Some(value.clone()),
            other => {
                let found = kind(other);
                self.problem(name, format!("must be a string, found {found}"));
                None
            }
        }
    }

    /// A boolean field, or `None` when absent or (recording a problem) not a boolean.
    fn bool(&mut self, name: &str) -> Option<bool> {
        match self.fields.get(name)? {
            Value::Bool(value) => Some(*value),
            other => {
                let found = kind(other);
                self.problem(name, format!("must be `true` or `false`, found {found}"));
                None
            }
        }
    }

    /// A string field naming one of a closed set of values.
    fn parsed<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>, expected: &str) -> Option<T> {
        let value = self.string(name)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            self.problem(name, format!("unknown value `{value}`: use {expected}"));
        }
        parsed
    }

    fn problem(&mut self, field: &str, message: String) {
        self.problems.push(format!("`{EVENTS}[{}].{field}`: {message}", self.index));
    }
}

/// How a JSON value is described in messages.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => format!("`{value}`"),
        Value::Number(value) => format!("`{value}`"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests;
