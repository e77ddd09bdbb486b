//! Required literals of a regex: a set of strings one of which every match
//! must contain. The matcher runs a regex only on lines where its scan
//! ([`super::scanner`]) finds one of its required literals, so that the many
//! lines that match nothing cost one scan instead of a lazy-DFA search per
//! regex.
//!
//! The strings are ASCII-lowercased and searched ASCII-case-insensitively:
//! that can only let more lines through (the regex then decides), never
//! fewer. A character class becomes the set of its characters when it is
//! small (`[Ss]`, `(?i)k` with the Kelvin sign, `[:|]`); a large class
//! (`\p{L}`, `\d`, `.`) ends a literal run.

use regex_syntax::hir::{Class, Hir, HirKind};

use super::scanner::{GRAM_BYTES, rarest_gram};

/// At most this many strings in a set built from a concatenation's cross
/// product or from a small class.
const MAX_PRODUCT: usize = 64;
/// At most this many strings in a required set (alternations of literal
/// words can be long; the scan's tables do not mind).
const MAX_SET: usize = 4096;
/// Classes of more characters than this end a literal run.
const MAX_CLASS: usize = 16;

/// Literals are cut to this many bytes (their start, or their rarest gram):
/// any part of a required literal is required too, and the scan looks at
/// no more (see [`super::scanner`]).
const MAX_LITERAL_BYTES: usize = GRAM_BYTES;

/// Characters that case-fold to an ASCII letter: `(?i)s` also matches `ſ`
/// and `(?i)k` the Kelvin sign. They are left out of the literals (keeping
/// them would multiply every word with an `s` or a `k`); the matcher runs
/// every gated regex on a line that holds one of them.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// What a subexpression tells about the strings it matches.
struct Info {
    /// Every string it can match, when that set is small and finite.
    exact: Option<Vec<Vec<u8>>>,
    /// A set of strings one of which every match contains (never holds the
    /// empty string).
    required: Option<Vec<Vec<u8>>>,
}

/// Literals one of which every match contains.
#[derive(Debug, PartialEq, Eq)]
pub struct Required {
    /// ASCII-lowercased, sorted, none empty.
    pub literals: Vec<Vec<u8>>,
    /// Every match starts with one of the literals (the pattern begins with
    /// `^` and a literal part), so only a hit at the start of the line counts.
    pub at_start: bool,
    /// Every match starts with one of the literals (where it sits in the
    /// line is not fixed): the regex can be tried anchored at each hit.
    pub starts_match: bool,
}

/// The required literals of `hir`, or `None` when some match can avoid
/// every literal.
pub fn required_literals(hir: &Hir) -> Option<Required> {
    let info = walk(hir);
    let floating = best(info.required, info.exact.and_then(non_empty)).filter(|f| scannable(f));
    let prefix = anchored_prefix(hir);
    let (set, at_start) = match (floating, prefix) {
        // A literal that must start the line is far more selective than
        // one anywhere in it: "ad" at the start, not "ad" anywhere.
        (Some(f), Some(p)) if 2 * strength(&p) + 2 >= strength(&f) => (p, true),
        (Some(f), _) => (f, false),
        (None, Some(p)) => (p, true),
        (None, None) => return None,
    };
    if at_start {
        return Some(Required {
            literals: cut(set),
            at_start: true,
            starts_match: false,
        });
    }
    let set: Vec<Vec<u8>> = dedup(set.into_iter().map(|s| rarest_gram(&s).to_vec()).collect());
    // When every match starts with one of a few literals (`\b(?:agen|situs)
    // \s+...`), the regex need only be tried where one was found, anchored
    // there: a few bytes instead of the whole line.
    let starts = non_empty(prefixes(hir)).filter(|p| scannable(p));
    if let Some(starts) = starts.filter(|p| strength(p) + 1 >= strength(&set).min(3)) {
        return Some(Required {
            literals: starts,
            at_start: false,
            starts_match: true,
        });
    }
    Some(Required {
        literals: set,
        at_start: false,
        starts_match: false,
    })
}

