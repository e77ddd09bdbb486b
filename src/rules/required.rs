//! Required literals of a regex: a set of strings one of which every match
//! must contain. The matcher runs a regex only on lines where its scan
//! ([`super::scanner`]) finds one of its required literals, so that the many
//! lines that match nothing cost one scan instead of a lazy-DFA search per
//! regex.
//!
//! The literal sets come from `regex_syntax`'s [`Extractor`] and are combined
//! as its [`Seq`]s. Two things are added here: the regex is first folded to
//! ASCII lowercase, as the scanner searches (that can only let more lines
//! through, the regex then decides, never fewer), and, since the extractor
//! gives only the literals a match starts (or ends) with, a walk finds the
//! literals a match holds somewhere inside (`copyright` in
//! `\d{4} copyright`), which is what most unanchored rules offer.

use regex_syntax::hir::literal::{Extractor, Literal, Seq};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look,
    Repetition,
};

use super::scanner::{GRAM_BYTES, rarest_gram};

/// At most this many strings in a set that spells out a part of a regex (a
/// concatenation's cross product, an alternation's branches).
const MAX_SPELLED: usize = 64;
/// At most this many strings in a required set (alternations of literal
/// words can be long; the scan's tables do not mind).
const MAX_SET: usize = 4096;
/// Classes of more characters than this end a literal: `[Ss]`, `(?i)k`
/// with the Kelvin sign and `[:|]` are spelled out, `\p{L}`, `\d` and `.`
/// are not.
const MAX_CLASS: usize = 16;
/// Literals inside a match are kept whole up to this length, so that the
/// rarest part of a phrase can be picked (see [`rarest_gram`]).
const MAX_INSIDE_BYTES: usize = 256;

/// Characters that case-fold to an ASCII letter: `(?i)s` also matches `ſ`
/// and `(?i)k` the Kelvin sign. They are left out of the literals (keeping
/// them would multiply every word with an `s` or a `k`); the matcher runs
/// every gated regex on a line that holds one of them.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Literals one of which every match contains.
#[derive(Debug, PartialEq, Eq)]
pub struct RequiredLiterals {
    /// ASCII-lowercased, at most [`GRAM_BYTES`] long, sorted, none empty.
    pub literals: Vec<Vec<u8>>,
    pub place: Place,
}

/// Where the required literals sit in a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Every match starts the line with one of them (its first bytes): only
    /// a hit at the start of the line counts.
    StartOfLine,
    /// Every match starts with one of them (its first bytes), wherever it
    /// sits in the line: the regex can be tried anchored at each hit.
    StartOfMatch,
    /// Every match holds one of them (its rarest part) somewhere.
    InsideMatch,
}

/// The required literals of `hir`, or `None` when some match can avoid
/// every literal (or the only literals are too common to scan for).
pub fn required_literals(hir: &Hir) -> Option<RequiredLiterals> {
    let hir = fold_ascii_case(hir);
    let starts = usable(
        Extractor::new()
            .limit_class(MAX_CLASS)
            .limit_literal_len(GRAM_BYTES)
            .limit_total(MAX_SET)
            .extract(&hir),
    );
    let mut spell = Extractor::new();
    spell
        .limit_class(MAX_CLASS)
        .limit_literal_len(MAX_INSIDE_BYTES)
        .limit_total(MAX_SPELLED);
    let inside = inside(&hir, &spell).filter(scannable);
    let starts_line = hir.properties().look_set_prefix().contains(Look::Start);
    let (set, place) = match (inside, starts.clone().filter(|_| starts_line)) {
        // A literal that must start the line is far more selective than
        // one anywhere in it: "ad" at the start, not "ad" anywhere.
        (Some(i), Some(s)) if 2 * strength(&s) + 2 >= strength(&i) => (s, Place::StartOfLine),
        (Some(i), _) => (i, Place::InsideMatch),
        (None, Some(s)) => (s, Place::StartOfLine),
        (None, None) => return None,
    };
    if place == Place::StartOfLine {
        return Some(RequiredLiterals {
            literals: strings(&set, <[u8]>::to_vec),
            place,
        });
    }
    let grams = strings(&set, |lit| rarest_gram(lit).to_vec());
    // When every match starts with one of a few literals (`\b(?:agen|situs)
    // \s+...`), the regex need only be tried where one was found, anchored
    // there: a few bytes instead of the whole line.
    if let Some(starts) = starts.filter(scannable) {
        let inside_strength = grams.iter().map(Vec::len).min().unwrap_or(0);
        if strength(&starts) + 1 >= inside_strength.min(3) {
            return Some(RequiredLiterals {
                literals: strings(&starts, <[u8]>::to_vec),
                place: Place::StartOfMatch,
            });
        }
    }
    Some(RequiredLiterals {
        literals: grams,
        place: Place::InsideMatch,
    })
}

