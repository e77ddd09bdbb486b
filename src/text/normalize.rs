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
//!
//! [`normalize_lines`] does it in the one pass over a document's bytes the
//! cleaner makes: it normalizes, cuts the lines and measures them (their
//! characters and spaces are counted as they are written). Most of a text
//! is printable ASCII with single spaces, which is copied as it is, eight
//! bytes at a time.

use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::char_at;
use super::features::{LineFeatures, measure_counted};

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
    normalize_with(input, out, &mut ());
}

/// Convenience form of [`normalize_into`].
pub fn normalize(input: &str) -> String {
    let mut out = String::new();
    normalize_into(input, &mut out);
    out
}

/// A document normalized, cut into lines and measured, in one pass (see
/// [`normalize_lines`]).
#[derive(Clone, Debug, Default)]
pub struct NormalizedLines {
    /// The normalized text, as [`normalize`] gives it.
    pub text: String,
    /// Where each line of `text` is (without its `\n`).
    pub lines: Vec<Range<usize>>,
    /// Each line's measurements, as [`super::features::measure`] gives them.
    pub feats: Vec<LineFeatures>,
}

/// Normalizes `input` into `out` (cleared first), its lines cut and
/// measured as they are written.
pub fn normalize_lines(input: &str, out: &mut NormalizedLines) {
    let NormalizedLines { text, lines, feats } = out;
    // Scraped text has a line every 64 bytes or so.
    lines.reserve(input.len() / 64 + 1);
    feats.reserve(input.len() / 64 + 1);
    normalize_with(input, text, &mut LineSink { lines, feats });
}

/// Where the normalizer reports each line it finished: the text written
/// so far, where the line is in it, and its characters and spaces.
trait Lines {
    fn line(&mut self, text: &str, range: Range<usize>, chars: usize, spaces: usize);
    /// Forgets the lines reported (the text is being written again).
    fn clear(&mut self);
}

/// No lines wanted: normalization alone.
impl Lines for () {
    #[inline]
    fn line(&mut self, _: &str, _: Range<usize>, _: usize, _: usize) {}
    fn clear(&mut self) {}
}

/// The lines of a [`NormalizedLines`].
struct LineSink<'a> {
    lines: &'a mut Vec<Range<usize>>,
    feats: &'a mut Vec<LineFeatures>,
}

impl Lines for LineSink<'_> {
    #[inline]
    fn line(&mut self, text: &str, range: Range<usize>, chars: usize, spaces: usize) {
        // Normalized lines have single spaces between words, and none at
        // either end.
        let words = if range.is_empty() { 0 } else { spaces + 1 };
        self.feats
            .push(measure_counted(&text[range.clone()], chars, words));
        self.lines.push(range);
    }

    fn clear(&mut self) {
        self.lines.clear();
        self.feats.clear();
    }
}

fn normalize_with(input: &str, out: &mut String, lines: &mut impl Lines) {
    out.clear();
    lines.clear();
    out.reserve(input.len());
    let mut n = Normalizer::default();
    if !push_inert(input, &mut n, out, lines) {
        out.clear();
        lines.clear();
        n = Normalizer::default();
        if is_nfc_quick(input.chars()) == IsNormalized::Yes {
            push_str(input, &mut n, out, lines);
        } else {
            for c in input.nfc() {
                n.push(c, out, lines);
            }
        }
    }
    n.finish(out, lines);
}

/// Line-by-line state of normalization.
#[derive(Default)]
struct Normalizer {
    /// A space seen after some text on this line; written only if more
    /// text follows, which trims line ends and collapses runs.
    pending_space: bool,
    line_has_text: bool,
    prev_cr: bool,
    /// Where the current line starts in the output, and the characters
    /// and spaces written on it so far.
    line_start: usize,
    chars: usize,
    spaces: usize,
}

impl Normalizer {
    #[inline]
    fn write_pending_space(&mut self, out: &mut String) {
        if self.pending_space {
            out.push(' ');
            self.pending_space = false;
            self.chars += 1;
            self.spaces += 1;
        }
    }

