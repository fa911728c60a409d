use super::super::event::{Event, Mode, Namespace, PatchElements, PatchSignals, Script};
use super::{comment, to_bytes};

#[track_caller]
fn check(event: Event, expected: &str) {
    let actual = String::from_utf8(to_bytes(&event)).unwrap();
    assert_eq!(actual, expected);
}

#[test]
fn defaults_are_left_out() {
    check(
        Event::patch_elements("<div id=\"a\">x</div>"),
        "event: datastar-patch-elements\ndata: elements <div id=\"a\">x</div>\n\n",
    );
    check(
        Event::patch_signals("{\"a\":1}").with_retry(1000),
        "event: datastar-patch-signals\ndata: signals {\"a\":1}\n\n",
    );
}

#[test]
fn every_patch_elements_field_is_written_when_set() {
    let patch = PatchElements {
        elements: "<circle r=\"1\"/>".into(),
        selector: Some("#chart".into()),
        mode: Mode::Inner,
        namespace: Namespace::Svg,
        use_view_transition: true,
        view_transition_selector: Some("#main".into()),
    };
    check(
        Event::from(patch).with_id("7").with_retry(2500),
        "event: datastar-patch-elements\nid: 7\nretry: 2500\ndata: selector #chart\ndata: mode inner\n\
         data: namespace svg\ndata: useViewTransition true\ndata: viewTransitionSelector #main\n\
         data: elements <circle r=\"1\"/>\n\n",
    );
}

#[test]
fn multi_line_values_become_one_data_line_per_line_whatever_the_line_ending() {
    check(
        Event::patch_elements("<ul>\n<li>a</li>\r\n<li>b</li>\r</ul>"),
        "event: datastar-patch-elements\ndata: elements <ul>\ndata: elements <li>a</li>\n\
         data: elements <li>b</li>\ndata: elements </ul>\n\n",
    );
}

#[test]
fn an_id_cannot_break_the_event() {
    check(
        Event::patch_signals("{}").with_id("1\n\nevent: x"),
        "event: datastar-patch-signals\nid: 1event: x\ndata: signals {}\n\n",
    );
}

#[test]
fn only_if_missing_is_written_when_true() {
    let patch = PatchSignals { signals: "{\"a\":1}".into(), only_if_missing: true };
    check(Event::from(patch), "event: datastar-patch-signals\ndata: onlyIfMissing true\ndata: signals {\"a\":1}\n\n");
}

#[test]
fn remove_has_a_selector_and_no_elements() {
    check(Event::remove("#gone"), "event: datastar-patch-elements\ndata: selector #gone\ndata: mode remove\n\n");
}

#[test]
fn scripts_are_elements_appended_to_body() {
    check(
        Event::script("alert(1)"),
        "event: datastar-patch-elements\ndata: selector body\ndata: mode append\n\
         data: elements <script data-effect=\"el.remove()\">alert(1)</script>\n\n",
    );
    let script = Script {
        source: "x()".into(),
        auto_remove: false,
        attributes: vec![("type".into(), "module".into()), ("data-x".into(), "a\"b".into())],
    };
    check(
        script.into_event(),
        "event: datastar-patch-elements\ndata: selector body\ndata: mode append\n\
         data: elements <script type=\"module\" data-x=\"a&quot;b\">x()</script>\n\n",
    );
}

#[test]
fn comments_are_ignored_lines() {
    let mut out = Vec::new();
    comment("keep-alive", &mut out);
    assert_eq!(out, b": keep-alive\n\n");
}

#[test]
fn modes_and_namespaces_round_trip_through_their_wire_names() {
    for name in ["outer", "inner", "replace", "prepend", "append", "before", "after", "remove"] {
        assert_eq!(Mode::parse(name).unwrap().as_str(), name);
    }
    for name in ["html", "svg", "mathml"] {
        assert_eq!(Namespace::parse(name).unwrap().as_str(), name);
    }
    assert_eq!(Mode::parse("morph"), None);
}