/// `hir` with every ASCII letter lowercased and every small class spelled
/// out lowercased: `(?i)kompas` becomes the one literal `kompas`, not the
/// 288 spellings the extractor would list (and cut short) from its classes.
/// Large classes stay as they are; the extractor does not spell them out.
fn fold_ascii_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Literal(lit) => Hir::literal(lit.0.to_ascii_lowercase()),
        HirKind::Class(class) => folded_class(class).map_or_else(|| hir.clone(), Hir::class),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(fold_ascii_case(&r.sub)),
        }),
        // Captures do not change what a match holds.
        HirKind::Capture(c) => fold_ascii_case(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_ascii_case).collect()),
    }
}

/// A class of at most [`MAX_CLASS`] characters, ASCII-lowercased, without
/// the [`FOLDS_TO_ASCII`] characters when it has others; `None` for a
/// larger class.
fn folded_class(class: &Class) -> Option<Class> {
    match class {
        Class::Unicode(c) => {
            let size: usize = c.iter().map(|r| r.len()).sum();
            if size > MAX_CLASS {
                return None;
            }
            let chars: Vec<char> = c
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .map(|ch| ch.to_ascii_lowercase())
                .collect();
            let others = chars.iter().any(|ch| !FOLDS_TO_ASCII.contains(ch));
            let kept = chars
                .into_iter()
                .filter(|ch| !(others && FOLDS_TO_ASCII.contains(ch)))
                .map(|ch| ClassUnicodeRange::new(ch, ch));
            Some(Class::Unicode(ClassUnicode::new(kept)))
        }
        Class::Bytes(c) => {
            let size: usize = c.iter().map(|r| r.len()).sum();
            if size > MAX_CLASS {
                return None;
            }
            let bytes = c
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .map(|b| b.to_ascii_lowercase())
                .map(|b| ClassBytesRange::new(b, b));
            Some(Class::Bytes(ClassBytes::new(bytes)))
        }
    }
}

/// A set one of which every match of `hir` holds somewhere, the most
/// selective found (see [`better`]); `spell` lists what a part can match
/// (or start with).
///
/// This is what the extractor cannot give: it knows what a match starts
/// or ends with, and a run of literal parts in the middle of a pattern
/// (`\d+ masih malu-malu`) is neither. Each level asks the extractor about
/// its parts again, so the work grows with the pattern's size times its
/// depth, a few levels for a rule's pattern.
fn inside(hir: &Hir, spell: &Extractor) -> Option<Seq> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => usable(spell.extract(hir)),
        HirKind::Capture(c) => inside(&c.sub, spell),
        HirKind::Repetition(r) if r.min >= 1 => inside(&r.sub, spell),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(subs) => {
            let mut all = Seq::empty();
            for sub in subs {
                let mut one = inside(sub, spell)?;
                if all.max_union_len(&one).is_none_or(|n| n > MAX_SET) {
                    return None;
                }
                all.union(&mut one);
            }
            usable(all)
        }
        HirKind::Concat(subs) => {
            // Consecutive parts spelled out multiply into longer strings
            // (a run); each run, and what each part that cannot be spelled
            // out holds inside, is a candidate.
            let mut best = None;
            let mut run = Seq::singleton(Literal::exact(""));
            for sub in subs {
                let mut part = spell.extract(sub);
                let spelled = part.is_exact();
                if !spelled {
                    best = better(best, inside(sub, spell));
                }
                if run.max_cross_len(&part).is_none_or(|n| n > MAX_SPELLED) {
                    // Too many strings: the run ends before the part, the
                    // next starts with it.
                    best = better(best, usable(run));
                    run = Seq::singleton(Literal::exact(""));
                }
                run.cross_forward(&mut part);
                if !spelled {
                    // The run ends with the part's starts: it goes no
                    // further (`\s(?:\|\s*)?©` holds `©`, and `|` only
                    // sometimes).
                    best = better(best, usable(run));
                    run = Seq::singleton(Literal::exact(""));
                }
            }
            better(best, usable(run))
        }
    }
}

/// The set, if it is finite, not empty and holds no empty string (which
/// would require nothing).
fn usable(mut seq: Seq) -> Option<Seq> {
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(Literal::is_empty) {
        return None;
    }
    seq.sort();
    seq.dedup();
    Some(seq)
}

