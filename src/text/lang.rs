//! Stop words per language, language guessing per document, and the share
//! of stop words in a line: the signal jusText uses to tell running text
//! from labels, menus and link titles.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::char_at;
use super::stop_automaton::Automaton;

/// Languages with stop lists, by ISO 639-1 code. At most 32 (a bit mask).
const LANGS: &[&str] = &[
    "en", "de", "id", "es", "fr", "pt", "it", "nl", "pl", "sv", "da", "no", "fi", "cs", "sk", "hu",
    "ro", "tr", "ca", "hr", "sl", "tl", "et", "lv", "ru", "uk", "el", "ar", "vi",
];

/// How much text (in bytes, whole lines) the language guess reads.
const GUESS_SAMPLE_BYTES: usize = 6_000;
/// How many words (whole lines) the language guess from counts reads.
const GUESS_SAMPLE_WORDS: usize = 1_000;

/// Words longer than this (in bytes) are never looked up.
const MAX_STOPWORD_BYTES: usize = 24;

/// A word of at most [`MAX_STOPWORD_BYTES`] bytes, zero-padded into three
/// little-endian words. Words hold no NUL bytes, so the padding is
/// unambiguous and the length need not be stored.
type Key = [u64; 3];

fn key_of(word: &[u8]) -> Option<Key> {
    if word.len() > MAX_STOPWORD_BYTES {
        return None;
    }
    let mut buf = [0u8; MAX_STOPWORD_BYTES];
    buf[..word.len()].copy_from_slice(word);
    Some(pack(&buf))
}

fn pack(buf: &[u8; MAX_STOPWORD_BYTES]) -> Key {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&buf[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    [word(0), word(1), word(2)]
}

/// An open-addressing table from packed words of one length class (`N`
/// significant key words) to language masks. Built once; lookups compare
/// integers, not strings. Each key sits beside its mask, so that a look-up
/// touches one cache line.
struct PackedTable<const N: usize> {
    slots: Vec<([u64; N], u32)>,
    shift: u32,
}

impl<const N: usize> PackedTable<N> {
    fn new(entries: &[([u64; N], u32)]) -> Self {
        // At most about two thirds full, so that probe runs stay short.
        let bits = (entries.len().max(1) * 3 / 2)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let size = 1usize << bits;
        let mut table = PackedTable {
            slots: vec![([0; N], 0); size],
            shift: 64 - bits,
        };
        for &entry in entries {
            let mut slot = table.slot(&entry.0);
            while table.slots[slot].0[0] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            table.slots[slot] = entry;
        }
        table
    }

    #[inline]
    fn slot(&self, key: &[u64; N]) -> usize {
        let mut h = key[0];
        for (i, &k) in key.iter().enumerate().skip(1) {
            h ^= k.rotate_left(21 * i as u32);
        }
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, key: &[u64; N]) -> u32 {
        let mask = self.slots.len() - 1;
        let mut slot = self.slot(key);
        loop {
            let (k, m) = &self.slots[slot];
            if k == key {
                return *m;
            }
            if k[0] == 0 {
                return 0;
            }
            slot = (slot + 1) & mask;
        }
    }
}

pub struct StopWords {
    /// Words of 1 to 8, 9 to 16 and 17 to 24 bytes → bit mask of the
    /// languages whose list holds them.
    short: PackedTable<1>,
    mid: PackedTable<2>,
    long: PackedTable<3>,
    /// The same words as one automaton over ASCII bytes, for [`StopWords::count`].
    automaton: Automaton,
    langs: Vec<&'static str>,
}

/// The stop lists, built once per process.
pub fn stop_words() -> &'static StopWords {
    static STOP: OnceLock<StopWords> = OnceLock::new();
    STOP.get_or_init(|| {
        let mut map: FxHashMap<&'static str, u32> = FxHashMap::default();
        let mut langs = Vec::new();
        for code in LANGS {
            let Some(words) = stop_words::lookup(code) else {
                continue;
            };
            let bit = 1u32 << langs.len();
            langs.push(*code);
            for w in words {
                if !w.is_empty() && w.len() <= MAX_STOPWORD_BYTES && !w.contains('\0') {
                    *map.entry(*w).or_default() |= bit;
                }
            }
        }
        // A fixed order, so that the tables are laid out alike in every run.
        let mut entries: Vec<(&'static str, u32)> = map.into_iter().collect();
        entries.sort_unstable();
        let class = |lo: usize, hi: usize| {
            entries
                .iter()
                .filter(move |(w, _)| (lo..=hi).contains(&w.len()))
                .filter_map(|(w, m)| key_of(w.as_bytes()).map(|k| (k, *m)))
        };
        let short: Vec<_> = class(1, 8).map(|(k, m)| ([k[0]], m)).collect();
        let mid: Vec<_> = class(9, 16).map(|(k, m)| ([k[0], k[1]], m)).collect();
        let long: Vec<_> = class(17, MAX_STOPWORD_BYTES).collect();
        StopWords {
            short: PackedTable::new(&short),
            mid: PackedTable::new(&mid),
            long: PackedTable::new(&long),
            automaton: Automaton::new(&entries, MAX_STOPWORD_BYTES),
            langs,
        }
    })
}

/// A guessed document language: an index into the stop lists, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lang(Option<u8>);

impl Lang {
    pub fn code(self) -> Option<&'static str> {
        self.0.map(|i| stop_words().langs[i as usize])
    }
}

