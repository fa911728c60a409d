use super::normalize;

#[track_caller]
fn check(html: &str, expected: &str) {
    assert_eq!(normalize(html), expected);
}

#[track_caller]
fn same(a: &str, b: &str) {
    assert_eq!(normalize(a), normalize(b), "`{a}` and `{b}` should compare equal");
}

#[track_caller]
fn different(a: &str, b: &str) {
    assert_ne!(normalize(a), normalize(b), "`{a}` and `{b}` should compare different");
}

#[test]
fn start_tags_are_written_with_sorted_attributes() {
    check(
        r#"<script type="text/javascript" blocking="false">console.log('hello');</script>"#,
        r#"<script blocking="false" type="text/javascript">console.log('hello');</script>"#,
    );
    check(r#"<circle  r='5' cx=10 id="c1"/>"#, r#"<circle cx="10" id="c1" r="5"/>"#);
    check("<input disabled type=checkbox>", r#"<input disabled type="checkbox">"#);
    check(r#"<div title='say "hi"' >x</ div >"#, r#"<div title="say &quot;hi&quot;">x</div>"#);
}

#[test]
fn text_comments_and_raw_text_are_kept_as_they_are() {
    check("a < b <!-- <z b a> --> <p>1 &lt; 2</p>", "a < b <!-- <z b a> --> <p>1 &lt; 2</p>");
    check("<script b a>if (a <b c>) {\n}</script><i y x>", "<script a b>if (a <b c>) {\n}</script><i x y>");
    check("<div", "<div");
}

#[test]
fn only_attribute_order_quoting_and_tag_whitespace_are_ignored() {
    same(r#"<div id="a" class="b">x</div>"#, r#"<div class='b'   id=a>x</div>"#);
    same(r#"<circle r="1"/>"#, r#"<circle r="1" />"#);
    different(r#"<div id="a">x</div>"#, r#"<div id="b">x</div>"#);
    different(r#"<div id="a">x</div>"#, r#"<div id="a">y</div>"#);
    different(r#"<div id="a">x</div>"#, r#"<span id="a">x</span>"#);
    different("<div>x</div>", "<div> x</div>");
    different("<p hidden>", "<p>");
    different("<div>\n<b></b>\n</div>", "<div>\n</div>\n<b></b>");
}