    fn push(&mut self, c: char, out: &mut String, lines: &mut impl Lines) {
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
                self.write_pending_space(out);
                out.push(c);
                self.chars += 1;
                self.line_has_text = true;
            }
            CharClass::Space => {
                if self.line_has_text {
                    self.pending_space = true;
                }
            }
            CharClass::Remove => {}
            CharClass::Newline => {
                self.end_line(out, lines);
                out.push('\n');
                self.line_start = out.len();
                self.pending_space = false;
                self.line_has_text = false;
            }
        }
    }

    /// Copies a run of kept characters (with single spaces between them)
    /// as it is: `chars` characters, `spaces` of them spaces.
    #[inline]
    fn push_run(&mut self, run: &str, chars: usize, spaces: usize, out: &mut String) {
        self.write_pending_space(out);
        out.push_str(run);
        self.chars += chars;
        self.spaces += spaces;
        self.line_has_text = true;
        self.prev_cr = false;
    }

    fn end_line(&mut self, out: &str, lines: &mut impl Lines) {
        lines.line(out, self.line_start..out.len(), self.chars, self.spaces);
        self.chars = 0;
        self.spaces = 0;
    }

    fn finish(mut self, out: &mut String, lines: &mut impl Lines) {
        // Drop trailing spaces of the last line (a pending space is never
        // written, so there are none; kept for safety).
        while out.len() > self.line_start && out.ends_with(' ') {
            out.pop();
            self.chars -= 1;
            self.spaces -= 1;
        }
        self.end_line(out, lines);
    }
}

/// The same as pushing each character of `input`, over text already in
/// NFC, with runs of printable ASCII copied whole.
fn push_str(input: &str, n: &mut Normalizer, out: &mut String, lines: &mut impl Lines) {
    let bytes = input.as_bytes();
    let printable = |b: u8| (0x21..=0x7e).contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        if printable(bytes[i]) {
            let start = i;
            while i < bytes.len() && printable(bytes[i]) {
                i += 1;
            }
            n.push_run(&input[start..i], i - start, 0, out);
        } else {
            // `i` is always on a character boundary: runs end before a
            // non-ASCII byte, and characters are consumed whole.
            let Some(c) = input[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            n.push(c, out, lines);
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

const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether the eight bytes of `w` are all printable ASCII or spaces
/// (0x20 to 0x7e). Without high bits, adding to a byte never carries into
/// the next one.
#[inline]
fn printable_or_spaces(w: u64) -> bool {
    w & HIGH == 0 && (w + 0x60 * ONES) & HIGH == HIGH && (w + ONES) & HIGH == 0
}

/// The high bit of each byte of `w` (ASCII, see [`printable_or_spaces`])
/// that is a space.
#[inline]
fn space_bits(w: u64) -> u64 {
    !((w ^ (0x20 * ONES)) + 0x7f * ONES) & HIGH
}

/// A run of text that normalization copies as it is (see [`copied_run`]).
struct Run {
    /// Where it ends: after its last kept character.
    end: usize,
    chars: usize,
    spaces: usize,
}

/// The run of text starting at byte `start` that normalization copies as
/// it is: characters kept as they are (and inert for NFC), with single
/// spaces between them. It ends at `start` when no such run starts there.
#[inline]
fn copied_run(input: &str, start: usize) -> Run {
    let bytes = input.as_bytes();
    let n = bytes.len();
    let mut i = start;
    // The end of the run so far: after its last kept character.
    let mut end = start;
    // Spaces and UTF-8 continuation bytes in `start..i`.
    let mut spaces = 0;
    let mut continuation = 0;
    'run: loop {
        // Eight bytes at a time, while they are printable ASCII with single
        // spaces between words.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !printable_or_spaces(w) {
                break;
            }
            let s = space_bits(w);
            // Two spaces in a row, or a space first that does not follow
            // a kept character: the bytes below decide.
            if s & (s >> 8) != 0 || (s & 0x80 != 0 && (end != i || i == start)) {
                break;
            }
            // One bit per space, in the low bit of its byte, summed by a
            // multiplication (x86-64 has no popcount without target flags).
            spaces += ((s >> 7).wrapping_mul(ONES) >> 56) as usize;
            i += 8;
            end = if s >> 63 != 0 { i - 1 } else { i };
        }
        // A byte at a time for the next eight bytes (or up to the end of
        // the run).
        for _ in 0..8 {
            if i >= n {
                break 'run;
            }
            let b = bytes[i];
            if (0x21..=0x7e).contains(&b) {
                i += 1;
            } else if b >= 0x80 {
                let (c, len) = char_at(input, i);
                if classify(c) != CharClass::Keep || !nfc_inert(c) {
                    break 'run;
                }
                i += len;
                continuation += len - 1;
            } else if b == b' ' && end == i && end > start {
                // One space after a kept character: part of the run if a
                // kept character follows it.
                i += 1;
                spaces += 1;
                continue;
            } else {
                break 'run;
            }
            end = i;
        }
    }
    // A space after the last kept character is not part of the run.
    let trailing_space = i - end;
    Run {
        end,
        chars: end - start - continuation,
        spaces: spaces - trailing_space,
    }
}