/// How the tokenizer sees a byte: flags that a word's bytes are or-ed
/// into; 0 for an ASCII separator.
const WORD: u8 = 1;
const DIGIT: u8 = 4;
/// The first byte of a non-ASCII character, decoded to decide.
const NON_ASCII: u8 = 8;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            NON_ASCII
        } else if c.is_ascii_alphabetic() || c == b'\'' {
            WORD
        } else if c.is_ascii_digit() {
            WORD | DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Bytes `at..at + min(n, 8)` of `bytes` as a little-endian word, zero
/// above them (0 when `n` is 0): one unaligned load where eight bytes can
/// be read inside `bytes`.
#[inline]
fn load_le(bytes: &[u8], at: usize, n: usize) -> u64 {
    let n = n.min(8);
    if n == 0 {
        return 0;
    }
    let keep = |x: u64| {
        if n == 8 {
            x
        } else {
            x & ((1u64 << (8 * n)) - 1)
        }
    };
    let word = |from: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[from..from + 8]);
        u64::from_le_bytes(w)
    };
    if at + 8 <= bytes.len() {
        keep(word(at))
    } else if bytes.len() >= 8 {
        // The eight bytes that end the line, shifted down to `at`.
        let from = bytes.len() - 8;
        keep(word(from) >> (8 * (at - from)))
    } else {
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(&bytes[at..at + n]);
        u64::from_le_bytes(w)
    }
}

/// The eight ASCII bytes of `x` with `A`-`Z` lowered (bytes of 0x80 and
/// above are not ASCII and never reach here).
#[inline]
fn lower_ascii(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte's top bit is set by the first sum when it is `A` or above, by
    // the second when it is above `Z`; no sum carries into the next byte.
    let from_a = x.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let past_z = x.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = from_a & !past_z & (ONES * 0x80);
    x | (upper >> 2)
}

/// A character that belongs to a word: a letter or digit, or an apostrophe
/// (straight or curly).
#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

const CURLY_APOSTROPHE: &[u8] = "’".as_bytes();

/// `word` without apostrophes (straight or curly) at either end.
fn trim_apostrophes(mut word: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = word.strip_prefix(b"'") {
            word = rest;
        } else if let Some(rest) = word.strip_prefix(CURLY_APOSTROPHE) {
            word = rest;
        } else {
            break;
        }
    }
    loop {
        if let Some(rest) = word.strip_suffix(b"'") {
            word = rest;
        } else if let Some(rest) = word.strip_suffix(CURLY_APOSTROPHE) {
            word = rest;
        } else {
            break;
        }
    }
    word
}

impl StopWords {
    /// The languages whose stop list holds the lowercase word in `buf`
    /// (`len` bytes, zero-padded).
    #[inline]
    fn mask(&self, buf: &[u8; MAX_STOPWORD_BYTES], len: usize) -> u32 {
        let k = pack(buf);
        match len {
            0 => 0,
            1..=8 => self.short.get(&[k[0]]),
            9..=16 => self.mid.get(&[k[0], k[1]]),
            _ => self.long.get(&k),
        }
    }

    /// The languages whose stop list holds the word `word` (trimmed of
    /// apostrophes, not empty, not longer than [`MAX_STOPWORD_BYTES`],
    /// without digits, not ASCII), each character lowercased alone.
    #[inline]
    fn word_mask(&self, word: &str) -> u32 {
        let mut buf = [0u8; MAX_STOPWORD_BYTES];
        let mut len = 0;
        for c in word.chars().flat_map(char::to_lowercase) {
            let n = c.len_utf8();
            if len + n > MAX_STOPWORD_BYTES {
                // Longer than any stop word.
                return 0;
            }
            c.encode_utf8(&mut buf[len..]);
            len += n;
        }
        self.mask(&buf, len)
    }