/// The strings a `^`-anchored pattern must start with (one of them).
fn anchored_prefix(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::Look;
    let HirKind::Concat(subs) = hir.kind() else {
        return None;
    };
    let (first, rest) = subs.split_first()?;
    if !matches!(first.kind(), HirKind::Look(Look::Start)) {
        return None;
    }
    non_empty(concat_prefixes(rest))
}

/// Cuts each string to the bytes the scanner looks at.
fn cut(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    dedup(
        set.into_iter()
            .map(|mut s| {
                s.truncate(MAX_LITERAL_BYTES);
                s
            })
            .collect(),
    )
}

/// Whether every string is as long as the scanner looks.
fn long_enough(set: &[Vec<u8>]) -> bool {
    set.iter().all(|s| s.len() >= MAX_LITERAL_BYTES)
}

/// A set of strings every match of `hir` starts with one of (cut to
/// [`MAX_LITERAL_BYTES`]); `[""]` when nothing is known.
fn prefixes(hir: &Hir) -> Vec<Vec<u8>> {
    let unknown = || vec![Vec::new()];
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => unknown(),
        HirKind::Literal(lit) => cut(vec![lower(&lit.0)]),
        HirKind::Class(class) => class_strings(class).unwrap_or_else(unknown),
        HirKind::Capture(c) => prefixes(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => prefixes(&r.sub),
        HirKind::Repetition(_) => unknown(),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                let p = prefixes(sub);
                if p.iter().any(Vec::is_empty) {
                    return unknown();
                }
                all.extend(p);
                if all.len() > MAX_SET {
                    return unknown();
                }
            }
            dedup(all)
        }
        HirKind::Concat(subs) => concat_prefixes(subs),
    }
}

/// [`prefixes`] of a concatenation: its exact parts multiplied out, then
/// the prefixes of the first inexact part.
fn concat_prefixes(subs: &[Hir]) -> Vec<Vec<u8>> {
    let mut run = vec![Vec::new()];
    for sub in subs {
        if long_enough(&run) {
            break;
        }
        let info = walk(sub);
        let (next, last) = match info.exact {
            Some(e) => (e, false),
            None => (prefixes(sub), true),
        };
        match product_wide(&run, &next) {
            Some(p) => run = cut(p),
            None => break,
        }
        if last {
            break;
        }
    }
    run
}

/// [`product`], allowing large sets when one side is a single string.
fn product_wide(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().min(b.len()) == 1 && a.len().max(b.len()) <= MAX_SET {
        return Some(cross(a, b));
    }
    product(a, b)
}

/// The shortest string's length: a set is as selective as its weakest
/// member.
fn strength(set: &[Vec<u8>]) -> usize {
    set.iter()
        .map(|s| s.len().min(MAX_LITERAL_BYTES))
        .min()
        .unwrap_or(0)
}

/// Whether a set can be searched for anywhere in a line at full speed:
/// each literal is at least [`MAX_LITERAL_BYTES`] long or starts with a
/// byte that is not an ASCII letter or digit. The scanner looks up shorter
/// literals at each occurrence of their first byte, and a common letter
/// (`jan`, `ap`) costs more there than running the regex on every line
/// (see [`super::scanner`]).
fn scannable(set: &[Vec<u8>]) -> bool {
    set.iter()
        .all(|s| s.len() >= MAX_LITERAL_BYTES || !s[0].is_ascii_alphanumeric())
}

/// The more selective of two candidate sets: one that can be scanned for
/// (see [`scannable`]), then the longer shortest member, then fewer members.
fn best(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let rank = |s: &[Vec<u8>]| (scannable(s), strength(s));
            let (sa, sb) = (rank(&a), rank(&b));
            if sb > sa || (sb == sa && b.len() < a.len()) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// The set, unless it holds the empty string (then it requires nothing).
fn non_empty(set: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    (!set.is_empty() && set.iter().all(|s| !s.is_empty())).then_some(set)
}

fn lower(bytes: &[u8]) -> Vec<u8> {
    bytes.to_ascii_lowercase()
}

fn dedup(mut set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.sort();
    set.dedup();
    set
}

/// The cross product of two exact sets, if small enough.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MAX_PRODUCT {
        return None;
    }
    Some(cross(a, b))
}

/// Every string of `a` followed by every string of `b`.
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    dedup(out)
}

