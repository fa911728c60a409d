use serde_json::json;

use super::FieldErrors;
use super::rules::{field, length, range, trim};
use crate::datastar::Signals;

fn signals(value: serde_json::Value) -> Signals {
    value.as_object().cloned().unwrap()
}

#[test]
fn a_missing_field_is_required_and_a_wrong_type_says_what_was_expected() {
    let signals = signals(json!({"title": 5, "done": "yes"}));
    let mut errors = FieldErrors::new();
    assert_eq!(field::<String>(&signals, "title", &mut errors), None);
    assert_eq!(field::<bool>(&signals, "done", &mut errors), None);
    assert_eq!(field::<String>(&signals, "missing", &mut errors), None);
    assert_eq!(field::<Option<String>>(&signals, "optional", &mut errors), Some(None));
    assert_eq!(errors.get("title"), Some("expected a string"));
    assert_eq!(errors.get("done"), Some("expected a boolean"));
    assert_eq!(errors.get("missing"), Some("required"));
    assert!(!errors.has("optional"));
}

#[test]
fn length_counts_characters_after_trim() {
    let mut errors = FieldErrors::new();
    let mut title = "   ".to_owned();
    trim(&mut title);
    length("title", &title, Some(1), Some(200), &mut errors);
    assert_eq!(errors.get("title"), Some("required"));

    let mut errors = FieldErrors::new();
    length("title", &"é".repeat(200), Some(1), Some(200), &mut errors);
    assert!(errors.is_empty(), "200 characters (400 bytes) is within 1 to 200");
    length("title", &"x".repeat(201), Some(1), Some(200), &mut errors);
    assert_eq!(errors.get("title"), Some("must be 1 to 200 characters"));
}

#[test]
fn a_field_keeps_its_first_error() {
    let mut errors = FieldErrors::new();
    range("age", &200, Some(0), Some(150), &mut errors);
    range("age", &200, Some(0), Some(10), &mut errors);
    assert_eq!(errors.get("age"), Some("must be between 0 and 150"));
    assert_eq!(errors.to_string(), "age: must be between 0 and 150");
}