    /// The languages whose stop list holds the ASCII word `line[at..at + len]` (`len`
    /// 1 to [`MAX_STOPWORD_BYTES`]): its key read from the line eight bytes
    /// at a time and lowercased in the register, not copied into a buffer
    /// and lowercased there.
    #[inline]
    fn ascii_word_mask(&self, line: &[u8], at: usize, len: usize) -> u32 {
        let chunk = |i: usize| lower_ascii(load_le(line, at + 8 * i, len.saturating_sub(8 * i)));
        match len {
            0 => 0,
            1..=8 => self.short.get(&[chunk(0)]),
            9..=16 => self.mid.get(&[chunk(0), chunk(1)]),
            _ => self.long.get(&[chunk(0), chunk(1), chunk(2)]),
        }
    }

    /// Calls `f` with the language mask (maybe 0) of each word of `line`
    /// that is short enough to be a stop word, and returns the number of
    /// words. Words are runs of letters, digits and apostrophes, trimmed of
    /// apostrophes; tokens with digits ("S10", "128GB") count as words but
    /// are never stop words.
    #[inline]
    fn for_each_word(&self, line: &str, mut f: impl FnMut(u32)) -> usize {
        let mut count = 0;
        let mut i = 0;
        while i < line.len() {
            let (next, words) = self.token_at(line, i, &mut f);
            count += words;
            i = next;
        }
        count
    }

    /// One step of [`StopWords::for_each_word`] at byte `i` (the start of
    /// a character): skips a character that is no part of a word, or reads
    /// the token that starts there and calls `f` with its mask if it is
    /// looked up. Returns where the next step starts and the words read (0
    /// or 1).
    #[inline]
    fn token_at(&self, line: &str, mut i: usize, f: &mut impl FnMut(u32)) -> (usize, usize) {
        let bytes = line.as_bytes();
        let n = bytes.len();
        // Skip to the start of a word.
        let class = BYTE_CLASS[bytes[i] as usize];
        if class & NON_ASCII != 0 {
            let (c, len) = char_at(line, i);
            if !is_word_char(c) {
                return (i + len, 0);
            }
        } else if class == 0 {
            return (i + 1, 0);
        }
        let start = i;
        let mut flags = 0u8;
        while i < n {
            let class = BYTE_CLASS[bytes[i] as usize];
            if class & NON_ASCII != 0 {
                let (c, len) = char_at(line, i);
                if !is_word_char(c) {
                    break;
                }
                flags |= NON_ASCII;
                i += len;
            } else if class == 0 {
                break;
            } else {
                flags |= class;
                i += 1;
            }
        }
        let digit = flags & DIGIT != 0;
        let word = trim_apostrophes(&bytes[start..i]);
        if word.is_empty() {
            return (i, 0);
        }
        if word.len() > MAX_STOPWORD_BYTES || digit {
            return (i, 1);
        }
        // Where the word starts in the line, past the apostrophes trimmed.
        let at = word.as_ptr() as usize - bytes.as_ptr() as usize;
        if flags & NON_ASCII != 0 && !word.is_ascii() {
            // Tokens end on char boundaries.
            f(self.word_mask(&line[at..at + word.len()]));
        } else {
            f(self.ascii_word_mask(bytes, at, word.len()));
        }
        (i, 1)
    }
}

/// Stop-word counts of one line for every language, so that guessing the
/// language and measuring a line's share need one pass over its words.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineStops {
    /// Stop words per language (index as in the stop lists), capped at 255.
    hits: [u8; 32],
    /// Words in the line.
    pub words: u16,
}

impl LineStops {
    /// The share of the line's words that are stop words of `lang`.
    pub fn share(&self, lang: Lang) -> f32 {
        match lang.0 {
            Some(i) if self.words > 0 => f32::from(self.hits[i as usize]) / f32::from(self.words),
            _ => 0.0,
        }
    }
}

/// One stop word of the languages in `mask` added to their counts
/// (saturating at 255).
fn add_stop_word(hits: &mut [u8; 32], mut mask: u32) {
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        hits[i] = hits[i].saturating_add(1);
        mask &= mask - 1;
    }
}