/// The characters of a small class, UTF-8 encoded and ASCII-lowercased.
fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    let (ranges, unicode): (Vec<(u32, u32)>, bool) = match class {
        Class::Unicode(c) => (
            c.ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
            true,
        ),
        Class::Bytes(c) => (
            c.ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
            false,
        ),
    };
    let size: u32 = ranges.iter().map(|(s, e)| e - s + 1).sum();
    if size as usize > MAX_CLASS {
        return None;
    }
    let mut out = Vec::new();
    for &(start, end) in &ranges {
        for v in start..=end {
            if !unicode {
                out.push(vec![(v as u8).to_ascii_lowercase()]);
                continue;
            }
            let ch = char::from_u32(v)?;
            if FOLDS_TO_ASCII.contains(&ch) && ranges.len() > 1 {
                continue;
            }
            let mut buf = [0u8; 4];
            out.push(lower(ch.encode_utf8(&mut buf).as_bytes()));
        }
    }
    Some(dedup(out))
}

fn walk(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![Vec::new()]),
            required: None,
        },
        HirKind::Literal(lit) => {
            let s = vec![lower(&lit.0)];
            Info {
                exact: Some(s.clone()),
                required: Some(s),
            }
        }
        HirKind::Class(class) => {
            let exact = class_strings(class);
            Info {
                required: exact.clone().and_then(non_empty),
                exact,
            }
        }
        HirKind::Capture(c) => walk(&c.sub),
        HirKind::Repetition(r) => {
            let sub = walk(&r.sub);
            let exact = match (r.min, r.max) {
                (1, Some(1)) => sub.exact,
                (0, Some(1)) => sub.exact.map(|mut s| {
                    s.push(Vec::new());
                    dedup(s)
                }),
                _ => None,
            };
            let required = if r.min >= 1 { sub.required } else { None };
            Info { exact, required }
        }
        HirKind::Alternation(subs) => {
            let infos: Vec<Info> = subs.iter().map(walk).collect();
            let mut exact = Some(Vec::new());
            let mut required = Some(Vec::new());
            for info in infos {
                exact = match (exact, info.exact.as_ref()) {
                    (Some(mut acc), Some(e)) if acc.len() + e.len() <= MAX_PRODUCT => {
                        acc.extend(e.iter().cloned());
                        Some(acc)
                    }
                    _ => None,
                };
                let mine = best(info.required, info.exact.and_then(non_empty));
                required = match (required, mine) {
                    (Some(mut acc), Some(m)) if acc.len() + m.len() <= MAX_SET => {
                        acc.extend(m);
                        Some(acc)
                    }
                    _ => None,
                };
            }
            Info {
                exact: exact.map(dedup),
                required: required.map(dedup),
            }
        }
        HirKind::Concat(subs) => {
            // Runs of consecutive exact parts multiply into longer exact
            // sets; each run, and each inexact part's own required set, is a
            // candidate; the most selective candidate wins.
            let mut candidate: Option<Vec<Vec<u8>>> = None;
            let mut run: Option<Vec<Vec<u8>>> = Some(vec![Vec::new()]);
            let mut whole_exact = true;
            for sub in subs {
                let info = walk(sub);
                match info.exact {
                    Some(e) => {
                        let next = run.as_deref().and_then(|r| product(r, &e));
                        match next {
                            Some(n) => run = Some(n),
                            None => {
                                // Too many strings: close the run, start
                                // again from this part.
                                whole_exact = false;
                                candidate = best(candidate, run.take().and_then(non_empty));
                                candidate = best(candidate, non_empty(e.clone()));
                                run = Some(e);
                            }
                        }
                    }
                    None => {
                        whole_exact = false;
                        candidate = best(candidate, run.take().and_then(non_empty));
                        candidate = best(candidate, info.required);
                        run = Some(vec![Vec::new()]);
                    }
                }
            }
            let exact = if whole_exact { run.clone() } else { None };
            candidate = best(candidate, run.and_then(non_empty));
            Info {
                exact,
                required: candidate,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the literals must start the line, and the literals.
    fn req(pattern: &str) -> Option<(bool, Vec<String>)> {
        let hir = regex_syntax::parse(pattern).unwrap();
        required_literals(&hir).map(|r| {
            let lits = r
                .literals
                .into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect();
            (r.at_start, lits)
        })
    }

    fn set(at_start: bool, lits: &[&str]) -> Option<(bool, Vec<String>)> {
        Some((at_start, lits.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn anchored_patterns_are_gated_on_how_the_line_starts() {
        // Cut to the four bytes the scanner looks at.
        assert_eq!(req(r"(?i)^baca juga\s*:"), set(true, &["baca"]));
        assert_eq!(req(r"^(?:home|menu)\s*$"), set(true, &["home", "menu"]));
        // A short literal is fine at the start: it is looked up once.
        assert_eq!(req(r"(?i)^(?:ad|ads)\s*$"), set(true, &["ad", "ads"]));
        // Alternations too long to multiply out still give their starts.
        let words: Vec<String> = (0..100).map(|i| format!("w{i:03}")).collect();
        let many = format!("^(?:{})\\s*$", words.join("|"));
        assert_eq!(req(&many).unwrap().1.len(), 100);
        // A repeated group starts with its first part.
        assert_eq!(req(r"^(?:share|tweet\s*)+$"), set(true, &["shar", "twee"]));
    }

    #[test]
    fn floating_literals_are_their_rarest_part() {
        // "lu-m" holds the rarest bytes of the phrase.
        assert_eq!(req(r"\d+ masih malu-malu menulis"), set(false, &["lu-m"]));
        // The longer of two required runs wins.
        assert_eq!(req(r"ab\p{L}{2,9}copyright"), set(false, &["copy"]));
        // One character that must start the line is as selective as a
        // word anywhere, and costs one lookup.
        assert_eq!(req(r"^\(\p{L}+ community"), set(true, &["("]));
        assert_eq!(req(r"^\p{L}+$"), None);
        assert_eq!(req(r"^(?:foto|\d+)$"), None);
    }

    #[test]
    fn literals_that_start_every_match_are_tried_where_found() {
        let starts = |p: &str| {
            let r = required_literals(&regex_syntax::parse(p).unwrap()).unwrap();
            (r.starts_match, r.literals)
        };
        let (yes, lits) = starts(r"(?i)\b(?:agen|situs)\s+(?:togel|slot)\b");
        assert!(yes);
        assert_eq!(lits, vec![b"agen".to_vec(), b"situ".to_vec()]);
        // A phrase starts with its first bytes, not its rarest.
        assert_eq!(
            starts(r"(?i)masih malu-malu"),
            (true, vec![b"masi".to_vec()])
        );
        // Not when the start is unknown, or anchored at the line's start.
        assert!(!starts(r"\d+ masih malu-malu").0);
        assert!(!starts(r"^masih malu-malu").0);
    }

    #[test]
    fn short_letters_anywhere_are_not_scanned_for() {
        // "jan" anywhere would cost a lookup at every 'j'; the comma is
        // taken instead.
        assert_eq!(req(r",\s*\d+\s+(?:jan|feb)"), set(false, &[","]));
        assert_eq!(req(r"\b(?:pdf|doc)\b"), None);
        // Punctuation is rare enough.
        assert_eq!(req(r"\s©\s*\p{L}+$"), set(false, &["©"]));
    }

    #[test]
    fn case_folding_keeps_every_spelling() {
        // (?i)k also matches the Kelvin sign, which is left to the
        // matcher's bypass; literals are lowercased.
        assert_eq!(req(r"(?i)^kompas"), set(true, &["komp"]));
        assert_eq!(req(r"(?i)^KOMPAS"), set(true, &["komp"]));
        assert_eq!(req(r"^[\x{17F}]x"), set(true, &["\u{17F}x"]));
        // An optional part multiplies.
        assert_eq!(req(r"^fo?t:"), set(true, &["fot:", "ft:"]));
    }

    #[test]
    fn optional_parts_require_nothing() {
        assert_eq!(req(r"(?:sumber)?\d"), None);
        assert_eq!(req(r"x*"), None);
        assert_eq!(req(r"(?:ab)+"), None);
        assert_eq!(req(r"(?:ab:)+"), None);
        assert_eq!(req(r"(?:ab|:c)+"), None);
        // Four bytes: "ü" is two.
        assert_eq!(req(r"(?:über)+"), set(false, &["übe"]));
    }
}
