//! The Datastar events as plain values.
//!
//! Regions, commands and fragments produce [`Event`]s; only [`encode`](super::encode) knows how
//! they look on the wire. Tests assert on these values, not on bytes.

use std::fmt;

/// One Datastar server-sent event: what to patch, plus the SSE `id` and `retry` fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The SSE `id` field; a reconnecting browser sends the last one as `Last-Event-ID`.
    pub id: Option<String>,
    /// The SSE `retry` field in milliseconds; `None` (or 1000, the default) is left out.
    pub retry: Option<u64>,
    /// What the browser should do.
    pub patch: Patch,
}

/// What an [`Event`] asks the browser to do. A closed set, dispatched in one `match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patch {
    /// `datastar-patch-elements`: morph, insert or remove elements.
    Elements(PatchElements),
    /// `datastar-patch-signals`: merge a JSON object into the page's signals.
    Signals(PatchSignals),
}

/// The fields of a `datastar-patch-elements` event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatchElements {
    /// The HTML to patch in (may be several elements, may span lines); empty for `remove`.
    pub elements: String,
    /// A CSS selector for the target; without one, top-level elements are matched by `id`.
    pub selector: Option<String>,
    /// How to patch; [`Mode::Outer`] (morph by id) is the default.
    pub mode: Mode,
    /// The namespace the elements are parsed in; [`Namespace::Html`] is the default.
    pub namespace: Namespace,
    /// Whether to wrap the patch in a view transition.
    pub use_view_transition: bool,
    /// The element whose view transition is used (Datastar 1.0.4), when not the document.
    pub view_transition_selector: Option<String>,
}

/// The fields of a `datastar-patch-signals` event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatchSignals {
    /// A JSON object (as text; it may span lines). `null` values remove signals.
    pub signals: String,
    /// Only set signals that do not exist yet.
    pub only_if_missing: bool,
}

/// How `datastar-patch-elements` applies its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Morph the target element itself (the default).
    #[default]
    Outer,
    /// Morph the target's children.
    Inner,
    /// Replace the target without morphing.
    Replace,
    /// Insert as the target's first child.
    Prepend,
    /// Insert as the target's last child.
    Append,
    /// Insert before the target.
    Before,
    /// Insert after the target.
    After,
    /// Remove the target.
    Remove,
}

/// The namespace patched elements are created in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Namespace {
    /// Plain HTML (the default).
    #[default]
    Html,
    /// SVG elements, for patching inside an `<svg>`.
    Svg,
    /// MathML elements, for patching inside a `<math>`.
    MathMl,
}

impl Event {
    /// A `datastar-patch-elements` event that morphs `elements` in by their ids.
    pub fn patch_elements(elements: impl Into<String>) -> Event {
        Event::from(PatchElements { elements: elements.into(), ..PatchElements::default() })
    }

    /// A `datastar-patch-signals` event merging `signals`, a JSON object as text.
    pub fn patch_signals(signals: impl Into<String>) -> Event {
        Event::from(PatchSignals { signals: signals.into(), only_if_missing: false })
    }

    /// A `datastar-patch-signals` event merging a JSON value (an object).
    pub fn signals(signals: &serde_json::Value) -> Event {
        Event::patch_signals(signals.to_string())
    }

    /// Removes the elements matching `selector`.
    pub fn remove(selector: impl Into<String>) -> Event {
        Event::from(PatchElements { selector: Some(selector.into()), mode: Mode::Remove, ..PatchElements::default() })
    }

    /// Runs `script` in the browser: a `<script>` appended to `body` that removes itself.
    pub fn script(script: &str) -> Event {
        Script::new(script).into_event()
    }

    /// Sets the SSE `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Event {
        self.id = Some(id.into());
        self
    }

    /// Sets the SSE `retry` (milliseconds).
    pub fn with_retry(mut self, retry_ms: u64) -> Event {
        self.retry = Some(retry_ms);
        self
    }
}

impl PatchElements {
    /// Sets the elements to patch in.
    pub fn elements(mut self, elements: impl Into<String>) -> PatchElements {
        self.elements = elements.into();
        self
    }

    /// Targets the elements matching `selector`.
    pub fn selector(mut self, selector: impl Into<String>) -> PatchElements {
        self.selector = Some(selector.into());
        self
    }

    /// Sets how the elements are patched.
    pub fn mode(mut self, mode: Mode) -> PatchElements {
        self.mode = mode;
        self
    }
}

impl From<PatchElements> for Event {
    fn from(patch: PatchElements) -> Event {
        Event { id: None, retry: None, patch: Patch::Elements(patch) }
    }
}

impl From<PatchSignals> for Event {
    fn from(patch: PatchSignals) -> Event {
        Event { id: None, retry: None, patch: Patch::Signals(patch) }
    }
}

/// A script to run in the browser, sent as a `<script>` element appended to `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The JavaScript source.
    pub source: String,
    /// Remove the element once it ran (`data-effect="el.remove()"`); on by default.
    pub auto_remove: bool,
    /// Extra attributes written on the `<script>` tag, in order.
    pub attributes: Vec<(String, String)>,
}

impl Script {
    /// A self-removing script with no extra attributes.
    pub fn new(source: impl Into<String>) -> Script {
        Script { source: source.into(), auto_remove: true, attributes: Vec::new() }
    }

    /// The `datastar-patch-elements` event that runs it.
    pub fn into_event(self) -> Event {
        let mut tag = String::from("<script");
        for (name, value) in &self.attributes {
            tag.push(' ');
            tag.push_str(name);
            tag.push_str("=\"");
            tag.push_str(&escape_attribute(value));
            tag.push('"');
        }
        if self.auto_remove {
            tag.push_str(" data-effect=\"el.remove()\"");
        }
        tag.push('>');
        tag.push_str(&self.source);
        tag.push_str("</script>");
        Event::from(PatchElements {
            elements: tag,
            selector: Some("body".into()),
            mode: Mode::Append,
            ..PatchElements::default()
        })
    }
}

fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

impl Mode {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Outer => "outer",
            Mode::Inner => "inner",
            Mode::Replace => "replace",
            Mode::Prepend => "prepend",
            Mode::Append => "append",
            Mode::Before => "before",
            Mode::After => "after",
            Mode::Remove => "remove",
        }
    }

    /// Parses a wire name (`outer`, `inner`, …).
    pub fn parse(name: &str) -> Option<Mode> {
        [Mode::Outer, Mode::Inner, Mode::Replace, Mode::Prepend, Mode::Append, Mode::Before, Mode::After, Mode::Remove]
            .into_iter()
            .find(|mode| mode.as_str() == name)
    }
}

impl Namespace {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Html => "html",
            Namespace::Svg => "svg",
            Namespace::MathMl => "mathml",
        }
    }

    /// Parses a wire name (`html`, `svg`, `mathml`).
    pub fn parse(name: &str) -> Option<Namespace> {
        [Namespace::Html, Namespace::Svg, Namespace::MathMl].into_iter().find(|namespace| namespace.as_str() == name)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
