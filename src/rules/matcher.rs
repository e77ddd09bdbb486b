//! Line matching for all pattern-bearing rules at once.
//!
//! Literal patterns of every rule go into (at most) two Aho-Corasick DFAs,
//! one case-sensitive and one ASCII-case-insensitive; regexes (and literals
//! whose case folding is not ASCII-only) go into one `RegexSet`. The cost of
//! matching a line therefore grows with the line, not with the number of
//! rules. Lines longer than every rule's length guard are not matched at all,
//! which skips most prose paragraphs.
//!
//! Word boundaries (`\b`, `\B`) are Unicode-aware in the regex crate, and a
//! `RegexSet` with them falls back to a slow engine on non-ASCII text;
//! counted repetitions (`.{0,80}`) multiply automaton states. So the set is
//! built from loosened patterns (no word boundaries, open repetitions),
//! which can only match more, and each hit of a loosened pattern is
//! confirmed with the original regex: exact semantics, fast path for the
//! lines that match nothing.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};

/// How a literal must sit in the line to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

#[derive(Clone, Copy, Debug)]
struct LiteralPattern {
    rule: u32,
    anchor: Anchor,
}

/// A pattern handed to the builder.
pub enum Pattern<'a> {
    Literal {
        text: &'a str,
        anchor: Anchor,
        case_insensitive: bool,
    },
    Regex {
        source: String,
    },
}

/// Collects patterns, then compiles them once.
#[derive(Default)]
pub struct MatcherBuilder {
    cs_texts: Vec<String>,
    cs_pats: Vec<LiteralPattern>,
    ci_texts: Vec<String>,
    ci_pats: Vec<LiteralPattern>,
    regexes: Vec<String>,
    regex_rules: Vec<u32>,
    /// The longest line (characters) each regex's rule applies to.
    regex_max_chars: Vec<usize>,
}

/// Regexes are grouped by the longest line their rule applies to, so that a
/// long line only runs the patterns that can still drop it.
const TIERS: [usize; 4] = [64, 128, 256, usize::MAX];

/// A looser form of a regex for the shared `RegexSet`: word-boundary
/// assertions removed and bounded repetitions opened up (`.{0,80}` becomes
/// `.*`). It matches every line the original matches (and maybe more), and
/// compiles to a far smaller automaton: counted repetitions of Unicode
/// classes and Unicode word boundaries are what make a lazy DFA slow.
/// `None` when loosening changes nothing (or the pattern does not parse,
/// which compilation reports elsewhere).
fn loosened(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
    fn walk(h: &Hir, changed: &mut bool) -> Hir {
        match h.kind() {
            HirKind::Look(
                Look::WordAscii
                | Look::WordAsciiNegate
                | Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::WordStartAscii
                | Look::WordEndAscii
                | Look::WordStartUnicode
                | Look::WordEndUnicode
                | Look::WordStartHalfAscii
                | Look::WordEndHalfAscii
                | Look::WordStartHalfUnicode
                | Look::WordEndHalfUnicode,
            ) => {
                *changed = true;
                Hir::empty()
            }
            HirKind::Repetition(r) => {
                let sub = walk(&r.sub, changed);
                let open = r.max.is_some_and(|m| m > 3) || r.min > 3;
                *changed |= open;
                Hir::repetition(Repetition {
                    min: if open { r.min.min(1) } else { r.min },
                    max: if open { None } else { r.max },
                    greedy: r.greedy,
                    sub: Box::new(sub),
                })
            }
            HirKind::Capture(c) => Hir::capture(Capture {
                index: c.index,
                name: c.name.clone(),
                sub: Box::new(walk(&c.sub, changed)),
            }),
            HirKind::Concat(v) => Hir::concat(v.iter().map(|x| walk(x, changed)).collect()),
            HirKind::Alternation(v) => {
                Hir::alternation(v.iter().map(|x| walk(x, changed)).collect())
            }
            _ => h.clone(),
        }
    }
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut changed = false;
    let loose = walk(&hir, &mut changed);
    changed.then(|| loose.to_string())
}

/// Whether every match of the pattern starts at the start of the line.
fn starts_anchored(pattern: &str) -> bool {
    regex_syntax::parse(pattern).is_ok_and(|h| {
        h.properties()
            .look_set_prefix()
            .contains(regex_syntax::hir::Look::Start)
    })
}

