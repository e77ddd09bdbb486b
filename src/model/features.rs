//! The features the line model reads, computed on a *view* of a document:
//! the lines still kept (after the explicit rules) and the paragraph gaps
//! between them. Only the view counts, so cleaning the clean output again
//! sees the same features as the last decision did.
//!
//! Three groups, every one language-independent but for the stop lists:
//! - **the line**: length, words, stop-word share in the document's
//!   language, how it starts and ends, case, digits, punctuation, URL /
//!   e-mail / handle / code / date markers, and the generic layer's class
//!   (prose, label, sentence);
//! - **its place**: paragraph blocks, position, windows of prose around
//!   it, the main-content stretch the generic layer finds and the line's
//!   distance to it, repetitions within the document, headline shape;
//! - **its neighbours**: a few of the line features of the lines one and
//!   two above and below.
//!
//! [`NAMES`] is the contract with a model file: a model lists the names it
//! was trained on, and a model whose names differ is refused.

use rustc_hash::FxHashMap;

use crate::clean::generic::{
    LineClass, LineInfo, classify_line, data_block_lines, main_stretch, weight,
};
use crate::text::features::{LineFeatures, measure};
use crate::text::lang::{Lang, LineStops, cjk_chars, stop_words};

use super::gbdt::Matrix;

/// One line of a view, as the features read it.
pub struct ViewText<'a> {
    pub text: &'a str,
    /// A blank line (or the start of the document) comes before it.
    pub gap_before: bool,
    pub stops: LineStops,
}

macro_rules! feature_names {
    ($($name:ident),* $(,)?) => {
        /// The per-line features, in order.
        #[allow(non_camel_case_types, dead_code)]
        #[derive(Clone, Copy)]
        enum Line { $($name),* }
        const LINE_NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

feature_names!(
    chars_log,
    words_log,
    words,
    mean_word_len,
    stop_share,
    stop_count_log,
    ends_terminal,
    ends_colon,
    ends_alnum,
    ends_ellipsis,
    starts_upper,
    starts_digit,
    starts_nonalnum,
    starts_quote,
    upper_share,
    digit_share,
    punct_share,
    nonletter_share,
    titlecase_share,
    allcaps_share,
    numtoken_share,
    url,
    email,
    handle,
    hashtag,
    code_chars_share,
    code_kw,
    sep_count,
    has_date,
    has_time,
    cjk_share,
    bracketed,
    comma_per_word,
    prose,
    label,
    sentence,
    long_word_share,
);

macro_rules! context_names {
    ($($name:ident),* $(,)?) => {
        #[allow(non_camel_case_types, dead_code)]
        #[derive(Clone, Copy)]
        enum Ctx { $($name),* }
        const CONTEXT_NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

context_names!(
    gap_before,
    gap_after,
    block_len_log,
    block_pos,
    block_mean_words_log,
    block_prose_share,
    rel_pos,
    idx_from_start_log,
    idx_from_end_log,
    doc_lines_log,
    doc_prose_share,
    doc_mean_words_log,
    doc_chars_log,
    win2_prose,
    win5_prose,
    win10_prose,
    win3_words,
    win3_stop,
    win5_label,
    in_main,
    before_main,
    after_main,
    dist_main_start,
    dist_main_end,
    cdist_main_log,
    main_len_share,
    dist_longest,
    cdist_longest_log,
    dist_peak,
    cum_prose_chars,
    dist_first_prose,
    dist_last_prose,
    is_first_prose,
    above_first_prose_k,
    repeat_count_log,
    is_repeat,
    first_occurrence,
    prefix_of_other,
    in_first_line,
    longer_in_first_lines,
    headline_shape,
    labels_since_prose,
    lines_to_end_log,
    data_block,
    lang_readable,
    coh_prose,
    coh_main,
);

/// The line features repeated for the neighbours, and the offsets.
const NEIGHBOUR_FEATURES: &[Line] = &[
    Line::words_log,
    Line::chars_log,
    Line::stop_share,
    Line::ends_terminal,
    Line::prose,
    Line::label,
    Line::titlecase_share,
    Line::digit_share,
    Line::url,
    Line::sep_count,
    Line::starts_upper,
    Line::ends_colon,
    Line::code_chars_share,
];
const OFFSETS: [isize; 4] = [-2, -1, 1, 2];
const _: () =
    assert!(OFFSETS[0] == -(NEIGHBOUR_REACH as isize) && OFFSETS[3] == NEIGHBOUR_REACH as isize);

/// The language of a view, as the generic layer guesses it: the stop list
/// that covers most words of its lines of four words or more.
pub fn view_lang(view: &[ViewText]) -> Lang {
    stop_words().guess_counted(view.iter().map(|l| &l.stops).filter(|s| s.words >= 4))
}

/// Whether the model may drop a line of `chars` characters with this row:
/// never a prose line or one that reads as a full sentence ("when unsure,
/// keep"), a line of a data block (an ingredient list, a table of
/// figures), any line of a page sapu cannot read (a language without a
/// stop list, unless the page is written in CJK scripts, whose prose the
/// generic layer tells by its characters) or of a page without a line of
/// prose (nothing to tell its main content by), nor a line longer than the
/// rule's `max_chars`.
pub fn droppable(row: &[f32], chars: usize, max_chars: usize) -> bool {
    let ctx = |f: Ctx| row[LINE_NAMES.len() + f as usize];
    row[Line::prose as usize] == 0.0
        && row[Line::sentence as usize] == 0.0
        && ctx(Ctx::data_block) == 0.0
        && ctx(Ctx::lang_readable) == 1.0
        && ctx(Ctx::doc_prose_share) > 0.0
        && chars <= max_chars
}

/// The names of all features, in the order of a row.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = LINE_NAMES.iter().map(|s| s.to_string()).collect();
    names.extend(CONTEXT_NAMES.iter().map(|s| s.to_string()));
    for off in OFFSETS {
        for &f in NEIGHBOUR_FEATURES {
            names.push(format!("{}@{off:+}", LINE_NAMES[f as usize]));
        }
    }
    names
}

/// How many features a row has.
pub fn count() -> usize {
    LINE_NAMES.len() + CONTEXT_NAMES.len() + OFFSETS.len() * NEIGHBOUR_FEATURES.len()
}

fn ln1p(x: f64) -> f32 {
    x.ln_1p() as f32
}

/// Signed log distance: sign(d) * ln(1 + |d|).
fn signed_log(d: isize) -> f32 {
    let l = (d.unsigned_abs() as f64).ln_1p() as f32;
    if d < 0 { -l } else { l }
}

/// Top-level domains that make a dotted name read as a web address.
const TLDS: &[&[u8]] = &[
    b"com", b"org", b"net", b"de", b"id", b"co", b"io", b"gov", b"edu", b"uk", b"fr", b"ru",
    b"info",
];

/// A web address: a scheme, `www.`, or a name ending in a common
/// top-level domain followed by `/`, a space or the end.
fn has_url(b: &[u8]) -> bool {
    if memchr::memmem::find(b, b"://").is_some() || memchr::memmem::find(b, b"www.").is_some() {
        return true;
    }
    for dot in memchr::memchr_iter(b'.', b) {
        if dot == 0 || !(b[dot - 1].is_ascii_alphanumeric() || b[dot - 1] == b'-') {
            continue;
        }
        let rest = &b[dot + 1..];
        let len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let after = rest.get(len);
        if matches!(after, None | Some(b'/') | Some(b' '))
            && TLDS.iter().any(|t| t.eq_ignore_ascii_case(&rest[..len]))
        {
            return true;
        }
    }
    false
}

fn has_email(b: &[u8]) -> bool {
    memchr::memchr_iter(b'@', b).any(|at| {
        at > 0
            && b[at - 1].is_ascii_alphanumeric()
            && b[at + 1..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace())
                .any(|&c| c == b'.')
    })
}

/// A mark (`@`, `#`) at the start of a word and followed by a word
/// character.
fn has_marked_word(b: &[u8], mark: u8) -> bool {
    memchr::memchr_iter(mark, b).any(|i| {
        (i == 0 || b[i - 1] == b' ') && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The keywords and signs [`has_code_words`] looks for (the list it is
/// tested against).
#[cfg(test)]
const CODE_NEEDLES: &[&str] = &[
    "function",
    "var ",
    "const ",
    "let ",
    "return ",
    "=>",
    "</",
    ") {",
    "){",
    "document.",
    "window.",
    "null",
    "import ",
    "def ",
];

/// Signs of program code: keywords of scripts and markup, arrows, braces.
/// One pass over the bytes: at each byte that starts a needle, the needles
/// that start with it.
fn has_code_words(line: &str) -> bool {
    let t = line.trim_end();
    if t.starts_with(['{', '}']) || t.ends_with([';', '{']) {
        return true;
    }
    let b = line.as_bytes();
    let at = |i: usize, needle: &str| b[i..].starts_with(needle.as_bytes());
    (0..b.len()).any(|i| match b[i] {
        b'f' => at(i, "function"),
        b'v' => at(i, "var "),
        b'c' => at(i, "const "),
        b'l' => at(i, "let "),
        b'r' => at(i, "return "),
        b'=' => at(i, "=>"),
        b'<' => at(i, "</"),
        b')' => at(i, ") {") || at(i, "){"),
        b'd' => at(i, "document.") || at(i, "def "),
        b'w' => at(i, "window."),
        b'n' => at(i, "null"),
        b'i' => at(i, "import "),
        _ => false,
    })
}

/// The separators [`separator_count`] counts (the list it is tested
/// against).
#[cfg(test)]
const SEPARATORS: &[&str] = &[
    " | ", "»", "·", "•", "›", "«", " / ", " > ", " - ", " – ", " — ",
];

/// How many [`SEPARATORS`] the line holds (each counted as `str::matches`
/// counts it, without overlaps), at most 10: one pass over the bytes.
fn separator_count(line: &str) -> usize {
    let b = line.as_bytes();
    let mut count = 0;
    // For each spaced separator (" | ", " / ", " > ", " - ", " – ", " — "),
    // where its last match ended: a match may not start before. Each kind
    // is found in order by one of the two scans below, and kinds do not
    // interact, so the scans may run one after the other.
    let mut free = [0usize; 6];
    let mut spaced = |k: usize, at: usize, len: usize, count: &mut usize| {
        if at >= free[k] {
            free[k] = at + len;
            *count += 1;
        }
    };
    let space_before = |i: usize| i >= 1 && b[i - 1] == b' ';
    // The middle of " | ", " / " and " > ".
    for i in memchr::memchr3_iter(b'|', b'/', b'>', b) {
        if space_before(i) && b.get(i + 1) == Some(&b' ') {
            let k = match b[i] {
                b'|' => 0,
                b'/' => 1,
                _ => 2,
            };
            spaced(k, i - 1, 3, &mut count);
        }
    }
    // The middle of " - ", the dashes of " – " and " — ", and », «, ·, •, ›.
    for i in memchr::memchr3_iter(b'-', 0xC2, 0xE2, b) {
        match b[i] {
            b'-' => {
                if space_before(i) && b.get(i + 1) == Some(&b' ') {
                    spaced(3, i - 1, 3, &mut count);
                }
            }
            0xC2 => {
                if matches!(b.get(i + 1), Some(0xBB | 0xAB | 0xB7)) {
                    count += 1;
                }
            }
            _ => {
                if matches!(b.get(i + 1..i + 3), Some([0x80, 0xA2 | 0xBA])) {
                    count += 1;
                } else if space_before(i) {
                    match b.get(i + 1..i + 4) {
                        Some([0x80, 0x93, b' ']) => spaced(4, i - 1, 5, &mut count),
                        Some([0x80, 0x94, b' ']) => spaced(5, i - 1, 5, &mut count),
                        _ => {}
                    }
                }
            }
        }
    }
    count.min(10)
}

/// A date (d.m.y, d/m/y, y-m-d) or a year 19xx/20xx standing alone.
fn has_date(b: &[u8]) -> bool {
    let runs = digit_runs(b);
    for (k, &(start, len)) in runs.iter().enumerate() {
        let bounded = (start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && b.get(start + len)
                .is_none_or(|c| !c.is_ascii_alphanumeric());
        if len == 4 && bounded && matches!(&b[start..start + 2], b"19" | b"20") {
            return true;
        }
        // Three runs joined by the same separator: d.m.y, y-m-d.
        if let (Some(&(s2, l2)), Some(&(s3, l3))) = (runs.get(k + 1), runs.get(k + 2)) {
            let sep = b.get(start + len).copied();
            if s2 == start + len + 1
                && s3 == s2 + l2 + 1
                && matches!(sep, Some(b'.' | b'/' | b'-'))
                && b.get(s2 + l2).copied() == sep
                && ((len <= 2 && l2 <= 2 && (2..=4).contains(&l3))
                    || (len == 4 && l2 == 2 && l3 == 2))
            {
                return true;
            }
        }
    }
    false
}

/// A time: one or two digits, a colon, two digits.
fn has_time(b: &[u8]) -> bool {
    memchr::memchr_iter(b':', b).any(|i| {
        i >= 1
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
    })
}

fn digit_runs(b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    runs
}

/// The per-line features of one line, with the measurements the context
/// needs.
/// The features of one line alone (no context): what a cleaner may keep
/// from one pass over a document to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct LineRow {
    values: [f32; LINE_NAMES.len()],
    words: f32,
    chars: f32,
    prose: bool,
    label: bool,
    sentence: bool,
    quantity: bool,
    weight: f32,
    /// Which values are set (see [`Level`]).
    level: Level,
}

/// How much of a line's row is set: what the context reads of every line
/// ([`light_row`]), also what a neighbour's row gives ([`NEIGHBOUR_FEATURES`]),
/// or every value ([`line_row`]). A value set at a lower level is the same
/// at a higher one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Light,
    Neighbour,
    Full,
}

/// What the features of a line count of its characters and words. Words
/// are as the stop-word tokenizer sees them: runs of letters, digits and
/// apostrophes, without the apostrophes at their ends.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    letters: u32,
    upper: u32,
    digits: u32,
    punct: u32,
    nonletter: u32,
    nwords: u32,
    word_chars: u32,
    alpha_words: u32,
    title: u32,
    caps: u32,
    numtok: u32,
    /// Words of 13 characters or more.
    long: u32,
    commas: u32,
    /// Braces, semicolons, `=`, `<` and `>`.
    code_chars: u32,
}

/// Class bits of an ASCII byte for [`Counts::ascii`].
const A_LETTER: u8 = 1;
const A_UPPER: u8 = 2;
const A_DIGIT: u8 = 4;
/// Neither a letter, a digit nor white space.
const A_PUNCT: u8 = 8;
/// Braces, `;`, `=`, `<`, `>`.
const A_CODE: u8 = 16;
const A_APOSTROPHE: u8 = 32;
const A_LOWER: u8 = 64;
const A_COMMA: u8 = 128;

const ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if c.is_ascii_alphabetic() {
            k |= A_LETTER;
            if c.is_ascii_uppercase() {
                k |= A_UPPER;
            } else {
                k |= A_LOWER;
            }
        } else if c.is_ascii_digit() {
            k |= A_DIGIT;
        } else if !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            k |= A_PUNCT;
        }
        if matches!(c, b'{' | b'}' | b';' | b'=' | b'<' | b'>') {
            k |= A_CODE;
        }
        if c == b'\'' {
            k |= A_APOSTROPHE;
        }
        if c == b',' {
            k |= A_COMMA;
        }
        t[b] = k;
        b += 1;
    }
    t
};

/// The class bits of a character, as [`ASCII_CLASS`] gives them for
/// ASCII: letters (upper- or lowercase), numerals, neither nor white space
/// (punctuation), and the curly apostrophe.
fn char_class(c: char) -> u8 {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize];
    }
    let (alpha, numeric) = (c.is_alphabetic(), c.is_numeric());
    let mut k = 0;
    if alpha {
        // Upper- and lowercase characters are all letters.
        k |= A_LETTER;
        if c.is_uppercase() {
            k |= A_UPPER;
        }
        if c.is_lowercase() {
            k |= A_LOWER;
        }
    }
    if numeric {
        k |= A_DIGIT;
    }
    if !alpha && !numeric && !c.is_whitespace() {
        k |= A_PUNCT;
    }
    if c == '’' {
        k |= A_APOSTROPHE;
    }
    k
}