/// The same as [`push_str`] for text whose characters are all
/// [`nfc_inert`] (then it is in NFC, and normalizing copies most of it
/// in runs). Returns false, having written part of it, at the first
/// character that is not.
fn push_inert(input: &str, n: &mut Normalizer, out: &mut String, lines: &mut impl Lines) -> bool {
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = copied_run(input, i);
        if run.end > i {
            n.push_run(&input[i..run.end], run.chars, run.spaces, out);
            i = run.end;
            continue;
        }
        let b = bytes[i];
        if b < 0x80 {
            n.push(char::from(b), out, lines);
            i += 1;
        } else {
            let (c, len) = char_at(input, i);
            if !nfc_inert(c) {
                return false;
            }
            n.push(c, out, lines);
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
    use crate::text::features::measure;

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

    /// The reference: every character of the text in NFC, one at a time.
    fn reference(input: &str) -> String {
        let mut out = String::new();
        let mut n = Normalizer::default();
        for c in input.nfc() {
            n.push(c, &mut out, &mut ());
        }
        n.finish(&mut out, &mut ());
        out
    }

    /// What the one pass gives: the text of [`normalize`], its lines, and
    /// each line measured as [`measure`] measures it.
    fn check_lines(input: &str) {
        let mut got = NormalizedLines::default();
        normalize_lines(input, &mut got);
        let text = normalize(input);
        assert_eq!(got.text, text, "{input:?}");
        let lines: Vec<&str> = got.lines.iter().map(|r| &got.text[r.clone()]).collect();
        assert_eq!(lines, text.split('\n').collect::<Vec<_>>(), "{input:?}");
        let feats: Vec<LineFeatures> = lines.iter().map(|l| measure(l)).collect();
        assert_eq!(got.feats, feats, "{input:?}");
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
            "abcdefgh",
            "ab cd ef.",
            "x y z w v u t",
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
            check_lines(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_matches_reference_on_random_text(
            s in "[a-z \\t\\r\\n\u{a0}\u{200b}\u{2000}\u{2126}\u{85}\u{2028}\u{301}\u{308}“—é한\u{1100}\u{1161}ё\u{7}\u{feff}]{0,24}"
        ) {
            proptest::prop_assert_eq!(normalize(&s), reference(&s));
            check_lines(&s);
        }

        /// Mostly ASCII, as scraped text is: long runs go eight bytes at a
        /// time, and the bytes that stop them fall at every position.
        #[test]
        fn fast_path_matches_reference_on_ascii_text(
            s in "([a-z.,]{1,9}[ \t\r\n\u{a0}\u{7}\u{7f}é“\u{301}\u{200b}]{0,3}){0,20}"
        ) {
            proptest::prop_assert_eq!(normalize(&s), reference(&s));
            check_lines(&s);
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
