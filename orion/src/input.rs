//! Command inputs: typed values read from a request's signals, then validated.
//!
//! Each field is read from the signal of the same name with serde, so a missing field, a wrong
//! type and a failed rule all become a [`FieldError`] on that field — never a 500. Every field
//! is checked (all errors are reported at once), and each field reports its first failure.
//!
//! `#[derive(Input)]` writes [`Input::from_signals`] from the struct's fields and their
//! `#[input(...)]` rules. The hand-written equivalent calls the functions of [`rules`]:
//!
//! ```
//! use orion::input::{FieldErrors, Input, rules};
//! use orion::datastar::Signals;
//!
//! pub struct NewTodo {
//!     pub title: String,
//! }
//!
//! impl Input for NewTodo {
//!     const FIELDS: &'static [&'static str] = &["title"];
//!
//!     fn from_signals(signals: &Signals) -> Result<NewTodo, FieldErrors> {
//!         let mut errors = FieldErrors::new();
//!         let title = rules::field::<String>(signals, "title", &mut errors).map(|mut title| {
//!             rules::trim(&mut title);
//!             rules::length("title", &title, Some(1), Some(200), &mut errors);
//!             title
//!         });
//!         match title {
//!             Some(title) if errors.is_empty() => Ok(NewTodo { title }),
//!             _ => Err(errors),
//!         }
//!     }
//! }
//! ```

use std::fmt;

use crate::datastar::Signals;

/// A value a command reads from the request's signals.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a request's signals",
    label = "this command input does not implement `orion::Input`",
    note = "derive it: `#[derive(orion::Input)]` on the struct (each field must implement `serde::Deserialize`)"
)]
pub trait Input: Sized {
    /// The signals this input reads, in field order: the fields of its form.
    const FIELDS: &'static [&'static str];

    /// Reads and validates the input, or reports every field that is wrong.
    fn from_signals(signals: &Signals) -> Result<Self, FieldErrors>;
}

/// One field's problem, with a message for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field (signal) name.
    pub field: String,
    /// What is wrong, for people: `required`, `must be 1 to 200 characters`, …
    pub message: String,
}

/// The problems of an input, at most one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    errors: Vec<FieldError>,
}

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Records `message` for `field`, unless the field already has an error.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.has(field) {
            self.errors.push(FieldError { field: field.to_owned(), message: message.into() });
        }
    }

    /// Whether `field` has an error.
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// The message for `field`, if it has an error.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.errors.iter()
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", error.field, error.message)?;
        }
        Ok(())
    }
}

/// The rules `#[derive(Input)]` expands to, for hand-written inputs.
pub mod rules {
    use std::fmt::Display;

    use serde::de::DeserializeOwned;

    use super::FieldErrors;
    use crate::datastar::Signals;

    /// Reads signal `name` as a `T`. A missing (or `null`) signal reads as `null`, so an
    /// `Option` field accepts it and any other type reports `required`.
    pub fn field<T: DeserializeOwned>(signals: &Signals, name: &str, errors: &mut FieldErrors) -> Option<T> {
        let value = signals.get(name).unwrap_or(&serde_json::Value::Null);
        match T::deserialize(value) {
            Ok(value) => Some(value),
            Err(_) if value.is_null() => {
                errors.add(name, "required");
                None
            }
            Err(error) => {
                errors.add(name, type_message(&error.to_string()));
                None
            }
        }
    }

    /// Turns serde's "invalid type: integer `5`, expected a string" into "expected a string".
    fn type_message(serde_message: &str) -> String {
        match serde_message.split_once(", expected ") {
            Some((_, expected)) => format!("expected {expected}"),
            None => serde_message.to_owned(),
        }
    }

    /// Removes leading and trailing whitespace.
    pub fn trim(value: &mut String) {
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
    }

    /// Text must not be empty.
    pub fn required(field: &str, value: &str, errors: &mut FieldErrors) {
        if value.is_empty() {
            errors.add(field, "required");
        }
    }

    /// Text length, in characters, within `min..=max`.
    pub fn length(field: &str, value: &str, min: Option<usize>, max: Option<usize>, errors: &mut FieldErrors) {
        let length = value.chars().count();
        let message = match (min, max) {
            (Some(1), _) if length == 0 => Some("required".to_owned()),
            (Some(min), Some(max)) if length < min || length > max => {
                Some(format!("must be {min} to {max} characters"))
            }
            (Some(min), None) if length < min => Some(format!("must be at least {min} characters")),
            (None, Some(max)) if length > max => Some(format!("must be at most {max} characters")),
            _ => None,
        };
        if let Some(message) = message {
            errors.add(field, message);
        }
    }

    /// A number within `min..=max`.
    pub fn range<T: PartialOrd + Display>(
        field: &str,
        value: &T,
        min: Option<T>,
        max: Option<T>,
        errors: &mut FieldErrors,
    ) {
        let message = match (&min, &max) {
            (Some(min), Some(max)) if value < min || value > max => Some(format!("must be between {min} and {max}")),
            (Some(min), None) if value < min => Some(format!("must be at least {min}")),
            (None, Some(max)) if value > max => Some(format!("must be at most {max}")),
            _ => None,
        };
        if let Some(message) = message {
            errors.add(field, message);
        }
    }

    /// A rule of the app's own: `Err(message)` reports `message`.
    pub fn custom<T: ?Sized>(
        field: &str,
        value: &T,
        rule: impl FnOnce(&T) -> Result<(), String>,
        errors: &mut FieldErrors,
    ) {
        if let Err(message) = rule(value) {
            errors.add(field, message);
        }
    }
}

#[cfg(test)]
mod tests;
