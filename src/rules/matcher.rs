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
//! `RegexSet` with them falls back to a slow engine on non-ASCII text. So
//! the set is built from the patterns with their word-boundary assertions
//! removed (which can only match more), and each hit of such a pattern is
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
}

/// The pattern with `\b` and `\B` removed, or `None` when it has neither.
fn without_word_boundaries(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut changed = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b' | 'B') => changed = true,
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
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
    pub fn add(&mut self, rule: u32, pattern: Pattern<'_>) {
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
            match without_word_boundaries(source) {
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
        let set = if prefilter.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(&prefilter)
                    .dfa_size_limit(32 << 20)
                    .size_limit(64 << 20)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(LineMatcher {
            cs: ac(&self.cs_texts, false)?,
            cs_pats: self.cs_pats,
            ci: ac(&self.ci_texts, true)?,
            ci_pats: self.ci_pats,
            set,
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
    set: Option<RegexSet>,
    /// For set patterns whose word boundaries were removed: the original.
    confirm: Vec<Option<Regex>>,
    regex_rules: Vec<u32>,
}

impl LineMatcher {
    /// Appends to `out` the index of every rule with a pattern matching
    /// `line` (unsorted, possibly repeated).
    pub fn matches(&self, line: &str, out: &mut Vec<u32>) {
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
        if let Some(set) = &self.set {
            for i in set.matches(line).iter() {
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
            b.add(r, p);
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
        assert_eq!(without_word_boundaries(r"\bslot\b"), Some("slot".into()));
        assert_eq!(without_word_boundaries(r"a\\b"), None);
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
