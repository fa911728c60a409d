use super::differences;

/// An official expected output with every kind of line: fields, several groups, multi-line HTML.
const EXPECTED: &str = "event: datastar-patch-elements\n\
id: event1\n\
retry: 2000\n\
data: selector #feed\n\
data: mode inner\n\
data: elements <div id=\"feed\" class=\"list\">\n\
data: elements   <span>1</span>\n\
data: elements </div>\n\
\n\
event: datastar-patch-signals\n\
data: signals {\"one\":1}\n\
\n";

#[track_caller]
fn passes(actual: &str) {
    assert_eq!(differences(EXPECTED, actual), Vec::<String>::new());
}

#[track_caller]
fn fails(actual: &str, expected_problem: &str) {
    let problems = differences(EXPECTED, actual);
    assert!(
        problems.iter().any(|problem| problem.contains(expected_problem)),
        "expected a problem containing {expected_problem:?}, got {problems:#?}"
    );
}

#[test]
fn the_identical_text_passes() {
    passes(EXPECTED);
}

#[test]
fn swapped_mode_and_selector_lines_pass() {
    passes(&EXPECTED.replace("data: selector #feed\ndata: mode inner\n", "data: mode inner\ndata: selector #feed\n"));
}

#[test]
fn swapped_attribute_order_in_elements_passes() {
    passes(&EXPECTED.replace("<div id=\"feed\" class=\"list\">", "<div class=\"list\" id=\"feed\">"));
}

#[test]
fn crlf_line_ends_and_trailing_spaces_pass() {
    passes(&EXPECTED.replace("retry: 2000\n", "retry: 2000  \n").replace('\n', "\r\n"));
}

#[test]
fn a_missing_event_fails() {
    let first_only = &EXPECTED[..EXPECTED.find("event: datastar-patch-signals").unwrap()];
    fails(first_only, "expected 2 event(s), got 1");
    fails(first_only, "event 2: missing (`event: datastar-patch-signals`)");
}

#[test]
fn an_extra_event_fails() {
    fails(&format!("{EXPECTED}event: datastar-patch-signals\ndata: signals {{}}\n\n"), "event 3: not expected");
}

#[test]
fn an_extra_data_group_fails() {
    fails(
        &EXPECTED.replace("data: mode inner\n", "data: mode inner\ndata: useViewTransition true\n"),
        "event 1: unexpected `data: useViewTransition …`",
    );
}

#[test]
fn a_missing_data_group_fails() {
    fails(&EXPECTED.replace("data: selector #feed\n", ""), "event 1: missing `data: selector …`");
}

#[test]
fn a_changed_retry_fails() {
    fails(&EXPECTED.replace("retry: 2000", "retry: 3000"), "event 1: fields differ");
}

#[test]
fn an_extra_or_missing_field_fails() {
    fails(&EXPECTED.replace("retry: 2000\n", "retry: 2000\nid: again\n"), "event 1: fields differ");
    fails(&EXPECTED.replace("id: event1\n", ""), "event 1: fields differ");
    fails(&EXPECTED.replace("retry: 2000\n", "retry: 2000\n: keep-alive\n"), "event 1: fields differ");
}

#[test]
fn a_changed_element_text_fails() {
    fails(&EXPECTED.replace("<span>1</span>", "<span>2</span>"), "event 1: `data: elements` differs as HTML");
}

#[test]
fn reordered_lines_within_the_elements_group_fail() {
    fails(
        &EXPECTED.replace(
            "data: elements   <span>1</span>\ndata: elements </div>\n",
            "data: elements </div>\ndata: elements   <span>1</span>\n",
        ),
        "event 1: `data: elements` differs as HTML",
    );
}

#[test]
fn a_changed_signals_value_fails() {
    fails(&EXPECTED.replace("{\"one\":1}", "{\"one\": 1}"), "event 2: `data: signals` differs");
}

#[test]
fn an_unterminated_last_event_fails() {
    fails(EXPECTED.trim_end(), "event 2: not ended by a blank line");
}