/// The shortest string's length, as far as the scanner looks: a set is as
/// selective as its weakest member.
fn strength(set: &Seq) -> usize {
    set.min_literal_len().unwrap_or(0).min(GRAM_BYTES)
}

/// Whether a set can be searched for anywhere in a line at full speed:
/// each literal is at least [`GRAM_BYTES`] long or starts with a byte that
/// is not an ASCII letter or digit. The scanner looks up shorter literals
/// at each occurrence of their first byte, and a common letter (`jan`,
/// `ap`) costs more there than running the regex on every line (see
/// [`super::scanner`]).
fn scannable(set: &Seq) -> bool {
    set.literals().is_some_and(|lits| {
        lits.iter()
            .all(|l| l.len() >= GRAM_BYTES || !l.as_bytes()[0].is_ascii_alphanumeric())
    })
}

/// The more selective of two candidate sets: one that can be scanned for
/// (see [`scannable`]), then the longer shortest member, then fewer
/// members; the first of equals.
fn better(a: Option<Seq>, b: Option<Seq>) -> Option<Seq> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let rank = |s: &Seq| (scannable(s), strength(s));
            if rank(&b) > rank(&a) || (rank(&b) == rank(&a) && b.len() < a.len()) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// The strings of a finite set, each mapped, sorted and deduplicated.