/// Wraps a literal as an anchored regex source.
pub fn literal_regex(text: &str, anchor: Anchor, case_insensitive: bool) -> String {
    let escaped = regex::escape(text);
    let flags = if case_insensitive { "(?i)" } else { "" };
    match anchor {
        Anchor::Exact => format!("{flags}^(?:{escaped})$"),
        Anchor::Prefix => format!("{flags}^(?:{escaped})"),
        Anchor::Suffix => format!("{flags}(?:{escaped})$"),
        Anchor::Contains => format!("{flags}{escaped}"),
    }
}

impl MatcherBuilder {
    /// Adds a pattern of `rule`, which applies to lines of at most
    /// `max_chars` characters.
    pub fn add(&mut self, rule: u32, max_chars: usize, pattern: Pattern<'_>) {
        match pattern {
            Pattern::Literal {
                text,
                anchor,
                case_insensitive,
            } => {
                // Aho-Corasick folds ASCII case only; a literal with other
                // cased letters becomes a regex so `Über` matches `über`.
                let needs_unicode_fold =
                    case_insensitive && text.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
                if needs_unicode_fold {
                    self.regexes.push(literal_regex(text, anchor, true));
                    self.regex_rules.push(rule);
                    self.regex_max_chars.push(max_chars);
                } else if case_insensitive {
                    self.ci_texts.push(text.to_string());
                    self.ci_pats.push(LiteralPattern { rule, anchor });
                } else {
                    self.cs_texts.push(text.to_string());
                    self.cs_pats.push(LiteralPattern { rule, anchor });
                }
            }
            Pattern::Regex { source } => {
                self.regexes.push(source);
                self.regex_rules.push(rule);
                self.regex_max_chars.push(max_chars);
            }
        }
    }

    /// Compiles the automata. Regexes must have been validated one by one
    /// before (so that an error can name its rule); a failure here is a
    /// size limit.
    pub fn build(self) -> Result<LineMatcher, String> {
        let ac = |texts: &[String], ci: bool| -> Result<Option<AhoCorasick>, String> {
            if texts.is_empty() {
                return Ok(None);
            }
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(ci)
                .build(texts)
                .map(Some)
                .or_else(|_| {
                    // Very large pattern sets can exceed the DFA limits;
                    // let the library pick a kind that fits.
                    AhoCorasickBuilder::new()
                        .match_kind(MatchKind::Standard)
                        .ascii_case_insensitive(ci)
                        .build(texts)
                        .map(Some)
                        .map_err(|e| e.to_string())
                })
        };
        let mut prefilter = Vec::with_capacity(self.regexes.len());
        let mut confirm = Vec::with_capacity(self.regexes.len());
        for source in &self.regexes {
            match loosened(source) {
                Some(loose) => {
                    prefilter.push(loose);
                    confirm.push(Some(Regex::new(source).map_err(|e| e.to_string())?));
                }
                None => {
                    prefilter.push(source.clone());
                    confirm.push(None);
                }
            }
        }
        // Patterns anchored at the line start go into sets of their own:
        // a search of such a set gives up after a few bytes on most lines.
        let anchored: Vec<bool> = prefilter.iter().map(|p| starts_anchored(p)).collect();
        let mut sets = Vec::new();
        for (k, &limit) in TIERS.iter().enumerate() {
            let floor = if k == 0 { 0 } else { TIERS[k - 1] };
            for want_anchored in [true, false] {
                let members: Vec<usize> = (0..prefilter.len())
                    .filter(|&i| {
                        anchored[i] == want_anchored
                            && self.regex_max_chars[i] > floor
                            && self.regex_max_chars[i] <= limit
                    })
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let set = RegexSetBuilder::new(members.iter().map(|&i| &prefilter[i]))
                    .dfa_size_limit(16 << 20)
                    .size_limit(64 << 20)
                    .build()
                    .map_err(|e| e.to_string())?;
                sets.push(Tier {
                    limit,
                    set,
                    members,
                });
            }
        }
        Ok(LineMatcher {
            cs: ac(&self.cs_texts, false)?,
            cs_pats: self.cs_pats,
            ci: ac(&self.ci_texts, true)?,
            ci_pats: self.ci_pats,
            sets,
            confirm,
            regex_rules: self.regex_rules,
        })
    }
}

/// The compiled matcher.
pub struct LineMatcher {
    cs: Option<AhoCorasick>,
    cs_pats: Vec<LiteralPattern>,
    ci: Option<AhoCorasick>,
    ci_pats: Vec<LiteralPattern>,
    sets: Vec<Tier>,
    /// For loosened set patterns: the original, which confirms a hit.
    confirm: Vec<Option<Regex>>,
    regex_rules: Vec<u32>,
}

/// The regexes whose rules apply to lines up to `limit` characters (and
/// longer than the previous tier's limit).
struct Tier {
    limit: usize,
    set: RegexSet,
    /// Index of each set pattern among all regexes.
    members: Vec<usize>,
}

