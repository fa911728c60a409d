//! The conformance cases: where they are, what they hold, and the request each one makes.
//!
//! A case is a folder `<name>/` with `input.json` (the signals to send, whose `events` array
//! says what to answer) and `output.txt` (the expected `text/event-stream` body). `GET` cases
//! send the input as the `datastar` query parameter, `POST` cases as the JSON body.
//!
//! The official cases are not part of this repository: they are read from where they are,
//! found by [`official_folder`]. Our own cases, for what the official ones predate, live in
//! `examples/conformance/cases/{get,post}/`.

use std::fmt;
use std::path::{Path, PathBuf};

use bytes::Bytes;

/// The variable naming the folder of the official cases (it holds `get-cases/` and `post-cases/`).
pub(crate) const ENV: &str = "DATASTAR_SDK_TESTS";

/// Every official `GET` case; a folder missing one of them fails the suite.
pub(crate) const OFFICIAL_GET: [&str; 19] = [
    "executeScriptWithAllOptions",
    "executeScriptWithDefaults",
    "executeScriptWithMultilineScript",
    "executeScriptWithoutDefaults",
    "patchElementsWithAllOptions",
    "patchElementsWithDefaults",
    "patchElementsWithMultilineElements",
    "patchElementsWithoutDefaults",
    "patchSignalsWithAllOptions",
    "patchSignalsWithDefaults",
    "patchSignalsWithMultilineJson",
    "patchSignalsWithMultilineSignals",
    "patchSignalsWithoutDefaults",
    "removeElementsWithAllOptions",
    "removeElementsWithDefaults",
    "removeElementsWithoutDefaults",
    "removeSignalsWithAllOptions",
    "removeSignalsWithDefaults",
    "sendTwoEvents",
];

/// Every official `POST` case.
pub(crate) const OFFICIAL_POST: [&str; 1] = ["readSignalsFromBody"];

/// Our own `GET` cases, for the Datastar 1.0.4 options (`namespace`, `viewTransitionSelector`).
pub(crate) const OWN_GET: [&str; 6] = [
    "patchElementsWithAllOptionsIncludingNew",
    "patchElementsWithNamespaceHtmlIsOmitted",
    "patchElementsWithNamespaceMathml",
    "patchElementsWithNamespaceSvg",
    "patchElementsWithViewTransitionSelector",
    "patchElementsWithViewTransitionSelectorWithoutViewTransition",
];

/// How a case sends its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// `GET /test?datastar=<input>`.
    Get,
    /// `POST /test` with the input as the body.
    Post,
}

/// One case, read from its folder.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) method: Method,
    pub(crate) folder: PathBuf,
    /// `input.json`, as it is.
    pub(crate) input: String,
    /// `output.txt`, as it is.
    pub(crate) expected: String,
}

impl Case {
    /// The request the conformance README prescribes for this case, to the server at `base`
    /// (`http://127.0.0.1:port`).
    pub(crate) fn request(&self, base: &str) -> http::Request<Bytes> {
        let builder = http::Request::builder().header("accept", "text/event-stream").header("datastar-request", "true");
        let request = match self.method {
            Method::Get => builder
                .method(http::Method::GET)
                .uri(format!("{base}/test?datastar={}", encode_component(&self.input)))
                .body(Bytes::new()),
            Method::Post => builder
                .method(http::Method::POST)
                .uri(format!("{base}/test"))
                .header("content-type", "application/json")
                .body(Bytes::from(self.input.clone())),
        };
        request.unwrap_or_else(|error| panic!("case `{self}` makes an invalid request: {error}"))
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = match self.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        write!(f, "{method} {}", self.name)
    }
}

/// A place the official cases may be.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// How the place is named in messages.
    pub(crate) label: String,
    /// The folder, when the place names one (an unset variable does not).
    pub(crate) folder: Option<PathBuf>,
}

