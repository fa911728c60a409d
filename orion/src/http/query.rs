//! Query strings and percent-encoding, as browsers write them.

/// The first value of `name` in a query string, decoded (`+` reads as a space).
pub fn param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key, true).as_deref() == Some(name)).then(|| decode(value, true)).flatten()
    })
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`); `None` when the result is
/// not UTF-8 or an escape is malformed.
pub fn decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes `text` for use as one path segment or query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{decode, encode, param};

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(decode("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(decode("%2e%2E", false).as_deref(), Some(".."));
        assert_eq!(decode("%zz", false), None);
        assert_eq!(decode("%4", false), None);
        assert_eq!(decode("%ff", false), None);
    }

    #[test]
    fn finds_the_first_value_of_a_parameter() {
        assert_eq!(param("a=1&b=2&a=3", "a").as_deref(), Some("1"));
        assert_eq!(param("flag&b=2", "flag").as_deref(), Some(""));
        assert_eq!(param("b=2", "a"), None);
    }

    #[test]
    fn encoding_round_trips() {
        let text = "a/b c?d=é";
        assert_eq!(decode(&encode(text), false).as_deref(), Some(text));
    }
}
