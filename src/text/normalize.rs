//! Text normalization: the one place that decides what a "clean" character
//! stream looks like. Every output line sapu writes went through here.
//!
//! Policy (see the README):
//! - CRLF and lone CR become LF;
//! - Unicode NFC;
//! - tab, no-break space and the other Unicode space separators become a
//!   plain space;
//! - zero-width space, word joiner, BOM, soft hyphen and control characters
//!   are removed (ZWJ/ZWNJ stay: they change meaning in Persian and Indic
//!   scripts and in emoji sequences);
//! - lines are trimmed, runs of spaces collapse to one;
//! - curly quotes, dashes and ellipses are left as they are.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::char_at;

/// What normalization does to one character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Keep,
    Space,
    Remove,
    Newline,
}

fn classify(c: char) -> CharClass {
    match c {
        '\n' => CharClass::Newline,
        ' ' | '\t' => CharClass::Space,
        // ASCII fast path: printable characters are kept.
        '\u{21}'..='\u{7e}' => CharClass::Keep,
        // NEL ends a line; the other C0/C1 controls are noise.
        '\u{85}' => CharClass::Newline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => CharClass::Remove,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            CharClass::Space
        }
        // Line and paragraph separators end a line like LF does.
        '\u{2028}' | '\u{2029}' => CharClass::Newline,
        '\u{ad}' | '\u{180e}' | '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{fffe}' => {
            CharClass::Remove
        }
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            // Bidi controls are invisible formatting; they break matching.
            CharClass::Remove
        }
        _ => CharClass::Keep,
    }
}

/// Normalizes `input` into `out` (cleared first): one output line per input
/// line, each trimmed and with inner space runs collapsed, joined by `\n`.
/// Blank lines are kept (as empty lines) so that the caller still sees
/// paragraph structure; collapsing them is the printer's job.
pub fn normalize_into(input: &str, out: &mut String) {
    out.clear();
    out.reserve(input.len());
    if !push_inert(input, out) {
        out.clear();
        if is_nfc_quick(input.chars()) == IsNormalized::Yes {
            push_str(input, out);
        } else {
            push_chars(input.nfc(), out);
        }
    }
    // Drop trailing spaces of the last line.
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Convenience form of [`normalize_into`].
pub fn normalize(input: &str) -> String {
    let mut out = String::new();
    normalize_into(input, &mut out);
    out
}

/// Line-by-line state of normalization.
#[derive(Default)]
struct Normalizer {
    /// A space seen after some text on this line; written only if more
    /// text follows, which trims line ends and collapses runs.
    pending_space: bool,
    line_has_text: bool,
    prev_cr: bool,
}

impl Normalizer {
    fn push(&mut self, c: char, out: &mut String) {
        let class = if c == '\r' {
            self.prev_cr = true;
            CharClass::Newline
        } else {
            let was_cr = self.prev_cr;
            self.prev_cr = false;
            if c == '\n' && was_cr {
                // The CR already ended the line.
                return;
            }
            classify(c)
        };
        match class {
            CharClass::Keep => {
                if self.pending_space {
                    out.push(' ');
                    self.pending_space = false;
                }
                out.push(c);
                self.line_has_text = true;
            }
            CharClass::Space => {
                if self.line_has_text {
                    self.pending_space = true;
                }
            }
            CharClass::Remove => {}
            CharClass::Newline => {
                out.push('\n');
                self.pending_space = false;
                self.line_has_text = false;
            }
        }
    }

    /// Copies a run of printable ASCII (kept as it is) in one go.
    fn push_run(&mut self, run: &str, out: &mut String) {
        if self.pending_space {
            out.push(' ');
            self.pending_space = false;
        }
        out.push_str(run);
        self.line_has_text = true;
        self.prev_cr = false;
    }
}

fn push_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut n = Normalizer::default();
    for c in chars {
        n.push(c, out);
    }
}