impl StopWords {
    /// Counts the stop words of every language in a line.
    pub fn count(&self, line: &str) -> LineStops {
        let mut hits = [0u8; 32];
        let mut words = 0usize;
        self.automaton
            .count(line.as_bytes(), &mut hits, &mut words, |i, hits, words| {
                let (next, n) = self.token_at(line, i, &mut |m| add_stop_word(hits, m));
                *words += n;
                next
            });
        LineStops {
            hits,
            words: words.min(u16::MAX as usize) as u16,
        }
    }

    /// Guesses a language from counted lines (the first few hundred words):
    /// the stop list that covers most words.
    pub fn guess_counted<'a>(&self, lines: impl Iterator<Item = &'a LineStops>) -> Lang {
        let mut hits = [0u32; 32];
        let mut budget = GUESS_SAMPLE_WORDS;
        for line in lines {
            if budget == 0 {
                break;
            }
            budget = budget.saturating_sub(line.words as usize);
            for (total, &h) in hits.iter_mut().zip(&line.hits) {
                *total += u32::from(h);
            }
        }
        self.best(&hits)
    }

    fn best(&self, hits: &[u32; 32]) -> Lang {
        let best = (0..self.langs.len()).max_by_key(|&i| (hits[i], std::cmp::Reverse(i)));
        Lang(best.filter(|&i| hits[i] > 0).map(|i| i as u8))
    }

    /// Guesses the language of a document from a sample of its lines: the
    /// stop list that covers most words.
    pub fn guess<'a>(&self, lines: impl Iterator<Item = &'a str>) -> Lang {
        let mut hits = [0u32; 32];
        let mut budget = GUESS_SAMPLE_BYTES;
        for line in lines {
            if budget == 0 {
                break;
            }
            budget = budget.saturating_sub(line.len());
            self.for_each_word(line, |mut m| {
                while m != 0 {
                    let i = m.trailing_zeros() as usize;
                    hits[i] += 1;
                    m &= m - 1;
                }
            });
        }
        self.best(&hits)
    }

    /// Share of the line's words that are stop words of `lang` (0 when the
    /// language is unknown), and the number of words.
    pub fn density(&self, line: &str, lang: Lang) -> (f32, usize) {
        let Some(i) = lang.0 else {
            return (0.0, self.for_each_word(line, |_| {}));
        };
        let bit = 1u32 << i;
        let mut stops = 0usize;
        let words = self.for_each_word(line, |m| {
            if m & bit != 0 {
                stops += 1;
            }
        });
        if words == 0 {
            (0.0, 0)
        } else {
            (stops as f32 / words as f32, words)
        }
    }
}

