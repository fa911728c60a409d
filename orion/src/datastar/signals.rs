//! Reading the signals a Datastar request carries.
//!
//! Datastar sends the page's signals as a JSON object: in the `datastar` query parameter on
//! `GET` and `DELETE`, in the JSON body otherwise. A request without any (a plain browser
//! request) has none, which reads as an empty object. Anything else that is not a JSON object
//! is refused with a 400 whose message says where the signals were expected.

use http::Method;

use crate::http::query;
use crate::{Error, Result};

/// The signals of one request: a JSON object.
pub type Signals = serde_json::Map<String, serde_json::Value>;

/// Reads the signals of a request from its method, query string and body.
pub fn read(method: &Method, query_string: Option<&str>, body: &[u8]) -> Result<Signals> {
    if method == Method::GET || method == Method::DELETE || method == Method::HEAD {
        match query_string.and_then(|q| query::param(q, "datastar")) {
            Some(json) => parse(json.as_bytes(), "the `datastar` query parameter"),
            None => Ok(Signals::new()),
        }
    } else if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Signals::new())
    } else {
        parse(body, "the request body")
    }
}

fn parse(json: &[u8], place: &str) -> Result<Signals> {
    match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(signals)) => Ok(signals),
        Ok(other) => Err(Error::bad_request(format!(
            "malformed signals: {place} must hold a JSON object, found {}",
            kind(&other)
        ))),
        Err(error) => Err(Error::bad_request(format!("malformed signals: {place} is not valid JSON ({error})"))),
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
