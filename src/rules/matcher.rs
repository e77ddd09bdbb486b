//! Line matching for all pattern-bearing rules at once.
//!
//! Literal patterns of every rule go into (at most) two Aho-Corasick DFAs,
//! one case-sensitive and one ASCII-case-insensitive; regexes (and literals
//! whose case folding is not ASCII-only) go into multi-pattern lazy DFAs.
//! The cost of matching a line therefore grows with the line, not with the
//! number of rules. Lines longer than every rule's length guard are not
//! matched at all, which skips most prose paragraphs.
//!
//! Word boundaries (`\b`, `\B`) are Unicode-aware in the regex crate, and a
//! lazy DFA cannot follow them on non-ASCII text; counted repetitions
//! (`.{0,80}`) multiply automaton states. So the DFA is built from loosened
//! patterns (no word boundaries, open repetitions), which can only match
//! more, and each hit of a loosened pattern is confirmed with the original
//! regex, compiled the first time it is needed: exact semantics, a fast
//! path for the lines that match nothing, and a quick start.
//!
//! The regexes are searched with lazy DFAs from regex-automata directly,
//! one per length tier and anchoring, each with a per-thread cache: a line
//! first runs a search that stops at the first match, and only the few
//! lines with one run the slower search for every matching pattern.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, PatternSet};
use regex_syntax::hir::Hir;

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
    /// A regex that was parsed already (to check it): the same as
    /// `Regex { source }`, without parsing it again.
    Parsed {
        source: String,
        hir: Hir,
    },
}

/// Collects patterns, then compiles them once.
#[derive(Default)]
pub struct MatcherBuilder {
    cs_texts: Vec<String>,
    cs_pats: Vec<LiteralPattern>,
    ci_texts: Vec<String>,
    ci_pats: Vec<LiteralPattern>,
    regexes: Vec<(String, Option<Hir>)>,
    regex_rules: Vec<u32>,
    /// The longest line (characters) each regex's rule applies to.
    regex_max_chars: Vec<usize>,
}

/// Regexes are grouped by the longest line their rule applies to, so that a
/// long line only runs the patterns that can still drop it.
const TIERS: [usize; 4] = [64, 128, 256, usize::MAX];

/// The tier of a rule that applies to lines of up to `max_chars`.
fn tier_of(max_chars: usize) -> usize {
    TIERS
        .into_iter()
        .find(|&t| t >= max_chars)
        .unwrap_or(usize::MAX)
}

/// Room for each lazy DFA's states, per thread: it fills only as far as the
/// lines need, and a cache that is too small is cleared and rebuilt over
/// and over.
const DFA_CACHE_BYTES: usize = 16 << 20;

/// A looser form of a regex for the shared DFAs: word-boundary
/// assertions removed and bounded repetitions opened up (`.{0,80}` becomes
/// `.*`). It matches every line the original matches (and maybe more), and
/// compiles to a far smaller automaton: counted repetitions of Unicode
/// classes and Unicode word boundaries are what make a lazy DFA slow.
/// `None` when loosening changes nothing.
fn loosened(hir: &Hir) -> Option<Hir> {
    use regex_syntax::hir::{Capture, HirKind, Look, Repetition};
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
    let mut changed = false;
    let loose = walk(hir, &mut changed);
    changed.then_some(loose)
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
                    self.regexes.push((literal_regex(text, anchor, true), None));
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
                self.regexes.push((source, None));
                self.regex_rules.push(rule);
                self.regex_max_chars.push(max_chars);
            }
            Pattern::Parsed { source, hir } => {
                self.regexes.push((source, Some(hir)));
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
        // Each pattern is parsed once (here or before); the DFAs are compiled from the
        // syntax trees (printing a loosened tree and parsing it again costs
        // more than compiling it: Unicode classes print as long lists).
        let mut loose = Vec::with_capacity(self.regexes.len());
        let mut confirm = Vec::with_capacity(self.regexes.len());
        for (source, hir) in self.regexes {
            let hir = match hir {
                Some(hir) => hir,
                None => regex_syntax::parse(&source).map_err(|e| e.to_string())?,
            };
            match loosened(&hir) {
                Some(l) => {
                    loose.push(l);
                    confirm.push(Some(Confirm {
                        source,
                        regex: OnceLock::new(),
                    }));
                }
                None => {
                    loose.push(hir);
                    confirm.push(None);
                }
            }
        }
        let tier: Vec<usize> = self.regex_max_chars.iter().map(|&m| tier_of(m)).collect();
        let anchored: Vec<bool> = loose.iter().map(starts_anchored).collect();
        // One DFA per tier and anchoring: an anchored search gives up after
        // a few bytes on most lines, and the states of a DFA multiply when
        // patterns that may match anywhere share it with many others (one
        // DFA for all regexes made cleaning six times slower).
        let mut groups = Vec::new();
        for want_anchored in [true, false] {
            for t in TIERS {
                let members: Vec<usize> = (0..loose.len())
                    .filter(|&i| anchored[i] == want_anchored && tier[i] == t)
                    .collect();
                if !members.is_empty() {
                    groups.push(Group::build(&loose, t, members, want_anchored)?);
                }
            }
        }
        Ok(LineMatcher {
            cs: ac(&self.cs_texts, false)?,
            cs_pats: self.cs_pats,
            ci: ac(&self.ci_texts, true)?,
            ci_pats: self.ci_pats,
            groups,
            confirm,
            regex_rules: self.regex_rules,
        })
    }
}

