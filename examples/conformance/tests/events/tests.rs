use super::{SseEvent, parse};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn fields_are_kept_in_order_and_data_lines_grouped_by_first_word() {
    let events = parse(
        "event: datastar-patch-elements\nid: 1\ndata: elements <div>\ndata: mode inner\n\
         data: elements   <span>x</span>\ndata: elements </div>\n\n",
    );
    assert_eq!(
        events,
        vec![SseEvent {
            fields: vec![("event".into(), "datastar-patch-elements".into()), ("id".into(), "1".into())],
            data: vec![
                ("elements".into(), strings(&["<div>", "  <span>x</span>", "</div>"])),
                ("mode".into(), strings(&["inner"])),
            ],
            terminated: true,
        }]
    );
}

#[test]
fn blank_lines_split_events_and_an_unterminated_last_event_is_marked() {
    let events = parse("event: a\r\ndata: signals {}\r\n\r\n\n\nevent: b\ndata: signals {}");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].name(), "a");
    assert!(events[0].terminated);
    assert_eq!(events[1].name(), "b");
    assert!(!events[1].terminated);
}

#[test]
fn a_value_keeps_inner_and_trailing_spaces_but_field_values_are_trimmed() {
    let events = parse("event:  x  \nretry:2000\ndata: signals \"two\":  \ndata: flag\n\n");
    assert_eq!(events[0].fields, vec![("event".into(), "x".into()), ("retry".into(), "2000".into())]);
    assert_eq!(events[0].group("signals"), Some(&strings(&["\"two\":  "])[..]));
    assert_eq!(events[0].group("flag"), Some(&strings(&[""])[..]));
}