impl Counts {
    fn unicode(line: &str) -> Counts {
        Counts::of_classes(line.chars().map(char_class))
    }

    /// [`Counts::unicode`] of an ASCII line, its bytes classed by the table.
    fn ascii(b: &[u8]) -> Counts {
        Counts::of_classes(b.iter().map(|&c| ASCII_CLASS[usize::from(c)]))
    }

    /// The counts of a line from the class bits of its characters, in one
    /// pass: the character counts are sums of class bits, without a
    /// branch; a word is the run of letters, digits and apostrophes between
    /// its first and last letter or digit (apostrophes inside count as its
    /// characters).
    #[inline]
    fn of_classes(classes: impl Iterator<Item = u8>) -> Counts {
        let mut n = Counts::default();
        let (mut letters, mut upper, mut digits, mut punct, mut commas, mut code) =
            (0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
        // The word being read, in characters: where its first letter or
        // digit is (NONE before one), where its last one ends, the class
        // bits of its first and of all its letters and digits.
        const NONE: u32 = u32::MAX;
        let (mut core_start, mut core_end, mut first, mut all) = (NONE, 0u32, 0u8, 0u8);
        for (pos, k) in (0u32..).zip(classes) {
            letters += u32::from(k & A_LETTER);
            upper += u32::from((k & A_UPPER) >> 1);
            // A numeral that is a letter (Ⅻ) counts as a letter.
            digits += u32::from(k & (A_LETTER | A_DIGIT) == A_DIGIT);
            punct += u32::from((k & A_PUNCT) >> 3);
            commas += u32::from((k & A_COMMA) >> 7);
            code += u32::from((k & A_CODE) >> 4);
            if k & (A_LETTER | A_DIGIT) != 0 {
                if core_start == NONE {
                    core_start = pos;
                    first = k;
                    all = 0;
                }
                core_end = pos + 1;
                all |= k;
            } else if k & A_APOSTROPHE == 0 && core_start != NONE {
                n.add_classed_word(core_end - core_start, first, all);
                core_start = NONE;
            }
        }
        if core_start != NONE {
            n.add_classed_word(core_end - core_start, first, all);
        }
        n.letters = letters;
        n.upper = upper;
        n.digits = digits;
        n.punct = punct;
        n.nonletter = digits + punct;
        n.commas = commas;
        n.code_chars = code;
        n
    }

    /// A word of [`Counts::of_classes`]: `len` characters, the class bits
    /// of its first and of all its letters and digits or-ed.
    #[inline]
    fn add_classed_word(&mut self, len: u32, first: u8, all: u8) {
        self.add_word(
            len,
            all & A_DIGIT != 0,
            first & A_LETTER != 0,
            first & A_UPPER != 0,
            all & A_LOWER == 0,
        );
    }

    fn add_word(&mut self, len: u32, numeric: bool, alpha: bool, upper: bool, no_lower: bool) {
        self.nwords += 1;
        self.word_chars += len;
        self.long += u32::from(len >= 13);
        self.numtok += u32::from(numeric);
        if alpha {
            self.alpha_words += 1;
            self.title += u32::from(upper);
            self.caps += u32::from(len > 1 && no_lower);
        }
    }
}

fn line_row(line: &str, f: &LineFeatures, stops: &LineStops, lang: Lang, level: Level) -> LineRow {
    // What the context reads of every line, then the rest.
    raise(light_row(line, f, stops, lang), line, f, stops, lang, level)
}

/// `row`, the light row of `line`, with the values up to `level` set.
fn raise(
    mut row: LineRow,
    line: &str,
    f: &LineFeatures,
    stops: &LineStops,
    lang: Lang,
    level: Level,
) -> LineRow {
    if level == Level::Light {
        return row;
    }
    let v = &mut row.values;
    let b = line.as_bytes();
    let chars = f.chars.max(1) as f32;
    let Counts {
        letters,
        upper,
        digits,
        punct,
        nonletter,
        nwords,
        word_chars,
        alpha_words,
        title,
        caps,
        numtok,
        long,
        commas,
        code_chars,
    } = if line.is_ascii() {
        Counts::ascii(b)
    } else {
        Counts::unicode(line)
    };
    let words = row.words;
    let share = |n: u32, of: u32| if of == 0 { 0.0 } else { n as f32 / of as f32 };
    let stop_count = (stops.share(lang) * f32::from(stops.words)).round();
    let first = line.chars().next().unwrap_or(' ');
    let last = line.chars().next_back().unwrap_or(' ');
    let set = |v: &mut [f32], f: Line, x: f32| v[f as usize] = x;
    set(v, Line::chars_log, ln1p(f.chars as f64));
    set(v, Line::words_log, ln1p(words as f64));
    set(v, Line::words, words.min(100.0));
    set(
        v,
        Line::mean_word_len,
        if nwords == 0 {
            0.0
        } else {
            word_chars as f32 / nwords as f32
        },
    );
    set(v, Line::stop_count_log, ln1p(stop_count as f64));
    set(v, Line::ends_terminal, f32::from(f.ends_terminal));
    set(v, Line::ends_colon, f32::from(last == ':'));
    set(v, Line::ends_alnum, f32::from(last.is_alphanumeric()));
    set(
        v,
        Line::ends_ellipsis,
        f32::from(line.ends_with("...") || line.ends_with('…')),
    );
    set(v, Line::starts_upper, f32::from(first.is_uppercase()));
    set(v, Line::starts_digit, f32::from(first.is_ascii_digit()));
    set(
        v,
        Line::starts_nonalnum,
        f32::from(!first.is_alphanumeric()),
    );
    set(
        v,
        Line::starts_quote,
        f32::from(matches!(first, '"' | '\'' | '„' | '“' | '«' | '‚' | '‘')),
    );
    set(v, Line::upper_share, share(upper, letters));
    set(v, Line::digit_share, digits as f32 / chars);
    set(v, Line::punct_share, punct as f32 / chars);
    set(v, Line::nonletter_share, nonletter as f32 / chars);
    set(v, Line::titlecase_share, share(title, alpha_words));
    set(v, Line::allcaps_share, share(caps, alpha_words));
    set(v, Line::numtoken_share, share(numtok, nwords));
    set(v, Line::url, f32::from(has_url(b)));
    set(v, Line::code_chars_share, code_chars as f32 / chars);
    set(v, Line::sep_count, separator_count(line) as f32);
    if level == Level::Neighbour {
        row.level = level;
        return row;
    }
    let cjk = cjk_chars(line);
    set(v, Line::email, f32::from(has_email(b)));
    set(v, Line::handle, f32::from(has_marked_word(b, b'@')));
    set(v, Line::hashtag, f32::from(has_marked_word(b, b'#')));
    set(v, Line::code_kw, f32::from(has_code_words(line)));
    set(v, Line::has_date, f32::from(has_date(b)));
    set(v, Line::has_time, f32::from(has_time(b)));
    set(v, Line::cjk_share, cjk as f32 / chars);
    set(
        v,
        Line::bracketed,
        f32::from(matches!(first, '(' | '[') && matches!(last, ')' | ']')),
    );
    set(v, Line::comma_per_word, commas as f32 / words.max(1.0));
    set(v, Line::long_word_share, share(long, nwords));
    row.level = Level::Full;
    row
}

/// The row of a line that is neither scored nor the neighbour of a scored
/// line: only what [`context`] reads of every line (words, characters,
/// class, weight, quantity, stop share; the end colon and digit share of a
/// non-prose line, which the headline shape reads), with the same values
/// [`line_row`] gives them. Most lines of an article are such prose lines.
fn light_row(line: &str, f: &LineFeatures, stops: &LineStops, lang: Lang) -> LineRow {
    light_row_with(line, f, classify_line(line, f, stops, lang))
}

/// [`light_row`] from the line's class as the generic layer found it.
fn light_row_with(line: &str, f: &LineFeatures, info: LineInfo) -> LineRow {
    let mut v = [0f32; LINE_NAMES.len()];
    let prose = info.class == LineClass::Prose;
    let label = info.class == LineClass::Label;
    v[Line::stop_share as usize] = info.score;
    v[Line::prose as usize] = f32::from(prose);
    v[Line::label as usize] = f32::from(label);
    v[Line::sentence as usize] = f32::from(info.sentence);
    if !prose {
        let chars = f.chars.max(1) as f32;
        let digits = line
            .chars()
            .filter(|&c| {
                !c.is_alphabetic() && !c.is_whitespace() && (c.is_ascii_digit() || c.is_numeric())
            })
            .count();
        v[Line::digit_share as usize] = digits as f32 / chars;
        let last = line.chars().next_back().unwrap_or(' ');
        v[Line::ends_colon as usize] = f32::from(last == ':');
    }
    LineRow {
        values: v,
        words: (f.words.max(cjk_chars(line) / 2)) as f32,
        chars: f.chars as f32,
        prose,
        label,
        sentence: info.sentence,
        quantity: info.quantity,
        weight: weight(info.class, f, line),
        level: Level::Light,
    }
}

/// The feature rows of a view, one per line, in order.
pub fn view_features(view: &[ViewText], lang: Lang) -> Matrix {
    let rows: Vec<LineRow> = view.iter().map(|l| line_row_of(l, lang)).collect();
    view_features_from(view, &rows, lang)
}

/// The features of line `l` alone, in a page of language `lang`.
pub fn line_row_of(l: &ViewText, lang: Lang) -> LineRow {
    row_of(l, lang, Level::Full)
}

/// The row of line `l` set up to `level`.
pub fn row_of(l: &ViewText, lang: Lang, level: Level) -> LineRow {
    line_row(l.text, &measure(l.text), &l.stops, lang, level)
}

/// [`light_row_of`] from what the cleaner knows of the line already: its
/// measurements (`f`, as [`measure`] gives them) and, when the generic
/// layer classed it in the view's language, its class (`info`, as
/// [`classify_line`] gives it).
pub(crate) fn light_row_known(
    l: &ViewText,
    f: &LineFeatures,
    info: Option<LineInfo>,
    lang: Lang,
) -> LineRow {
    match info {
        Some(info) => light_row_with(l.text, f, info),
        None => light_row(l.text, f, &l.stops, lang),
    }
}

/// `row` (a row of line `l`, whose measurements are `f`) with the values
/// up to `level` set.
pub(crate) fn raised(
    row: &LineRow,
    l: &ViewText,
    f: &LineFeatures,
    lang: Lang,
    level: Level,
) -> LineRow {
    if row.level >= level {
        return row.clone();
    }
    let light = LineRow {
        level: Level::Light,
        ..row.clone()
    };
    raise(light, l.text, f, &l.stops, lang, level)
}

/// What the context of a view reads of line `l` (see [`light_row`]): a
/// row to complete with [`line_row_of`] before the line, or a line within
/// two of it, is scored.
pub fn light_row_of(l: &ViewText, lang: Lang) -> LineRow {
    row_of(l, lang, Level::Light)
}

impl LineRow {
    /// Which values are set.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Whether the model may score a line with this row at all: not prose,
    /// not a sentence, at most `max_chars` characters (the rest of
    /// [`droppable`] needs the context).
    pub fn may_score(&self, max_chars: usize) -> bool {
        !self.prose && !self.sentence && self.chars as usize <= max_chars
    }
}

/// How far the neighbour features reach.
pub const NEIGHBOUR_REACH: usize = 2;

/// [`view_features`] from the rows of the view's lines, found before
/// ([`line_row_of`]).
pub fn view_features_from(view: &[ViewText], rows: &[LineRow], lang: Lang) -> Matrix {
    let all: Vec<usize> = (0..rows.len()).collect();
    view_features_at(view, rows, lang, &all, None)
}

/// The feature rows of the lines at `positions` of the view (in that
/// order), from the rows of all its lines: the context reads every line,
/// but only the rows asked for are written. A line's row is the same as in
/// [`view_features_from`].
pub fn view_features_at(
    view: &[ViewText],
    rows: &[LineRow],
    lang: Lang,
    positions: &[usize],
    words: Option<Words<'_>>,
) -> Matrix {
    let n = view.len();
    let width = count();
    let mut m = Matrix::new(width);
    if n == 0 || positions.is_empty() {
        return m;
    }
    let ctx = Context::new(view, rows, lang);
    let cohesion = cohesion(view, rows, ctx.main, positions, words);
    m.values.reserve(positions.len() * width);
    let mut c = [0f32; CONTEXT_NAMES.len()];
    for (i, &k) in positions.iter().enumerate() {
        m.values.extend_from_slice(&rows[k].values);
        ctx.write(k, rows, &mut c);
        c[Ctx::coh_prose as usize] = cohesion[i][0];
        c[Ctx::coh_main as usize] = cohesion[i][1];
        m.values.extend_from_slice(&c);
        for off in OFFSETS {
            let j = k as isize + off;
            if j < 0 || j >= n as isize {
                m.values
                    .extend(std::iter::repeat_n(-1.0, NEIGHBOUR_FEATURES.len()));
            } else {
                let r = &rows[j as usize].values;
                m.values
                    .extend(NEIGHBOUR_FEATURES.iter().map(|&f| r[f as usize]));
            }
        }
    }
    m
}

/// The words cohesion reads: runs of five letters or more.
const COHESION_MIN_LETTERS: usize = 5;

/// The high bit of each of eight bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Calls `f` with the hash of each word of `text` of
/// [`COHESION_MIN_LETTERS`] letters or more, lowercased (a word is a run
/// of alphabetic characters). A word of ASCII letters is hashed from its
/// length and its first and last eight bytes (exact up to 16 letters);
/// a word with other letters, from its lowercase characters.
fn for_each_long_word(text: &str, mut f: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Eight bytes at a time: the word bytes (ASCII letters, bytes beyond
    // ASCII) as bits, and the edges of their runs found with bit tricks.
    let mut start = 0usize;
    let mut in_word = false;
    let mut at = 0usize;
    while at < n {
        let chunk = if at + 8 <= n {
            u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
        } else {
            let mut b = [0u8; 8];
            b[..n - at].copy_from_slice(&bytes[at..]);
            u64::from_le_bytes(b)
        };
        let mut bits = word_bits(chunk);
        if at + 8 > n {
            bits &= (1u32 << (n - at)) - 1;
        }
        // Edges: where a bit differs from the one before it.
        let mut edges = (bits ^ ((bits << 1) | u32::from(in_word))) & 0xff;
        while edges != 0 {
            let i = edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if in_word {
                long_word(text, start, at + i, &mut f);
            } else {
                start = at + i;
            }
            in_word = !in_word;
        }
        at += 8;
    }
    if in_word {
        long_word(text, start, n, &mut f);
    }
}

/// Hashes the run of word bytes `text[start..end]` if it may hold a word
/// of [`COHESION_MIN_LETTERS`] letters or more.
#[inline(always)]
fn long_word(text: &str, start: usize, end: usize, f: &mut impl FnMut(u64)) {
    let len = end - start;
    if len < COHESION_MIN_LETTERS {
        return;
    }
    let w = &text.as_bytes()[start..end];
    let (head, tail) = word_ends(w);
    if (head | tail) & HIGH_BITS == 0 && (len <= 16 || w[8..len - 8].is_ascii()) {
        f(ascii_hash(head, tail, len));
    } else {
        wide_words(&text[start..end], f);
    }
}

/// The first and last eight bytes of a run of five bytes or more (the
/// bytes of a shorter run, zero above them, for both).
#[inline(always)]
fn word_ends(w: &[u8]) -> (u64, u64) {
    let len = w.len();
    if len >= 8 {
        let at = |i: usize| u64::from_le_bytes(w[i..i + 8].try_into().expect("eight bytes"));
        (at(0), at(len - 8))
    } else {
        // Four bytes from each end, overlapping on the same bytes.
        let at = |i: usize| u64::from(u32::from_le_bytes(w[i..i + 4].try_into().expect("four")));
        let head = at(0) | (at(len - 4) << (8 * (len - 4)));
        (head, head)
    }
}

/// The word bytes of eight (ASCII letters and bytes beyond ASCII), one bit
/// each, the first byte lowest.
fn word_bits(x: u64) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let lower = (x | 0x2020_2020_2020_2020) & LOW7;
    // High bit of a byte: at least 'a', and at least '{' (one past 'z').
    let from_a = lower + 0x1f1f_1f1f_1f1f_1f1f;
    let past_z = lower + 0x0505_0505_0505_0505;
    let word = ((from_a & !past_z) | x) & HIGH_BITS;
    // Gather the eight high bits into one byte.
    ((word >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

const WORD_HASH_K: u64 = 0x517c_c1b7_2722_0a95;

/// The hash of a word of five ASCII letters or more, lowercase.
fn ascii_word_hash(w: &[u8]) -> u64 {
    let (head, tail) = word_ends(w);
    ascii_hash(head, tail, w.len())
}

#[inline(always)]
fn ascii_hash(head: u64, tail: u64, len: usize) -> u64 {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    let h = ((head | LOWER) ^ (len as u64)).wrapping_mul(WORD_HASH_K);
    (h.rotate_left(29) ^ (tail | LOWER)).wrapping_mul(WORD_HASH_K)
}

/// The words of five letters or more of a run of letters and characters
/// beyond ASCII, each hashed from its lowercase characters.
fn wide_words(run: &str, f: &mut impl FnMut(u64)) {
    let (mut h, mut letters, mut ascii) = (0u64, 0usize, true);
    let mut word_start = 0;
    let mut end = |h: u64, letters: usize, ascii: bool, word: &str| {
        if letters >= COHESION_MIN_LETTERS {
            // A word whose lowercase is ASCII hashes as an ASCII word
            // (`İ` lowercases to `i`).
            f(if ascii && word.is_ascii() {
                ascii_word_hash(word.as_bytes())
            } else if ascii {
                let lower: Vec<u8> = word
                    .chars()
                    .filter_map(letter_lower)
                    .map(|l| l as u8)
                    .collect();
                ascii_word_hash(&lower)
            } else {
                h
            });
        }
    };
    for (at, c) in run.char_indices() {
        if let Some(l) = letter_lower(c) {
            if letters == 0 {
                word_start = at;
            }
            h = (h.rotate_left(5) ^ u64::from(l)).wrapping_mul(WORD_HASH_K);
            letters += 1;
            ascii &= l < 0x80;
        } else {
            end(h, letters, ascii, &run[word_start..at]);
            (h, letters, ascii) = (0, 0, true);
        }
    }
    end(h, letters, ascii, &run[word_start..]);
}

/// A letter's lowercase (the first character of it), or `None` for a
/// character that is not alphabetic: `char::is_alphabetic` and
/// `char::to_lowercase`, with the letters of Latin-1 and of the Russian
/// alphabet and the general punctuation answered without their tables.
#[inline]
fn letter_lower(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x41..=0x5a => Some(u | 0x20),
        0x61..=0x7a => Some(u),
        0..=0x7f => None,
        0xd7 | 0xf7 => None,
        0xc0..=0xde => Some(u + 0x20),
        0xdf..=0xff => Some(u),
        0x400..=0x40f => Some(u + 0x50),
        0x410..=0x42f => Some(u + 0x20),
        0x430..=0x45f => Some(u),
        0x2000..=0x206f => None,
        _ => c
            .is_alphabetic()
            .then(|| c.to_lowercase().next().map_or(u, |l| l as u32)),
    }
}

/// How a line's words recur in the page's prose: for each line at
/// `positions`, the share of its words of five letters or more (lowercase)
/// that another prose line of the view uses, and that another prose line
/// of the main stretch uses; -1 for both when it has no such word. A
/// teaser of another article or a product of a side list shares few words
/// with the page's text, a heading or a list item of the article many.
///
/// Only the words of the lines asked for are looked up: their hashes are
/// gathered first, and the prose lines are read once against them (a
/// 4,096-bit filter in front of the table).
fn cohesion(
    view: &[ViewText],
    rows: &[LineRow],
    main: Option<(usize, usize)>,
    positions: &[usize],
    mut cache: Option<Words<'_>>,
) -> Vec<[f32; 2]> {
    #[derive(Clone, Copy)]
    struct Seen {
        /// Prose lines that use the word, and those of the main stretch.
        all: u32,
        main: u32,
        /// The last prose line counted (plus one; 0 for none).
        last: usize,
    }
    fn words(cache: &mut Option<Words<'_>>, text: &str, pos: usize, f: impl FnMut(u64)) {
        match cache {
            Some(Words { cache, keys }) => cache.for_each(keys[pos], text, f),
            None => for_each_long_word(text, f),
        }
    }
    let in_main = |j: usize| main.is_some_and(|(s, e)| j >= s && j <= e);
    // A word's bit in the filter: a word of 64 and a bit of it.
    let bit = |h: u64| ((h >> 58) as usize, 1u64 << ((h >> 52) & 63));
    // The distinct words of each line asked for: `own[spans[i]]`.
    let mut own: Vec<u64> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(positions.len());
    let mut table: FxHashMap<u64, Seen> = FxHashMap::default();
    let mut filter = [0u64; 64];
    for &k in positions {
        let start = own.len();
        words(&mut cache, view[k].text, k, |h| {
            if !own[start..].contains(&h) {
                own.push(h);
                let (word, mask) = bit(h);
                filter[word] |= mask;
                table.entry(h).or_insert(Seen {
                    all: 0,
                    main: 0,
                    last: 0,
                });
            }
        });
        spans.push((start, own.len()));
    }
    if !table.is_empty() {
        for (j, row) in rows.iter().enumerate() {
            if !row.prose {
                continue;
            }
            let main_line = u32::from(in_main(j));
            words(&mut cache, view[j].text, j, |h| {
                let (word, mask) = bit(h);
                if filter[word] & mask == 0 {
                    return;
                }
                if let Some(seen) = table.get_mut(&h)
                    && seen.last != j + 1
                {
                    seen.last = j + 1;
                    seen.all += 1;
                    seen.main += main_line;
                }
            });
        }
    }
    positions
        .iter()
        .zip(&spans)
        .map(|(&k, &(start, end))| {
            if start == end {
                return [-1.0, -1.0];
            }
            // A prose line counted itself.
            let own_all = u32::from(rows[k].prose);
            let own_main = own_all * u32::from(in_main(k));
            let (mut all, mut in_main) = (0usize, 0usize);
            for h in &own[start..end] {
                let seen = table[h];
                all += usize::from(seen.all > own_all);
                in_main += usize::from(seen.main > own_main);
            }
            let n = (end - start) as f32;
            [all as f32 / n, in_main as f32 / n]
        })
        .collect()
}

/// The hashes of the long words of a document's lines, kept from one model
/// pass to the next (a page the model drops lines of is read again), by a
/// key the caller gives each line: its index in the document.
#[derive(Default)]
pub struct WordCache {
    /// By key: where its hashes are in `hashes`, once read.
    spans: Vec<Option<(u32, u32)>>,
    hashes: Vec<u64>,
}

impl WordCache {
    /// Calls `f` with the hashes of the long words of `text`
    /// ([`for_each_long_word`]), the line of key `key` (`None`: a line not
    /// to keep, whose text is not the document's).
    fn for_each(&mut self, key: Option<usize>, text: &str, mut f: impl FnMut(u64)) {
        let Some(key) = key else {
            return for_each_long_word(text, f);
        };
        if key >= self.spans.len() {
            self.spans.resize(key + 1, None);
        }
        if let Some((start, end)) = self.spans[key] {
            for &h in &self.hashes[start as usize..end as usize] {
                f(h);
            }
            return;
        }
        let start = self.hashes.len();
        for_each_long_word(text, |h| {
            self.hashes.push(h);
            f(h)
        });
        self.spans[key] = Some((start as u32, self.hashes.len() as u32));
    }
}

/// A [`WordCache`] and the key of each line of a view.
pub struct Words<'a> {
    pub cache: &'a mut WordCache,
    pub keys: &'a [Option<usize>],
}

/// Mean of `a` over the window `[k - r, k + r]`, cut at the edges.
fn window(prefix: &[f64], k: usize, r: usize) -> f32 {
    let n = prefix.len() - 1;
    let lo = k.saturating_sub(r);
    let hi = (k + r + 1).min(n);
    ((prefix[hi] - prefix[lo]) / (hi - lo) as f64) as f32
}

fn prefix_sums(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut p = vec![0.0];
    let mut sum = 0.0;
    for v in values {
        sum += v;
        p.push(sum);
    }
    p
}

/// What the context features of a view's lines are read from: the whole
/// view's blocks, sums, main stretch and repeats, found once; a line's
/// context is then written from them ([`Context::write`]).
struct Context {
    n: usize,
    gap_before: Vec<bool>,
    gap_after: Vec<bool>,
    data: Vec<bool>,
    block_start: Vec<usize>,
    block_len: Vec<usize>,
    words: Vec<f64>,
    prose: Vec<f64>,
    labels: Vec<f64>,
    stop: Vec<f64>,
    chars: Vec<f64>,
    doc_prose_share: f32,
    doc_mean_words_log: f32,
    doc_chars_log: f32,
    doc_lines_log: f32,
    main: Option<(usize, usize)>,
    longest: usize,
    peak: usize,
    /// The prose characters of the lines before each line.
    cum_prose: Vec<f64>,
    prose_total: f64,
    first_main_prose: usize,
    last_prose: Option<usize>,
    headline: Option<usize>,
    repeats: Vec<Repeat>,
    /// Short non-prose lines since the last prose line, the line included.
    labels_since: Vec<usize>,
    /// The page's language has a stop list, or the page is a CJK page
    /// ([`cjk_page`]).
    lang_readable: bool,
}

/// What a line's text shares with the other lines of the view.
#[derive(Clone, Copy, Default)]
struct Repeat {
    count: u32,
    first_occurrence: bool,
    prefix_of_other: bool,
    in_first_line: bool,
    longer_in_first_lines: bool,
}

impl Context {
    fn new(view: &[ViewText], rows: &[LineRow], lang: Lang) -> Context {
        let n = rows.len();
        let gap_before: Vec<bool> = (0..n).map(|k| k == 0 || view[k].gap_before).collect();
        let gap_after: Vec<bool> = (0..n)
            .map(|k| k + 1 == n || view[k + 1].gap_before)
            .collect();
        // Ingredient lists, nutrition facts, tables of figures.
        let data = data_block_lines((0..n).map(|k| {
            (
                gap_before[k],
                rows[k].quantity,
                view[k].text.starts_with(|c: char| c.is_ascii_digit()),
            )
        }));
        // Blocks: runs of lines without a blank line between them.
        let mut block_start = vec![0usize; n];
        let mut block_len = vec![0usize; n];
        let mut k = 0;
        while k < n {
            let mut end = k + 1;
            while end < n && !gap_before[end] {
                end += 1;
            }
            for j in k..end {
                block_start[j] = k;
                block_len[j] = end - k;
            }
            k = end;
        }
        let words = prefix_sums(rows.iter().map(|r| f64::from(r.words)));
        let prose = prefix_sums(rows.iter().map(|r| f64::from(u8::from(r.prose))));
        let labels = prefix_sums(rows.iter().map(|r| f64::from(u8::from(r.label))));
        let stop = prefix_sums(
            rows.iter()
                .map(|r| f64::from(r.values[Line::stop_share as usize])),
        );
        let chars = prefix_sums(rows.iter().map(|r| f64::from(r.chars)));
        let main = main_stretch(rows.iter().map(|r| (r.weight, r.prose)));
        let (ms, me) = main.unwrap_or((0, n - 1));
        let longest = (0..n)
            .max_by(|&a, &b| rows[a].chars.total_cmp(&rows[b].chars).then(b.cmp(&a)))
            .unwrap_or(0);
        let dense = prefix_sums(
            rows.iter()
                .map(|r| f64::from(r.words) * f64::from(u8::from(r.prose))),
        );
        let peak = (0..n)
            .max_by(|&a, &b| {
                window(&dense, a, 5)
                    .total_cmp(&window(&dense, b, 5))
                    .then(b.cmp(&a))
            })
            .unwrap_or(0);
        let prose_chars = |r: &LineRow| if r.prose { f64::from(r.chars) } else { 0.0 };
        let mut cum_prose = Vec::with_capacity(n);
        let mut prose_total = 0.0;
        for r in rows {
            cum_prose.push(prose_total);
            prose_total += prose_chars(r);
        }
        let first_prose_any = rows.iter().position(|r| r.prose);
        let last_prose = rows.iter().rposition(|r| r.prose);
        let first_main_prose = (ms..=me)
            .find(|&k| rows[k].prose)
            .or(first_prose_any)
            .unwrap_or(n);
        // The headline shape: the nearest non-prose line of 3 to 30 words
        // above the first prose line of the main content, within 6 lines,
        // not ending with a colon and not mostly digits.
        let headline = (first_main_prose.saturating_sub(6)..first_main_prose)
            .rev()
            .find(|&k| {
                let r = &rows[k];
                !r.prose
                    && (3.0..=30.0).contains(&r.words)
                    && r.values[Line::ends_colon as usize] == 0.0
                    && r.values[Line::digit_share as usize] < 0.2
            });
        let mut labels_since = Vec::with_capacity(n);
        let mut since = 0usize;
        for r in rows {
            // A teaser list after the article grows this.
            since = if r.prose { 0 } else { since + 1 };
            labels_since.push(since);
        }
        Context {
            n,
            gap_before,
            gap_after,
            data,
            block_start,
            block_len,
            doc_prose_share: (prose[n] / n as f64) as f32,
            doc_mean_words_log: ln1p(words[n] / n as f64),
            doc_chars_log: ln1p(chars[n]),
            doc_lines_log: ln1p(n as f64),
            words,
            prose,
            labels,
            stop,
            chars,
            main,
            longest,
            peak,
            cum_prose,
            prose_total,
            first_main_prose,
            last_prose,
            headline,
            repeats: repeats(view),
            labels_since,
            lang_readable: lang.code().is_some() || cjk_page(view, rows),
        }
    }

    /// Writes the context features of line `k` into `c`.
    fn write(&self, k: usize, rows: &[LineRow], c: &mut [f32; CONTEXT_NAMES.len()]) {
        let n = self.n;
        // Without a main stretch, the whole view stands for it.
        let (ms, me) = self.main.unwrap_or((0, n - 1));
        let mut set = |f: Ctx, x: f32| c[f as usize] = x;
        set(Ctx::gap_before, f32::from(self.gap_before[k]));
        set(Ctx::gap_after, f32::from(self.gap_after[k]));
        let (bs, bl) = (self.block_start[k], self.block_len[k]);
        set(Ctx::block_len_log, ln1p(bl as f64));
        set(Ctx::block_pos, (k - bs) as f32 / (bl.max(2) - 1) as f32);
        set(
            Ctx::block_mean_words_log,
            ln1p((self.words[bs + bl] - self.words[bs]) / bl as f64),
        );
        set(
            Ctx::block_prose_share,
            ((self.prose[bs + bl] - self.prose[bs]) / bl as f64) as f32,
        );
        set(Ctx::rel_pos, k as f32 / (n.max(2) - 1) as f32);
        set(Ctx::idx_from_start_log, ln1p(k as f64));
        set(Ctx::idx_from_end_log, ln1p((n - 1 - k) as f64));
        set(Ctx::doc_lines_log, self.doc_lines_log);
        set(Ctx::doc_prose_share, self.doc_prose_share);
        set(Ctx::doc_mean_words_log, self.doc_mean_words_log);
        set(Ctx::doc_chars_log, self.doc_chars_log);
        set(Ctx::win2_prose, window(&self.prose, k, 2));
        set(Ctx::win5_prose, window(&self.prose, k, 5));
        set(Ctx::win10_prose, window(&self.prose, k, 10));
        set(Ctx::win3_words, ln1p(f64::from(window(&self.words, k, 3))));
        set(Ctx::win3_stop, window(&self.stop, k, 3));
        set(Ctx::win5_label, window(&self.labels, k, 5));
        let inside = self.main.is_some() && k >= ms && k <= me;
        set(Ctx::in_main, f32::from(inside));
        set(Ctx::before_main, f32::from(k < ms));
        set(Ctx::after_main, f32::from(k > me));
        set(Ctx::dist_main_start, signed_log(k as isize - ms as isize));
        set(Ctx::dist_main_end, signed_log(k as isize - me as isize));
        let chars = &self.chars;
        let cdist = if k < ms {
            chars[ms] - chars[k + 1]
        } else if k > me {
            chars[k] - chars[me + 1]
        } else {
            0.0
        };
        set(Ctx::cdist_main_log, ln1p(cdist.max(0.0)));
        set(Ctx::main_len_share, (me - ms + 1) as f32 / n as f32);
        set(
            Ctx::dist_longest,
            signed_log(k as isize - self.longest as isize),
        );
        set(
            Ctx::cdist_longest_log,
            ln1p((chars[k] - chars[self.longest]).abs()),
        );
        set(Ctx::dist_peak, signed_log(k as isize - self.peak as isize));
        let half = if rows[k].prose {
            f64::from(rows[k].chars) / 2.0
        } else {
            0.0
        };
        set(
            Ctx::cum_prose_chars,
            if self.prose_total > 0.0 {
                ((self.cum_prose[k] + half) / self.prose_total) as f32
            } else {
                0.5
            },
        );
        let first = self.first_main_prose;
        set(
            Ctx::dist_first_prose,
            signed_log(k as isize - first as isize),
        );
        set(
            Ctx::dist_last_prose,
            signed_log(k as isize - self.last_prose.map_or(-1, |l| l as isize)),
        );
        set(Ctx::is_first_prose, f32::from(k == first));
        let above = if k < first && first - k <= 5 {
            (first - k) as f32
        } else {
            0.0
        };
        set(Ctx::above_first_prose_k, above);
        let rep = self.repeats[k];
        set(Ctx::repeat_count_log, (rep.count as f32).ln());
        set(Ctx::is_repeat, f32::from(rep.count > 1));
        set(Ctx::first_occurrence, f32::from(rep.first_occurrence));
        set(Ctx::prefix_of_other, f32::from(rep.prefix_of_other));
        set(Ctx::in_first_line, f32::from(rep.in_first_line));
        set(
            Ctx::longer_in_first_lines,
            f32::from(rep.longer_in_first_lines),
        );
        set(Ctx::headline_shape, f32::from(self.headline == Some(k)));
        set(Ctx::labels_since_prose, ln1p(self.labels_since[k] as f64));
        set(Ctx::lines_to_end_log, ln1p((n - 1 - k) as f64));
        set(Ctx::data_block, f32::from(self.data[k]));
        set(Ctx::lang_readable, f32::from(self.lang_readable));
    }
}

/// Whether a view is written in CJK scripts: a third of its characters or
/// more are kana, CJK ideographs or hangul. The generic layer reads such
/// lines as prose by their characters (they have no spaces to count words
/// by), so the model may judge them without a stop list.
fn cjk_page(view: &[ViewText], rows: &[LineRow]) -> bool {
    let chars: f32 = rows.iter().map(|r| r.chars).sum();
    let cjk: usize = view.iter().map(|l| cjk_chars(l.text)).sum();
    chars > 0.0 && cjk as f32 >= chars / 3.0
}

/// How each line of the view repeats the others: in their lowercase form,
/// how often it occurs, whether this is its first occurrence, whether it
/// begins a longer line, whether the first line holds it, whether one of
/// the first five lines begins with it and is longer.
fn repeats(view: &[ViewText]) -> Vec<Repeat> {
    let n = view.len();
    let mut lowered = String::new();
    let keys = crate::text::lowercase_all(view.iter().map(|l| l.text), &mut lowered);
    // Each key's count and the first line it is on.
    let mut counts: FxHashMap<&str, (u32, usize)> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    for (k, key) in keys.iter().enumerate() {
        counts.entry(key).or_insert((0, k)).0 += 1;
    }
    // A key is looked for as the start of another only from 10 bytes on,
    // and a key that starts with it is longer: only those are sorted.
    let mut long: Vec<&str> = counts.keys().copied().filter(|k| k.len() >= 10).collect();
    long.sort_unstable();
    let first_key = keys[0];
    (0..n)
        .map(|k| {
            let key = keys[k];
            let (count, first) = counts[key];
            Repeat {
                count,
                first_occurrence: first == k,
                prefix_of_other: key.len() >= 10 && {
                    let at = long.partition_point(|s| *s <= key);
                    long.get(at).is_some_and(|other| other.starts_with(key))
                },
                in_first_line: k > 0
                    && key != first_key
                    && key.len() >= 10
                    && first_key.contains(key),
                longer_in_first_lines: key.len() >= 10
                    && keys[..n.min(5)]
                        .iter()
                        .any(|other| other.len() > key.len() && other.starts_with(key)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_count_counts_as_str_matches_does() {
        fn by_matches(line: &str) -> usize {
            SEPARATORS
                .iter()
                .map(|s| line.matches(s).count())
                .sum::<usize>()
                .min(10)
        }
        let pieces = [
            " ", "-", " - ", "|", " | ", "/", ">", "»", "«", "·", "•", "›", "–", "—", " – ", " — ",
            "a", "é", "x y", "  ",
        ];
        // Every string of up to four pieces.
        let mut lines = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for l in &lines {
                for p in pieces {
                    next.push(format!("{l}{p}"));
                }
            }
            lines.extend(next);
            lines.sort();
            lines.dedup();
        }
        for line in &lines {
            assert_eq!(separator_count(line), by_matches(line), "{line:?}");
        }
        let long =
            "Home » News » World · Politics | Site - Page – x — y • z › w / v > u ".repeat(3);
        assert_eq!(separator_count(&long), by_matches(&long));
    }

    #[test]
    fn repeat_keys_are_the_lowercase_lines() {
        for line in [
            "",
            "already lower",
            "Mixed Case Line",
            "ALL CAPS 2024",
            "Ünïcode ÄÖÜ straße",
            "ΟΔΟΣ Σ",
            "İstanbul",
            "tab\tand symbols {}[]",
        ] {
            let mut buf = String::new();
            assert_eq!(
                crate::text::lowercase_all([line].into_iter(), &mut buf),
                [line.to_lowercase()],
                "{line:?}"
            );
        }
    }

    #[test]
    fn repeats_are_what_they_say() {
        let words = [
            "Read", "more", "the", "budget", "council", "Home", "ÄRGER", "news",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..300 {
            let n = 1 + (next() % 12) as usize;
            let texts: Vec<String> = (0..n)
                .map(|_| {
                    let len = 1 + (next() % 5) as usize;
                    (0..len)
                        .map(|_| words[(next() % words.len() as u64) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let view: Vec<ViewText> = texts
                .iter()
                .map(|t| ViewText {
                    text: t,
                    gap_before: false,
                    stops: LineStops::default(),
                })
                .collect();
            let keys: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
            for (k, r) in repeats(&view).iter().enumerate() {
                let key = &keys[k];
                let long = key.len() >= 10;
                let longer = |o: &String| o.len() > key.len() && o.starts_with(key.as_str());
                assert_eq!(r.count as usize, keys.iter().filter(|o| *o == key).count());
                assert_eq!(r.first_occurrence, !keys[..k].contains(key));
                assert_eq!(
                    r.prefix_of_other,
                    long && keys.iter().any(longer),
                    "{texts:?} {k}"
                );
                assert_eq!(
                    r.in_first_line,
                    k > 0 && *key != keys[0] && long && keys[0].contains(key.as_str())
                );
                assert_eq!(
                    r.longer_in_first_lines,
                    long && keys[..n.min(5)].iter().any(longer)
                );
            }
        }
    }

    #[test]
    fn names_match_the_row_width() {
        let names = names();
        assert_eq!(names.len(), count());
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn markers_find_what_they_name() {
        assert!(has_url(b"see example.com/page"));
        assert!(has_url(b"https://x.y"));
        assert!(!has_url(b"He ended it. Then"));
        assert!(has_email(b"write to ana@example.org now"));
        assert!(!has_email(b"@handle"));
        assert!(has_marked_word(b"follow @sapu", b'@'));
        assert!(has_date(b"Senin, 12.03.2024"));
        assert!(has_date(b"2024-03-12"));
        assert!(has_date(b"in 1998 it"));
        assert!(!has_date(b"12345 items"));
        assert!(has_time(b"19:53 WIB"));
        assert!(!has_time(b"ratio 1:2"));
        assert!(has_code_words("var x = 1;"));
        assert!(has_code_words("googletag.cmd.push(function() {"));
        assert!(!has_code_words("A line of plain text"));
        assert_eq!(separator_count("Home | News | Sport"), 2);
    }

    #[test]
    fn cjk_pages_are_readable_without_a_stop_list() {
        let view_of = |lines: &[&'static str]| -> Vec<ViewText<'static>> {
            lines
                .iter()
                .map(|&text| ViewText {
                    text,
                    gap_before: true,
                    stops: stop_words().count(text),
                })
                .collect()
        };
        let readable = |lines: &[&'static str]| {
            let view = view_of(lines);
            let lang = view_lang(&view);
            let m = view_features(&view, lang);
            let col = names().iter().position(|n| n == "lang_readable").unwrap();
            let menu = m.row(0);
            (
                lang.code(),
                menu[col],
                droppable(menu, view[0].text.chars().count(), 300),
            )
        };
        // Japanese: no stop list, no spaces; the menu line may be judged.
        let ja = [
            "ニュース 天気 スポーツ",
            "東京都は六日、来年度の予算案を発表し、子育て支援と防災対策に重点を置く方針を示した。",
            "知事は記者会見で、物価の上昇が続く中でも都民の暮らしを守るための施策を優先すると述べた。",
        ];
        assert_eq!(readable(&ja), (None, 1.0, true));
        // Another script without a stop list stays guarded.
        let hi = [
            "समाचार खेल मौसम",
            "सरकार ने अगले साल के बजट में शिक्षा और स्वास्थ्य पर अधिक खर्च करने का प्रस्ताव रखा है।",
            "मंत्री ने कहा कि नए स्कूल गांवों में बनाए जाएंगे ताकि बच्चों को दूर न जाना पड़े।",
        ];
        assert_eq!(readable(&hi), (None, 0.0, false));
    }

    #[test]
    fn a_view_gives_one_row_per_line() {
        let lines = [
            ("Home", true),
            ("News", false),
            ("Council approves the budget", true),
            (
                "The city council approved the budget for next year on Monday, after a long debate.",
                true,
            ),
            ("Share", true),
        ];
        let view: Vec<ViewText> = lines
            .iter()
            .map(|&(text, gap_before)| ViewText {
                text,
                gap_before,
                stops: stop_words().count(text),
            })
            .collect();
        let lang = stop_words().guess(lines.iter().map(|l| l.0));
        let m = view_features(&view, lang);
        assert_eq!(m.rows(), 5);
        let names = names();
        let col = |name: &str| names.iter().position(|n| n == name).unwrap();
        assert_eq!(m.row(3)[col("prose")], 1.0);
        assert_eq!(m.row(3)[col("in_main")], 1.0);
        assert_eq!(m.row(2)[col("headline_shape")], 1.0);
        assert_eq!(m.row(0)[col("words_log@-1")], -1.0);
        assert_eq!(m.row(1)[col("gap_after")], 1.0);
        assert!(m.values.iter().all(|v| v.is_finite()));
    }

    /// [`Counts::unicode`] as it was first written: the characters
    /// counted one by one, the words split off, trimmed and read again.
    fn unicode_reference(line: &str) -> Counts {
        let mut n = Counts::default();
        for c in line.chars() {
            if c.is_alphabetic() {
                n.letters += 1;
                n.upper += u32::from(c.is_uppercase());
            } else if !c.is_whitespace() {
                n.nonletter += 1;
                if c.is_ascii_digit() || c.is_numeric() {
                    n.digits += 1;
                } else {
                    n.punct += 1;
                }
            }
            n.commas += u32::from(c == ',');
            n.code_chars += u32::from(matches!(c, '{' | '}' | ';' | '=' | '<' | '>'));
        }
        for w in line
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .map(|w| w.trim_matches(['\'', '’']))
            .filter(|w| !w.is_empty())
        {
            let len = w.chars().count() as u32;
            let first = w.chars().next().unwrap_or(' ');
            n.add_word(
                len,
                w.chars().any(|c| c.is_numeric()),
                first.is_alphabetic(),
                first.is_uppercase(),
                w.chars().all(|c| !c.is_lowercase()),
            );
        }
        n
    }

    #[test]
    fn unicode_counts_are_the_reference_counts() {
        let alphabet: Vec<char> = "aZ9' ,’ßÄäÖ İıΣσ ǅ Ⅻ٣ 一 é\u{a0}\u{2003}{;-"
            .chars()
            .collect();
        let mut next = crate::testing::xorshift(0x1234_5678_9abc_def1u64);
        let mut lines: Vec<String> = vec![
            "".into(),
            "Ünïcode ÄÖÜ straße, ’quoted’ l’homme O’NEILL’s".into(),
            "Ⅻ chapters; ٣ items = {x}".into(),
        ];
        for _ in 0..3000 {
            let len = next() % 30;
            lines.push(
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect(),
            );
        }
        for line in &lines {
            assert_eq!(Counts::unicode(line), unicode_reference(line), "{line:?}");
        }
    }

    #[test]
    fn ascii_counts_are_the_unicode_counts() {
        let mut lines: Vec<String> = [
            "",
            "Don't stop: it's 'quoted' and ''empty'' words.",
            "ALL CAPS HEADLINE 2024, A-B c1d2 x'y",
            "var x = {a: 1}; if (x < 2) { y >= 3 }",
            "  tab\there\x0bvt\x0cff\r\n  ",
            "supercalifragilistic expialidocious O'Neill's 12345678901234",
            "'''",
            "a",
            "1,2,3 ,, ;;",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Random ASCII lines, weighted towards the characters that matter.
        let alphabet = b"aZ9' ,;{}=<>-.\t\x0bQx0'";
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..2000 {
            let len = next() % 40;
            let line: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r.is_multiple_of(5) {
                        (32 + (r >> 8) % 95) as u8 as char
                    } else {
                        alphabet[((r >> 8) % alphabet.len() as u64) as usize] as char
                    }
                })
                .collect();
            lines.push(line);
        }
        for line in &lines {
            assert_eq!(
                Counts::ascii(line.as_bytes()),
                Counts::unicode(line),
                "{line:?}"
            );
        }
    }

    #[test]
    fn code_words_are_any_needle_anywhere() {
        let by_contains = |line: &str| {
            let t = line.trim_end();
            t.starts_with(['{', '}'])
                || t.ends_with([';', '{'])
                || CODE_NEEDLES.iter().any(|n| line.contains(n))
        };
        let mut lines: Vec<String> = vec![
            "The function of the council".into(),
            "Prices: var and constant".into(),
            "a => b".into(),
            "f(x){ return 1 }".into(),
            "window.dataLayer = window.dataLayer || [];".into(),
            "Nullable values".into(),
            "see </div> here".into(),
            "plain words only".into(),
            "retur n, functio n, documen t.".into(),
        ];
        // Every needle at the start, the middle and the end of a line, and
        // cut short by one character.
        for n in CODE_NEEDLES {
            lines.push(n.to_string());
            lines.push(format!("x {n} y"));
            lines.push(format!("end {n}"));
            lines.push(n[..n.len() - 1].to_string());
            lines.push(format!("a {} b", &n[..n.len() - 1]));
        }
        for line in &lines {
            assert_eq!(has_code_words(line), by_contains(line), "{line:?}");
        }
    }

    #[test]
    fn rows_at_some_positions_are_the_rows_of_the_whole_view() {
        let texts = [
            "Home | News | Sport",
            "Menu",
            "Council approves the budget",
            "The city council approved the budget for next year on Monday, after a long debate.",
            "Menu",
            "Read more: the budget in figures",
            "Share on Facebook",
            "(c) 2024 The Daily, 12.03.2024 10:15",
        ];
        let view: Vec<ViewText> = texts
            .iter()
            .enumerate()
            .map(|(k, &text)| ViewText {
                text,
                gap_before: k % 3 == 0,
                stops: stop_words().count(text),
            })
            .collect();
        let lang = stop_words().guess(texts.iter().copied());
        let rows: Vec<LineRow> = view.iter().map(|l| line_row_of(l, lang)).collect();
        let all = view_features_from(&view, &rows, lang);
        let positions = [7, 1, 4, 0];
        let some = view_features_at(&view, &rows, lang, &positions, None);
        assert_eq!(some.rows(), positions.len());
        for (i, &k) in positions.iter().enumerate() {
            assert_eq!(some.row(i), all.row(k), "line {k}");
        }
        assert_eq!(view_features_at(&view, &rows, lang, &[], None).rows(), 0);
        // The rows the cleaner builds: the scored lines in full, the lines
        // around them as neighbours, the rest light. A scored line's row
        // is the same.
        let scored = [1usize, 7];
        let mixed: Vec<LineRow> = view
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let level = if scored.contains(&k) {
                    Level::Full
                } else if scored.iter().any(|&s| k.abs_diff(s) <= NEIGHBOUR_REACH) {
                    Level::Neighbour
                } else {
                    Level::Light
                };
                row_of(l, lang, level)
            })
            .collect();
        assert_eq!(mixed[3].level(), Level::Neighbour);
        assert_eq!(mixed[4].level(), Level::Light);
        let some = view_features_at(&view, &mixed, lang, &scored, None);
        for (i, &k) in scored.iter().enumerate() {
            assert_eq!(some.row(i), all.row(k), "line {k}");
        }
        // Rows raised from a lower level, and light rows from the generic
        // layer's class, are the rows found from the text.
        for l in &view {
            let f = measure(l.text);
            let info = classify_line(l.text, &f, &l.stops, lang);
            let light = light_row_known(l, &f, Some(info), lang);
            assert_eq!(light, light_row_of(l, lang));
            let neighbour = raised(&light, l, &f, lang, Level::Neighbour);
            assert_eq!(neighbour, row_of(l, lang, Level::Neighbour));
            assert_eq!(
                raised(&neighbour, l, &f, lang, Level::Full),
                line_row_of(l, lang)
            );
            assert_eq!(
                raised(&light, l, &f, lang, Level::Full),
                line_row_of(l, lang)
            );
        }
        // A neighbour's row holds the full row's values of the features a
        // neighbour gives.
        for l in &view {
            let (n, f) = (row_of(l, lang, Level::Neighbour), line_row_of(l, lang));
            for &feature in NEIGHBOUR_FEATURES {
                let i = feature as usize;
                assert_eq!(
                    n.values[i], f.values[i],
                    "{} of {:?}",
                    LINE_NAMES[i], l.text
                );
            }
        }
    }

    /// The long words of a text as first defined: runs of alphabetic
    /// characters, five or more, lowercased; hashed as the cohesion
    /// features hash them.
    fn long_words_reference(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut flush = |word: &mut String| {
            if word.chars().count() >= COHESION_MIN_LETTERS {
                out.push(if word.is_ascii() {
                    ascii_word_hash(word.as_bytes())
                } else {
                    word.chars().fold(0u64, |h, c| {
                        (h.rotate_left(5) ^ u64::from(c as u32)).wrapping_mul(WORD_HASH_K)
                    })
                });
            }
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphabetic() {
                word.push(c.to_lowercase().next().unwrap());
            } else {
                flush(&mut word);
            }
        }
        flush(&mut word);
        out
    }

    fn long_words(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_long_word(text, |h| out.push(h));
        out
    }

    #[test]
    fn long_words_are_the_reference_words() {
        let texts = [
            "",
            "short word list",
            "Hello World, hello world!",
            "abcde",
            "abcd",
            "exactly eight letters: abcdefgh; and sixteen: abcdefghijklmnop, seventeen abcdefghijklmnopq",
            "Größe groß GRÖSSE Über über Straße",
            "hello—world “quoted” «Привет» ПРИВЕТ мирных",
            "digits123split4567words abc123defgh",
            "Ça s'écrit à l'École: élèves ÉLÈVES",
            "日本語の文章です漢字",
            "ǅemal Ǆungla ﬁnance ﬁnancé",
            "tab\tseparated\u{a0}nbspwords\u{200b}zerowidth",
            "µmeter ªordinal ºgrade ×multiply ÷divide",
        ];
        for t in texts {
            assert_eq!(long_words(t), long_words_reference(t), "{t:?}");
        }
        // Random lines of letters, digits, spaces, punctuation and wide
        // characters, cut anywhere against the eight-byte chunks.
        let pieces = [
            "a", "B", "z", "Z", "@", "[", "`", "{", " ", ".", "7", "é", "É", "ß", "ж", "Ж", "—",
            "’", "日", "\u{a0}", "ǅ", "İ", "ﬁ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut line = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Letters mostly, so that long words are common.
                let p = (state >> 32) as usize % (pieces.len() * 2);
                line.push_str(pieces[if p < pieces.len() { p } else { p % 4 }]);
            }
            assert_eq!(long_words(&line), long_words_reference(&line), "{line:?}");
        }
    }

    /// A view of `texts` in one block, its language and its lines' rows.
    fn one_block<'a>(texts: &[&'a str]) -> (Vec<ViewText<'a>>, Lang, Vec<LineRow>) {
        let view: Vec<ViewText> = texts
            .iter()
            .map(|&text| ViewText {
                text,
                gap_before: false,
                stops: stop_words().count(text),
            })
            .collect();
        let lang = stop_words().guess(texts.iter().copied());
        let rows = view.iter().map(|l| line_row_of(l, lang)).collect();
        (view, lang, rows)
    }

    #[test]
    fn cohesion_is_the_share_of_words_the_prose_uses() {
        let texts = [
            "Tomatoes and basil",
            "Celebrity gossip tonight",
            "Menu",
            "Slice the tomatoes thinly and season them with salt before adding the basil leaves.",
            "Roast everything for twenty minutes, then serve the tomatoes warm with bread.",
            "Unrelated marvellous sentence nobody repeats, written here for the test only.",
        ];
        let (view, lang, rows) = one_block(&texts);
        assert!(rows[3].prose && rows[4].prose && rows[5].prose && !rows[0].prose);
        let m = view_features(&view, lang);
        let names = names();
        let col = |name: &str| names.iter().position(|n| n == name).unwrap();
        let coh = |k: usize| m.row(k)[col("coh_prose")];
        // "tomatoes" is in the prose, "basil" too (only words of five
        // letters or more count: "and" does not).
        assert_eq!(coh(0), 1.0);
        assert_eq!(coh(1), 0.0);
        // No word of five letters: unknown.
        assert_eq!(coh(2), -1.0);
        // A prose line does not count itself: of its seven long words,
        // "tomatoes" is in another prose line, the others are not.
        assert_eq!(coh(4), 1.0 / 7.0);
        assert_eq!(coh(5), 0.0);
        // The main stretch is the prose here.
        assert_eq!(m.row(0)[col("coh_main")], 1.0);
    }

    #[test]
    fn cached_words_give_the_same_rows() {
        // Shares that any lost or added word would change.
        let texts = [
            "Tomatoes and celebrity gossip",
            "Größe der Gurken",
            "Slice the tomatoes thinly and season them with salt before adding the basil leaves.",
            "Die Größe der Tomaten spielt keine Rolle, solange sie reif und aromatisch sind.",
            "Celebrity gossip tonight",
        ];
        let (view, lang, rows) = one_block(&texts);
        let positions = [0, 1, 4];
        let plain = view_features_at(&view, &rows, lang, &positions, None);
        let mut cache = WordCache::default();
        // Keys as a document's line numbers; one line not kept.
        let keys = [Some(10), Some(3), None, Some(7), Some(0)];
        for _ in 0..2 {
            let words = Words {
                cache: &mut cache,
                keys: &keys,
            };
            let cached = view_features_at(&view, &rows, lang, &positions, Some(words));
            assert_eq!(cached.values, plain.values);
        }
        assert!(cache.spans[10].is_some() && cache.spans[2].is_none());
    }
}
