//! Line ends: a course checked out on Windows with git's `core.autocrlf`
//! has `\r\n` where the repository has `\n`. What the tool compares, diffs
//! and generates follows the file's own line ends, so such a checkout
//! behaves as any other.

use std::borrow::Cow;

/// The line end a text uses: `"\r\n"` if it has any, else `"\n"`.
pub fn of(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// `text` with every `\r\n` made `\n`.
pub fn to_lf(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") { Cow::Owned(text.replace("\r\n", "\n")) } else { Cow::Borrowed(text) }
}

/// `text` (whatever its line ends) with the line end `eol`.
pub fn to(text: &str, eol: &str) -> String {
    let lf = to_lf(text);
    if eol == "\n" { lf.into_owned() } else { lf.replace('\n', eol) }
}

/// Whether two files hold the same bytes, or the same text but for line
/// ends (a file of a Windows checkout against the course's).
pub fn same_file(a: &[u8], b: &[u8]) -> bool {
    a == b
        || match (std::str::from_utf8(a), std::str::from_utf8(b)) {
            (Ok(a), Ok(b)) => to_lf(a) == to_lf(b),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_are_found_and_converted_both_ways() {
        assert_eq!(of("a\r\nb\r\n"), "\r\n");
        assert_eq!(of("a\nb\n"), "\n");
        assert_eq!(to_lf("a\r\nb\n"), "a\nb\n");
        assert_eq!(to("a\nb\r\n", "\r\n"), "a\r\nb\r\n");
        assert_eq!(to("a\r\nb\r\n", "\n"), "a\nb\n");
    }

    #[test]
    fn files_differing_only_in_line_ends_are_the_same() {
        assert!(same_file(b"a\r\nb\r\n", b"a\nb\n"));
        assert!(!same_file(b"a\r\nc\r\n", b"a\nb\n"));
        assert!(!same_file(b"\xff\r\n", b"\xff\n"), "bytes that are not text compare as bytes");
    }
}