/// Where the official cases are looked for, in order: `$DATASTAR_SDK_TESTS`, then
/// `<workspace root>/../shared/datastar-sdk-tests`, then `/work/shared/datastar-sdk-tests`.
pub(crate) fn candidates() -> Vec<Candidate> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    vec![
        Candidate { label: format!("`${ENV}`"), folder: std::env::var_os(ENV).map(PathBuf::from) },
        Candidate {
            label: "the workspace's sibling `shared/` folder".to_owned(),
            folder: Some(workspace.join("../shared/datastar-sdk-tests")),
        },
        Candidate {
            label: "the default location".to_owned(),
            folder: Some(PathBuf::from("/work/shared/datastar-sdk-tests")),
        },
    ]
}

/// The first candidate folder that exists, or a message saying where it looked and what to set.
pub(crate) fn first_existing(candidates: &[Candidate]) -> Result<PathBuf, String> {
    if let Some(folder) = candidates.iter().filter_map(|c| c.folder.as_ref()).find(|folder| folder.is_dir()) {
        return Ok(folder.clone());
    }
    let mut message = String::from("cannot find the official Datastar SDK conformance cases; looked in:\n");
    for candidate in candidates {
        match &candidate.folder {
            Some(folder) => {
                message.push_str(&format!("  - {}: `{}` does not exist\n", candidate.label, folder.display()))
            }
            None => message.push_str(&format!("  - {}: not set\n", candidate.label)),
        }
    }
    message.push_str(&format!(
        "set `{ENV}` to the folder holding `get-cases/` and `post-cases/` (a copy of the `sdk/tests/golden` \
         cases of starfederation/datastar)"
    ));
    Err(message)
}

/// The folder of the official cases.
///
/// # Panics
/// When none of the [`candidates`] exists, saying where it looked and what to set.
pub(crate) fn official_folder() -> PathBuf {
    first_existing(&candidates()).unwrap_or_else(|message| panic!("{message}"))
}

/// The official cases under `folder`: `get-cases/*` and `post-cases/*`.
pub(crate) fn official(folder: &Path) -> Vec<Case> {
    let mut cases = load(&folder.join("get-cases"), Method::Get);
    cases.extend(load(&folder.join("post-cases"), Method::Post));
    cases
}

/// The folder of our own cases.
pub(crate) fn own_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

/// Our own cases under `folder`: `get/*` and `post/*`.
pub(crate) fn own(folder: &Path) -> Vec<Case> {
    let mut cases = load(&folder.join("get"), Method::Get);
    cases.extend(load(&folder.join("post"), Method::Post));
    cases
}

/// Every case folder directly under `folder`, sorted by name; none when `folder` does not exist
/// (the completeness check then names what is missing).
///
/// # Panics
/// When a case folder lacks `input.json` or `output.txt`, or a file cannot be read.
pub(crate) fn load(folder: &Path, method: Method) -> Vec<Case> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for entry in entries {
        let entry = entry.unwrap_or_else(|error| panic!("cannot list `{}`: {error}", folder.display()));
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let read = |file: &str| {
            std::fs::read_to_string(path.join(file)).unwrap_or_else(|error| {
                panic!(
                    "cannot read `{}` ({error}): every case folder holds `input.json` and `output.txt`",
                    path.join(file).display()
                )
            })
        };
        cases.push(Case {
            name: entry.file_name().to_string_lossy().into_owned(),
            method,
            input: read("input.json"),
            expected: read("output.txt"),
            folder: path,
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The names of `required` that `cases` (for `method`) lacks.
pub(crate) fn missing(cases: &[Case], method: Method, required: &[&str]) -> Vec<String> {
    required
        .iter()
        .filter(|name| !cases.iter().any(|case| case.method == method && case.name == **name))
        .map(|name| (*name).to_owned())
        .collect()
}

/// `text` percent-encoded for a query value: everything but `A-Z a-z 0-9 - _ . ~`.
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
