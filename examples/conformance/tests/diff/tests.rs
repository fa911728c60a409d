use super::lines;

#[test]
fn shared_lines_are_kept_and_changes_marked() {
    assert_eq!(
        lines("event: a\ndata: mode inner\ndata: elements <b>\n", "event: a\ndata: elements <b>\ndata: mode outer \n"),
        "  event: a\n- data: mode inner\n  data: elements <b>\n+ data: mode outer·\n"
    );
}

#[test]
fn carriage_returns_are_visible() {
    assert_eq!(lines("x", "x\r"), "- x\n+ x␍\n");
}
