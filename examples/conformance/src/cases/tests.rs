use orion::datastar::{Event, Mode, Namespace, PatchElements, PatchSignals, Script, Signals};
use serde_json::json;

use super::{Malformed, events};

#[track_caller]
fn check(signals: serde_json::Value, expected: Result<Vec<Event>, Vec<&str>>) {
    let serde_json::Value::Object(signals) = signals else { panic!("the signals of a check are an object") };
    let signals: Signals = signals;
    let expected =
        expected.map_err(|problems| Malformed { problems: problems.into_iter().map(String::from).collect() });
    assert_eq!(events(&signals), expected);
}

#[test]
fn absent_fields_are_orion_defaults() {
    check(
        json!({"events": [
            {"type": "patchElements", "elements": "<div>Merge</div>"},
            {"type": "patchSignals", "signals": {"one": 1}},
            {"type": "executeScript", "script": "console.log('hello');"},
        ]}),
        Ok(vec![
            Event::patch_elements("<div>Merge</div>"),
            Event::patch_signals("{\"one\":1}"),
            Script::new("console.log('hello');").into_event(),
        ]),
    );
}

#[test]
fn every_patch_elements_option_maps_onto_its_field() {
    check(
        json!({"events": [{
            "type": "patchElements",
            "elements": "<circle r=\"1\"/>",
            "selector": "#chart",
            "mode": "inner",
            "namespace": "svg",
            "useViewTransition": true,
            "viewTransitionSelector": "#main",
            "eventId": "event1",
            "retryDuration": 2000,
        }]}),
        Ok(vec![
            Event::from(PatchElements {
                elements: "<circle r=\"1\"/>".into(),
                selector: Some("#chart".into()),
                mode: Mode::Inner,
                namespace: Namespace::Svg,
                use_view_transition: true,
                view_transition_selector: Some("#main".into()),
            })
            .with_id("event1")
            .with_retry(2000),
        ]),
    );
}

#[test]
fn a_removal_has_no_elements() {
    check(
        json!({"events": [{"type": "patchElements", "selector": "#target", "mode": "remove"}]}),
        Ok(vec![Event::remove("#target")]),
    );
}

#[test]
fn signals_are_compact_json_and_signals_raw_is_sent_as_it_is() {
    check(
        json!({"events": [
            {"type": "patchSignals", "signals": {"two": {"alpha": null}, "one": "first\n signal"}, "onlyIfMissing": true},
            {"type": "patchSignals", "signals-raw": "{\n\"one\": 1}", "signals": {"ignored": true}},
        ]}),
        Ok(vec![
            Event::from(PatchSignals {
                signals: "{\"one\":\"first\\n signal\",\"two\":{\"alpha\":null}}".into(),
                only_if_missing: true,
            }),
            Event::patch_signals("{\n\"one\": 1}"),
        ]),
    );
}

#[test]
fn execute_script_options_map_onto_the_script() {
    check(
        json!({"events": [{
            "type": "executeScript",
            "script": "console.log('hello');",
            "autoRemove": false,
            "attributes": {"type": "text/javascript", "blocking": "false"},
            "eventId": "event1",
            "retryDuration": 2000,
        }]}),
        Ok(vec![
            Script {
                source: "console.log('hello');".into(),
                auto_remove: false,
                attributes: vec![("blocking".into(), "false".into()), ("type".into(), "text/javascript".into())],
            }
            .into_event()
            .with_id("event1")
            .with_retry(2000),
        ]),
    );
}

#[test]
fn a_request_without_an_events_array_is_refused() {
    check(
        json!({"other": 1}),
        Err(vec!["the signals have no `events` array: send `{\"events\": [...]}` listing the events to answer with"]),
    );
    check(
        json!({"events": {"type": "patchElements"}}),
        Err(vec!["`events` must be an array of event entries, found an object: send `{\"events\": [...]}`"]),
    );
}

#[test]
fn every_problem_is_reported_with_its_entry_index_and_field() {
    check(
        json!({"events": [
            {"type": "patchElements", "elements": "<div>ok</div>"},
            {"type": "mergeFragments"},
            {"type": "patchElements", "mode": "sideways", "useViewTransition": "yes", "retryDuration": 1.5},
            "patchSignals",
            {"type": "patchSignals", "signals": [1], "eventId": 7},
            {"type": "executeScript", "script": "x()", "attributes": {"defer": true}, "autoremove": false},
            {"elements": "<div></div>"},
            {"type": "patchSignals"},
        ]}),
        Err(vec![
            "`events[1].type`: unknown type `mergeFragments`: use `patchElements`, `patchSignals` or `executeScript`",
            "`events[2].mode`: unknown value `sideways`: use `outer`, `inner`, `replace`, `prepend`, `append`, \
             `before`, `after` or `remove`",
            "`events[2].useViewTransition`: must be `true` or `false`, found a string",
            "`events[2].retryDuration`: must be a whole number of milliseconds, found `1.5`",
            "`events[3]`: must be an object with a `type`, found a string",
            "`events[4].signals`: must be a JSON object, found an array",
            "`events[4].eventId`: must be a string, found `7`",
            "`events[5].autoremove`: unknown field: fix its spelling or remove it (known: `script`, `autoRemove`, \
             `attributes`, `eventId`, `retryDuration`)",
            "`events[5].attributes.defer`: must be a string, found `true`",
            "`events[6].type`: missing: add `\"type\"` (`patchElements`, `patchSignals` or `executeScript`)",
            "`events[7].signals`: missing: add `signals` (an object) or `signals-raw` (text)",
        ]),
    );
}

#[test]
fn a_negative_retry_and_an_unknown_namespace_are_refused() {
    check(
        json!({"events": [{"type": "patchElements", "namespace": "xml", "retryDuration": -1}]}),
        Err(vec![
            "`events[0].namespace`: unknown value `xml`: use `html`, `svg` or `mathml`",
            "`events[0].retryDuration`: must be a whole number of milliseconds, found `-1`",
        ]),
    );
}