/// The same as [`push_chars`] over text already in NFC, with runs of
/// printable ASCII copied whole.
fn push_str(input: &str, out: &mut String) {
    let bytes = input.as_bytes();
    let printable = |b: u8| (0x21..=0x7e).contains(&b);
    let mut n = Normalizer::default();
    let mut i = 0;
    while i < bytes.len() {
        if printable(bytes[i]) {
            let start = i;
            while i < bytes.len() && printable(bytes[i]) {
                i += 1;
            }
            n.push_run(&input[start..i], out);
        } else {
            // `i` is always on a character boundary: runs end before a
            // non-ASCII byte, and characters are consumed whole.
            let Some(c) = input[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            n.push(c, out);
        }
    }
}

/// A character that leaves the NFC quick check of any text at `Yes`: it is
/// allowed in NFC and a starter (canonical combining class 0), so it can
/// neither be recomposed nor break the order of combining marks. Latin-1,
/// Latin Extended and General Punctuation (but for the two quads, which are
/// singletons) need no table look-up.
#[inline]
fn nfc_inert(c: char) -> bool {
    c < '\u{300}'
        || ('\u{2002}'..='\u{206f}').contains(&c)
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// The end of the run of text starting at byte `i` that normalization
/// copies as it is: characters kept as they are (and inert for NFC), with
/// single spaces between them. `i` itself when no such run starts there.
#[inline]
fn copied_run_end(input: &str, start: usize) -> usize {
    let bytes = input.as_bytes();
    let n = bytes.len();
    let mut i = start;
    // The end of the run so far: after its last kept character.
    let mut end = start;
    while i < n {
        let b = bytes[i];
        if (0x21..=0x7e).contains(&b) {
            i += 1;
        } else if b >= 0x80 {
            let (c, len) = char_at(input, i);
            if classify(c) != CharClass::Keep || !nfc_inert(c) {
                break;
            }
            i += len;
        } else if b == b' ' && end == i && end > start {
            // One space after a kept character: part of the run if a kept
            // character follows it.
            i += 1;
            continue;
        } else {
            break;
        }
        end = i;
    }
    end
}

/// The same as [`push_str`] for text whose characters are all
/// [`nfc_inert`] (then it is in NFC, and normalizing copies most of it
/// in runs). Returns false, having written part of it, at the first
/// character that is not.
fn push_inert(input: &str, out: &mut String) -> bool {
    let bytes = input.as_bytes();
    let mut n = Normalizer::default();
    let mut i = 0;
    while i < bytes.len() {
        let end = copied_run_end(input, i);
        if end > i {
            n.push_run(&input[i..end], out);
            i = end;
            continue;
        }
        let b = bytes[i];
        if b < 0x80 {
            n.push(char::from(b), out);
            i += 1;
        } else {
            let (c, len) = char_at(input, i);
            if !nfc_inert(c) {
                return false;
            }
            n.push(c, out);
            i += len;
        }
    }
    true
}

/// Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD.
/// Returns the text and the number of invalid bytes replaced.
pub fn decode_lossy(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, usize) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), 0),
        Err(_) => {
            let mut replaced = 0usize;
            let mut out = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                let invalid = chunk.invalid();
                if !invalid.is_empty() {
                    replaced += invalid.len();
                    out.push('\u{fffd}');
                }
            }
            (std::borrow::Cow::Owned(out), replaced)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_collapses_spaces() {
        assert_eq!(normalize("  a   b \t c  \n d "), "a b c\nd");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(normalize("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn unicode_spaces_and_zero_width() {
        assert_eq!(
            normalize("a\u{a0}\u{a0}b\u{200b}c\u{feff}\u{2009}d\u{a0}"),
            "a bc d"
        );
    }

    #[test]
    fn control_chars_removed_but_zwj_kept() {
        assert_eq!(normalize("a\u{7}b\u{1b}c"), "abc");
        assert_eq!(normalize("\u{200d}x"), "\u{200d}x");
    }

    #[test]
    fn nfc_applied() {
        assert_eq!(normalize("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn quotes_and_dashes_untouched() {
        let s = "“Kami” – ‘x’ …";
        assert_eq!(normalize(s), s);
    }

    #[test]
    fn lossy_decode_counts_bytes() {
        let (s, n) = decode_lossy(b"ab\xff\xfecd");
        assert_eq!(n, 2);
        assert!(s.contains('\u{fffd}'));
        let (s, n) = decode_lossy("ok".as_bytes());
        assert_eq!((s.as_ref(), n), ("ok", 0));
    }

    /// The reference: the quick check over the whole text, then the
    /// character-by-character paths.
    fn reference(input: &str) -> String {
        let mut out = String::new();
        if is_nfc_quick(input.chars()) == IsNormalized::Yes {
            push_str(input, &mut out);
        } else {
            push_chars(input.nfc(), &mut out);
        }
        while out.ends_with(' ') {
            out.pop();
        }
        out
    }

    #[test]
    fn fast_path_matches_reference() {
        let pieces = [
            "a",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\u{a0}",
            "\u{200b}",
            "“",
            "—",
            "é",
            "e\u{301}",
            "\u{301}",
            "\u{2000}",
            "\u{2126}",
            "\u{85}",
            "\u{2028}",
            "\u{7}",
            "한",
            "\u{1100}\u{1161}",
        ];
        // Every sequence of up to three pieces.
        let mut inputs = vec![String::new()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for s in &inputs {
                for p in pieces {
                    next.push(format!("{s}{p}"));
                }
            }
            inputs.extend(next);
            inputs.sort();
            inputs.dedup();
        }
        for s in &inputs {
            assert_eq!(normalize(s), reference(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_matches_reference_on_random_text(
            s in "[a-z \\t\\r\\n\u{a0}\u{200b}\u{2000}\u{2126}\u{85}\u{2028}\u{301}\u{308}“—é한\u{1100}\u{1161}ё\u{7}\u{feff}]{0,24}"
        ) {
            proptest::prop_assert_eq!(normalize(&s), reference(&s));
        }
    }

    #[test]
    fn inert_ranges_hold() {
        for c in ('\u{80}'..'\u{300}').chain('\u{2002}'..='\u{206f}') {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
    }

    #[test]
    fn idempotent_on_samples() {
        for s in ["a\u{a0} b\r\n\r\n c", "\u{feff}x  y\t", "e\u{301}\u{200b}"] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once);
        }
    }
}