/// Characters of CJK scripts, which write words without spaces.
pub fn cjk_chars(line: &str) -> usize {
    // Every counted character is three bytes long and starts with one of
    // these bytes (U+3040 is E3 81 80, U+D7AF is ED 9E AF).
    if !line
        .bytes()
        .fold(false, |any, b| any | (0xe3..=0xed).contains(&b))
    {
        return 0;
    }
    line.chars()
        .filter(|&c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_languages() {
        let s = stop_words();
        let de = ["Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden."];
        assert_eq!(s.guess(de.iter().copied()).code(), Some("de"));
        let id = [
            "Menteri Luar Negeri Rusia bertemu dengan Perdana Menteri Pakistan untuk membicarakan perdamaian yang sedang dibahas.",
        ];
        assert_eq!(s.guess(id.iter().copied()).code(), Some("id"));
        let en =
            ["The Senate voted on Tuesday to approve the bill that keeps the government open."];
        assert_eq!(s.guess(en.iter().copied()).code(), Some("en"));
    }

    /// The word splitting and lookup that the packed tables replaced.
    fn reference_count(map: &FxHashMap<&str, u32>, line: &str) -> ([u32; 32], usize) {
        let mut hits = [0u32; 32];
        let mut count = 0;
        for word in line.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’') {
            let word = word.trim_matches(|c| c == '\'' || c == '’');
            if word.is_empty() {
                continue;
            }
            count += 1;
            if word.len() > MAX_STOPWORD_BYTES || word.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            let mut m = map.get(lower.as_str()).copied().unwrap_or(0);
            while m != 0 {
                hits[m.trailing_zeros() as usize] += 1;
                m &= m - 1;
            }
        }
        (hits, count)
    }

    #[test]
    fn packed_lookup_matches_reference() {
        let s = stop_words();
        let mut map: FxHashMap<&'static str, u32> = FxHashMap::default();
        for (i, code) in LANGS.iter().enumerate() {
            for w in stop_words::lookup(code).unwrap_or_default() {
                if w.len() <= MAX_STOPWORD_BYTES {
                    *map.entry(*w).or_default() |= 1 << i;
                }
            }
        }
        // Every stop word, in several casings and with apostrophes around.
        let mut lines: Vec<String> = Vec::new();
        for code in LANGS {
            for w in stop_words::lookup(code).unwrap_or_default() {
                let upper = w.to_uppercase();
                lines.push(format!("{w} {upper} '{w}’ x{w} {w}1 ’{w}'s {w}{w}{w}"));
                // Alone, and last in a longer line: a word read near the
                // end of its line.
                lines.push(upper.clone());
                lines.push(format!("Twelve bytes {upper}'"));
            }
        }
        lines.extend(
            [
                "Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden.",
                "DON'T don’t ''' ’’ ' ’a’ İSTANBUL ÇOK Şu ŞEY İçin ΣΑΣ ΚΑΙ",
                "Samsung Galaxy S10 128GB — “Kami” … https://example.com/a-b?c=d",
                "aaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbb ééééééééééééé ßßßßßßßßßßßß",
                "一个约定，信守15年 한국어 문장 ١٢٣ Việt Nam và những người",
                "",
                "   ",
                "x",
            ]
            .map(String::from),
        );
        for line in &lines {
            let got = s.count(line);
            let (hits, words) = reference_count(&map, line);
            assert_eq!(usize::from(got.words), words, "{line}");
            for (i, &h) in hits.iter().enumerate() {
                assert_eq!(u32::from(got.hits[i]), h.min(255), "{line} ({i})");
            }
        }
    }

    /// The counts of the word loop alone, which the automaton replaced in
    /// [`StopWords::count`].
    fn count_by_words(s: &StopWords, line: &str) -> LineStops {
        let mut stops = LineStops::default();
        let words = s.for_each_word(line, |m| add_stop_word(&mut stops.hits, m));
        stops.words = words.min(u16::MAX as usize) as u16;
        stops
    }

    fn assert_same_counts(s: &StopWords, line: &str) {
        let (got, want) = (s.count(line), count_by_words(s, line));
        assert_eq!((got.hits, got.words), (want.hits, want.words), "{line:?}");
    }

    #[test]
    fn automaton_counts_as_the_word_loop_on_golden_pages() {
        let s = stop_words();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/golden");
        let mut lines = 0;
        for case in std::fs::read_dir(dir).unwrap() {
            let Ok(text) = std::fs::read_to_string(case.unwrap().path().join("input.txt")) else {
                continue;
            };
            for line in text.lines() {
                assert_same_counts(s, line);
                lines += 1;
            }
        }
        assert!(lines > 1_000, "{lines}");
    }

    #[test]
    fn automaton_counts_as_the_word_loop_on_random_lines() {
        // Stop words and their pieces glued with apostrophes, digits,
        // separators and characters beyond ASCII, in every casing.
        let s = stop_words();
        let mut pieces: Vec<String> = [
            "'", "’", "''", "1", "x", "é", "É", "ß", "—", " ", ",", "-", "İ", "中",
        ]
        .map(String::from)
        .to_vec();
        for code in ["en", "de", "fr", "it", "nl", "pt", "tr", "id"] {
            for w in stop_words::lookup(code).unwrap_or_default().iter().take(60) {
                pieces.push(w.to_string());
                pieces.push(w.to_uppercase());
                pieces.push(w.chars().take(2).collect());
            }
        }
        pieces.push("a".repeat(23));
        pieces.push("b".repeat(25));
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut rand = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..rand(12) {
                line.push_str(&pieces[rand(pieces.len())]);
                if rand(3) == 0 {
                    line.push(' ');
                }
            }
            assert_same_counts(s, &line);
        }
        // More than 255 stop words of a language: the counts saturate.
        assert_same_counts(s, &"the ".repeat(300));
    }

    #[test]
    fn automaton_stays_small() {
        // Its transition table is read for every byte of every line: it
        // must stay in the caches (32 columns of 2 bytes a state).
        let states = stop_words().automaton.states();
        eprintln!("stop-word automaton: {states} states");
        assert!(states < 20_000, "{states}");
    }

    #[test]
    fn density_separates_prose_from_labels() {
        let s = stop_words();
        let de = s.guess(
            ["Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden."]
                .into_iter(),
        );
        let (prose, _) = s.density(
            "Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden.",
            de,
        );
        let (label, _) = s.density("Samsung Galaxy S10 128GB", de);
        assert!(prose > 0.3 && label < 0.1, "{prose} {label}");
    }
}