/// The original of a loosened pattern, compiled on its first hit.
struct Confirm {
    source: String,
    regex: OnceLock<Regex>,
}

impl Confirm {
    fn is_match(&self, line: &str) -> bool {
        self.regex
            .get_or_init(|| {
                // The rule compiler has checked the pattern (and its size
                // against the regex crate's default limit); no limit here, so
                // that this cannot fail mid-run.
                RegexBuilder::new(&self.source)
                    .size_limit(usize::MAX)
                    .build()
                    .expect("rule regexes are checked when the rules are compiled")
            })
            .is_match(line)
    }
}

type CacheFn = Box<dyn Fn() -> Scratch + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One thread's search state for a group's DFA.
struct Scratch {
    cache: Cache,
    hits: PatternSet,
}

/// Regexes searched with one lazy DFA.
struct Group {
    dfa: DFA,
    scratch: Pool<Scratch, CacheFn>,
    /// Which regex each pattern of the DFA is.
    members: Vec<usize>,
    /// The tier: no line longer than this can match here.
    longest: usize,
    /// Every pattern matches at the start of the line only.
    anchored: bool,
}

impl Group {
    fn build(
        loose: &[Hir],
        tier: usize,
        members: Vec<usize>,
        anchored: bool,
    ) -> Result<Group, String> {
        let hirs: Vec<&Hir> = members.iter().map(|&i| &loose[i]).collect();
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(regex_automata::MatchKind::All)
                    .cache_capacity(DFA_CACHE_BYTES),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_pool = dfa.clone();
        let create: CacheFn = Box::new(move || Scratch {
            cache: for_pool.create_cache(),
            hits: PatternSet::new(for_pool.pattern_len()),
        });
        Ok(Group {
            dfa,
            scratch: Pool::new(create),
            members,
            longest: tier,
            anchored,
        })
    }

    fn input<'h>(&self, line: &'h str) -> Input<'h> {
        let input = Input::new(line);
        if self.anchored {
            input.anchored(regex_automata::Anchored::Yes)
        } else {
            input
        }
    }
}

/// Whether every match of the pattern starts at the start of the line.
fn starts_anchored(hir: &Hir) -> bool {
    hir.properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start)
}

/// The compiled matcher.
pub struct LineMatcher {
    cs: Option<AhoCorasick>,
    cs_pats: Vec<LiteralPattern>,
    ci: Option<AhoCorasick>,
    ci_pats: Vec<LiteralPattern>,
    groups: Vec<Group>,
    /// For loosened patterns: the original, which confirms a hit.
    confirm: Vec<Option<Confirm>>,
    regex_rules: Vec<u32>,
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
        for group in &self.groups {
            if chars > group.longest {
                continue;
            }
            let mut scratch = group.scratch.get();
            let Scratch { cache, hits } = &mut *scratch;
            // The DFA is built never to quit or give up: searches cannot fail.
            // Most lines match nothing: a search that stops at the first
            // match is quicker than one that looks for every pattern.
            let any = group
                .dfa
                .try_search_fwd(cache, &group.input(line).earliest(true))
                .expect("the lazy DFA never quits");
            if any.is_none() {
                continue;
            }
            hits.clear();
            group
                .dfa
                .try_which_overlapping_matches(cache, &group.input(line), hits)
                .expect("the lazy DFA never quits");
            for m in hits.iter() {
                let k = m.as_usize();
                let i = group.members[k];
                if self.confirm[i].as_ref().is_none_or(|c| c.is_match(line)) {
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
        let loose = |p: &str| loosened(&regex_syntax::parse(p).unwrap());
        assert!(loose(r"\bslot\b").is_some());
        assert_eq!(loose(r"a\\b"), None);
        assert!(loose(r"^x.{0,80}y$").is_some());
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