fn strings(set: &Seq, map: impl Fn(&[u8]) -> Vec<u8>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = set
        .literals()
        .unwrap_or_default()
        .iter()
        .map(|lit| map(lit.as_bytes()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the literals sit, and the literals.
    fn req(pattern: &str) -> Option<(Place, Vec<String>)> {
        let hir = regex_syntax::parse(pattern).unwrap();
        required_literals(&hir).map(|r| {
            let lits = r
                .literals
                .into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect();
            (r.place, lits)
        })
    }

    fn set(place: Place, lits: &[&str]) -> Option<(Place, Vec<String>)> {
        Some((place, lits.iter().map(|s| s.to_string()).collect()))
    }

    use Place::{InsideMatch, StartOfLine, StartOfMatch};

    #[test]
    fn anchored_patterns_are_gated_on_how_the_line_starts() {
        // Cut to the four bytes the scanner looks at.
        assert_eq!(req(r"(?i)^baca juga\s*:"), set(StartOfLine, &["baca"]));
        assert_eq!(
            req(r"^(?:home|menu)\s*$"),
            set(StartOfLine, &["home", "menu"])
        );
        // A short literal is fine at the start: it is looked up once.
        assert_eq!(
            req(r"(?i)^(?:ad|ads)\s*$"),
            set(StartOfLine, &["ad", "ads"])
        );
        // Alternations too long to multiply out still give their starts.
        let words: Vec<String> = (0..100).map(|i| format!("w{i:03}")).collect();
        let many = format!("^(?:{})\\s*$", words.join("|"));
        assert_eq!(req(&many).unwrap().1.len(), 100);
        // A repeated group starts with its first part.
        assert_eq!(
            req(r"^(?:share|tweet\s*)+$"),
            set(StartOfLine, &["shar", "twee"])
        );
    }

    #[test]
    fn literals_inside_are_their_rarest_part() {
        // "lu-m" holds the rarest bytes of the phrase.
        assert_eq!(
            req(r"\d+ masih malu-malu menulis"),
            set(InsideMatch, &["lu-m"])
        );
        // The longer of two required runs wins.
        assert_eq!(req(r"ab\p{L}{2,9}copyright"), set(InsideMatch, &["copy"]));
        // One character that must start the line is as selective as a
        // word anywhere, and costs one lookup.
        assert_eq!(req(r"^\(\p{L}+ community"), set(StartOfLine, &["("]));
        assert_eq!(req(r"^\p{L}+$"), None);
        assert_eq!(req(r"^(?:foto|\d+)$"), None);
    }

    #[test]
    fn literals_that_start_every_match_are_tried_where_found() {
        assert_eq!(
            req(r"(?i)\b(?:agen|situs)\s+(?:togel|slot)\b"),
            set(StartOfMatch, &["agen", "situ"])
        );
        // A phrase starts with its first bytes, not its rarest.
        assert_eq!(req(r"(?i)masih malu-malu"), set(StartOfMatch, &["masi"]));
        // Not when the start is unknown, or anchored at the line's start.
        assert_eq!(req(r"\d+ masih malu-malu").unwrap().0, InsideMatch);
        assert_eq!(req(r"^masih malu-malu").unwrap().0, StartOfLine);
    }

    #[test]
    fn short_letters_anywhere_are_not_scanned_for() {
        // "jan" anywhere would cost a lookup at every 'j'; the comma is
        // taken instead.
        assert_eq!(req(r",\s*\d+\s+(?:jan|feb)"), set(StartOfMatch, &[","]));
        assert_eq!(req(r"\b(?:pdf|doc)\b"), None);
        // Punctuation is rare enough.
        assert_eq!(req(r"\s©\s*\p{L}+$"), set(InsideMatch, &["©"]));
    }

    #[test]
    fn case_folding_keeps_every_spelling() {
        // (?i)k also matches the Kelvin sign, which is left out (the
        // matcher runs every gated regex on a line with one); literals are
        // lowercased.
        assert_eq!(req(r"(?i)^kompas"), set(StartOfLine, &["komp"]));
        assert_eq!(req(r"(?i)^KOMPAS"), set(StartOfLine, &["komp"]));
        assert_eq!(req(r"^[\x{17F}]x"), set(StartOfLine, &["\u{17F}x"]));
        // An optional part multiplies.
        assert_eq!(req(r"^fo?t:"), set(StartOfLine, &["fot:", "ft:"]));
    }

    /// What the matcher relies on: every match holds one of the literals
    /// where they say, unless the line has a character that folds to ASCII
    /// (then every gated regex runs). Checked on lines pieced together at
    /// random from the patterns' own parts, in every case.
    #[test]
    fn every_match_holds_one_of_its_literals() {
        let patterns = [
            r"(?i)\s(?:\|\s*)?©\s*[^.!?©]{2,60}$",
            r"\d(?:juga\d)?\s©",
            r"\((?:AP|AFP|Dok\.[^)]*)(?:/[^)]*)?\)$",
            r"(?i)^(?:ab\s+)?(?:baca|juga)\s+x",
            r"(?i)^\(?(?:ab|baca)\s*:",
            r"(?i)\b(?:baca|ab)\s+juga\b",
            r"(?i)ab\d+juga",
            r"(?i)k[a-c]{2}s",
            r"(?i)(?:baca|:c)+x",
            r",\s*\d+\s+(?:jan|feb)",
            r"^fo?t:",
            r"(?:über)+",
        ];
        let pieces = [
            "ab", "AB", "Ab", ":", ":c", "|", " ", "  ", "©", "ſ", "\u{212A}", "k", "K", "abs",
            "(", ")", "(AP)", "(ap/", "AFP", "Dok.", "/", "x", "über", "ÜBER", "baca", "BACA",
            "juga", "Juga", "1", "23", ",", "jan", "fot:", "ft:", "fo", "t:", "ab ", "baca ",
            " juga", ", 12 ", "Ab12",
        ];
        let mut random = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = move |n: usize| (random() % n as u64) as usize;
        for pattern in patterns {
            let regex = regex::Regex::new(pattern).unwrap();
            let Some(req) = required_literals(&regex_syntax::parse(pattern).unwrap()) else {
                continue;
            };
            let mut matched = 0;
            for _ in 0..50_000 {
                let line: String = (0..next(8)).map(|_| pieces[next(pieces.len())]).collect();
                if line.contains(FOLDS_TO_ASCII) {
                    continue;
                }
                let lower = line.to_ascii_lowercase();
                for m in regex.find_iter(&line) {
                    matched += 1;
                    let holds = |lit: &Vec<u8>| match req.place {
                        StartOfLine => m.start() == 0 && lower.as_bytes().starts_with(lit),
                        StartOfMatch => lower.as_bytes()[m.start()..].starts_with(lit),
                        InsideMatch => lower.as_bytes()[m.range()]
                            .windows(lit.len())
                            .any(|w| w == lit.as_slice()),
                    };
                    assert!(
                        req.literals.iter().any(holds),
                        "{pattern} matches {line:?} without any of {req:?}"
                    );
                }
            }
            assert!(matched >= 20, "{pattern} matched only {matched} times");
        }
    }

    #[test]
    fn optional_parts_require_nothing() {
        assert_eq!(req(r"(?:sumber)?\d"), None);
        assert_eq!(req(r"x*"), None);
        assert_eq!(req(r"(?:ab)+"), None);
        assert_eq!(req(r"(?:ab:)+"), None);
        assert_eq!(req(r"(?:ab|:c)+"), None);
        // Four bytes: "ü" is two.
        assert_eq!(req(r"(?:über)+"), set(StartOfMatch, &["übe"]));
    }
}