impl LineMatcher {
    /// Appends to `out` the index of every rule with a pattern matching
    /// `line` (unsorted, possibly repeated).
    pub fn matches(&self, line: &str, out: &mut Vec<u32>) {
        self.matches_sized(line, line.chars().count(), out);
    }

    /// [`Self::matches`] for a line of `chars` characters.
    pub fn matches_sized(&self, line: &str, chars: usize, out: &mut Vec<u32>) {
        for (ac, pats) in [(&self.cs, &self.cs_pats), (&self.ci, &self.ci_pats)] {
            let Some(ac) = ac else { continue };
            for m in ac.find_overlapping_iter(line) {
                let pat = pats[m.pattern().as_usize()];
                let ok = match pat.anchor {
                    Anchor::Contains => true,
                    Anchor::Prefix => m.start() == 0,
                    Anchor::Suffix => m.end() == line.len(),
                    Anchor::Exact => m.start() == 0 && m.end() == line.len(),
                };
                if ok {
                    out.push(pat.rule);
                }
            }
        }
        for tier in self.sets.iter().filter(|t| t.limit >= chars) {
            for m in tier.set.matches(line).iter() {
                let i = tier.members[m];
                if self.confirm[i].as_ref().is_none_or(|re| re.is_match(line)) {
                    out.push(self.regex_rules[i]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(pats: Vec<(u32, Pattern<'static>)>) -> LineMatcher {
        let mut b = MatcherBuilder::default();
        for (r, p) in pats {
            b.add(r, 1000, p);
        }
        b.build().unwrap()
    }

    fn lit(text: &'static str, anchor: Anchor, ci: bool) -> Pattern<'static> {
        Pattern::Literal {
            text,
            anchor,
            case_insensitive: ci,
        }
    }

    fn hits(m: &LineMatcher, line: &str) -> Vec<u32> {
        let mut v = Vec::new();
        m.matches(line, &mut v);
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn anchors_are_respected() {
        let m = matcher(vec![
            (0, lit("baca juga:", Anchor::Prefix, true)),
            (1, lit("terkait", Anchor::Exact, true)),
            (2, lit("(twitter.com/", Anchor::Contains, false)),
            (3, lit("| Suara Amerika", Anchor::Suffix, false)),
        ]);
        assert_eq!(hits(&m, "Baca Juga: Sesuatu"), vec![0]);
        assert_eq!(hits(&m, "Lalu baca juga: x"), Vec::<u32>::new());
        assert_eq!(hits(&m, "Terkait"), vec![1]);
        assert_eq!(hits(&m, "Terkait erat"), Vec::<u32>::new());
        assert_eq!(hits(&m, "Foto (twitter.com/x)"), vec![2]);
        assert_eq!(hits(&m, "Judul | Suara Amerika"), vec![3]);
    }

    #[test]
    fn unicode_case_folding_goes_through_regex() {
        let m = matcher(vec![(7, lit("ÜBER UNS", Anchor::Exact, true))]);
        assert_eq!(hits(&m, "über uns"), vec![7]);
    }

    #[test]
    fn word_boundaries_keep_their_unicode_meaning() {
        assert!(loosened(r"\bslot\b").is_some());
        assert_eq!(loosened(r"a\\b"), None);
        assert!(loosened(r"^x.{0,80}y$").is_some());
        let m = matcher(vec![(
            2,
            Pattern::Regex {
                source: r"^ab.{0,3}c$".into(),
            },
        )]);
        assert_eq!(hits(&m, "abxyc"), vec![2]);
        assert_eq!(hits(&m, "abwxyzc"), Vec::<u32>::new());
        let m = matcher(vec![(
            1,
            Pattern::Regex {
                source: r"(?i)\bslot\b".into(),
            },
        )]);
        assert_eq!(hits(&m, "Slot gacor"), vec![1]);
        assert_eq!(hits(&m, "Zeitslot"), Vec::<u32>::new());
        assert_eq!(hits(&m, "überslot"), Vec::<u32>::new());
    }

    #[test]
    fn regexes_report_their_rule() {
        let m = matcher(vec![
            (
                4,
                Pattern::Regex {
                    source: "(?i)^sumber\\s*:".into(),
                },
            ),
            (
                5,
                Pattern::Regex {
                    source: "togel".into(),
                },
            ),
        ]);
        assert_eq!(hits(&m, "Sumber : AP"), vec![4]);
        assert_eq!(hits(&m, "bandar togel"), vec![5]);
    }
}
