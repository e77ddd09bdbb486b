//! Stop words per language, language guessing per document, and the share
//! of stop words in a line: the signal jusText uses to tell running text
//! from labels, menus and link titles.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

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

pub struct StopWords {
    /// Word → bit mask of the languages whose list holds it.
    map: FxHashMap<&'static str, u32>,
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
                if w.len() <= MAX_STOPWORD_BYTES {
                    *map.entry(*w).or_default() |= bit;
                }
            }
        }
        StopWords { map, langs }
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

/// Calls `f` with each lowercase word of `line` that is short enough to be
/// a stop word, and returns the number of words. Tokens with digits
/// ("S10", "128GB") count as words but are never stop words.
fn for_each_word(line: &str, mut f: impl FnMut(&str)) -> usize {
    let mut count = 0;
    let mut buf = String::new();
    let mut ascii = [0u8; MAX_STOPWORD_BYTES];
    for word in line.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’') {
        let word = word.trim_matches(|c| c == '\'' || c == '’');
        if word.is_empty() {
            continue;
        }
        count += 1;
        let bytes = word.as_bytes();
        if bytes.len() > MAX_STOPWORD_BYTES || bytes.iter().any(u8::is_ascii_digit) {
            continue;
        }
        if bytes.iter().all(u8::is_ascii_lowercase) {
            f(word);
        } else if word.is_ascii() {
            let lower = &mut ascii[..bytes.len()];
            lower.copy_from_slice(bytes);
            lower.make_ascii_lowercase();
            // ASCII stays valid UTF-8 after lowercasing.
            if let Ok(w) = std::str::from_utf8(lower) {
                f(w);
            }
        } else {
            buf.clear();
            buf.extend(word.chars().flat_map(char::to_lowercase));
            f(&buf);
        }
    }
    count
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

impl StopWords {
    /// Counts the stop words of every language in a line.
    pub fn count(&self, line: &str) -> LineStops {
        let mut stops = LineStops::default();
        let words = for_each_word(line, |w| {
            if let Some(&mask) = self.map.get(w) {
                let mut m = mask;
                while m != 0 {
                    let i = m.trailing_zeros() as usize;
                    stops.hits[i] = stops.hits[i].saturating_add(1);
                    m &= m - 1;
                }
            }
        });
        stops.words = words.min(u16::MAX as usize) as u16;
        stops
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
            for_each_word(line, |w| {
                if let Some(&mask) = self.map.get(w) {
                    let mut m = mask;
                    while m != 0 {
                        let i = m.trailing_zeros() as usize;
                        hits[i] += 1;
                        m &= m - 1;
                    }
                }
            });
        }
        self.best(&hits)
    }

    /// Share of the line's words that are stop words of `lang` (0 when the
    /// language is unknown), and the number of words.
    pub fn density(&self, line: &str, lang: Lang) -> (f32, usize) {
        let Some(i) = lang.0 else {
            return (0.0, for_each_word(line, |_| {}));
        };
        let bit = 1u32 << i;
        let mut stops = 0usize;
        let words = for_each_word(line, |w| {
            if self.map.get(w).is_some_and(|m| m & bit != 0) {
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
    if line.is_ascii() {
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
