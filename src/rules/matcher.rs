//! Line matching for all pattern-bearing rules at once.
//!
//! One scan per line ([`super::scanner`]) finds, at the same time, the
//! literal patterns of every rule and the required literals of every regex
//! (a set of strings one of which each match must contain, see
//! [`super::required`]); only the regexes whose literals the line holds run,
//! which for most lines is none or one. The scan folds ASCII case: a
//! literal is checked whole (and byte for byte when case-sensitive) where
//! its gram was found; a literal with other cased letters becomes a regex.
//! There is one scanner per band of line lengths, holding only the patterns
//! whose rule applies to lines that long, so that a long paragraph is
//! scanned for the few rules that can still drop it. The cost of matching
//! a line grows with the line, not with the number of rules.
//!
//! The scanner replaced an Aho-Corasick automaton of the same literals: its
//! DFA (2,400 literals, 3 to 21 MB) missed the processor's caches at every
//! byte and took more time than the regexes it spared (22% of the CPU of
//! a run, against 8% for the scanner).
//!
//! Word boundaries (`\b`, `\B`) are Unicode-aware in the regex crate, and a
//! lazy DFA cannot follow them on non-ASCII text; counted repetitions
//! (`.{0,80}`) multiply automaton states. So each regex runs as a lazy DFA
//! built from a loosened pattern (no word boundaries, open repetitions),
//! which can only match more, searched forwards from the start of the line
//! when the pattern starts with `^`, backwards from its end when it ends
//! with `$`; each hit of a loosened pattern is confirmed with the original
//! regex, compiled (forwards only) the first time it is needed: exact
//! semantics, a fast path, and a quick start. The few regexes without required literals
//! (*ungated*) run on every line their rule applies to: those anchored at
//! the start share a lazy DFA per band, the others run as the regex crate
//! compiles them (with its own literal prefilters).

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Input, PatternSet, meta};
use regex_syntax::hir::Hir;

use super::required::{FOLDS_TO_ASCII, Place, RequiredLiterals, required_literals};
use super::scanner::{Scanner, rarest_gram_at};
use super::threads::{join, map_in_order};

/// How a literal must sit in the line to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Exact,
    Prefix,
    Suffix,
    Contains,
}

/// A literal pattern of a rule.
struct Literal {
    text: String,
    rule: u32,
    anchor: Anchor,
    case_insensitive: bool,
    max_chars: usize,
    /// Where in `text` the gram the scanner looks for starts: its rarest
    /// for literals that may sit anywhere in the line, else 0.
    gram_at: usize,
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
    literals: Vec<Literal>,
    regexes: Vec<AddedRegex>,
}

/// A regex pattern of a rule, as it was added.
struct AddedRegex {
    rule: u32,
    /// The longest line (characters) its rule applies to.
    max_chars: usize,
    source: String,
    /// Its syntax tree, when the caller has parsed it already.
    hir: Option<Hir>,
}

/// The bands of line lengths, by the longest line (characters) of each: a
/// line of a band is matched against the patterns whose rule applies to
/// some line of the band.
const BANDS: [usize; 4] = [64, 128, 256, usize::MAX];

/// The band of the longest lines a rule applies to, when it applies to
/// lines of up to `max_chars` characters.
fn band_of(max_chars: usize) -> usize {
    BANDS
        .iter()
        .position(|&longest_line| longest_line >= max_chars)
        .expect("the last band has lines of any length")
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
        let (source, hir) = match pattern {
            Pattern::Literal {
                text,
                anchor,
                case_insensitive,
            } => {
                assert!(!text.is_empty(), "literal patterns are never empty");
                // The scan folds ASCII case only; a literal with other
                // cased letters becomes a regex so `Über` matches `über`.
                let needs_unicode_fold =
                    case_insensitive && text.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
                if !needs_unicode_fold {
                    let gram_at = match anchor {
                        Anchor::Exact | Anchor::Prefix => 0,
                        Anchor::Suffix | Anchor::Contains => rarest_gram_at(text.as_bytes()),
                    };
                    self.literals.push(Literal {
                        text: text.to_string(),
                        rule,
                        anchor,
                        case_insensitive,
                        max_chars,
                        gram_at,
                    });
                    return;
                }
                (literal_regex(text, anchor, true), None)
            }
            Pattern::Regex { source } => (source, None),
            Pattern::Parsed { source, hir } => (source, Some(hir)),
        };
        self.regexes.push(AddedRegex {
            rule,
            max_chars,
            source,
            hir,
        });
    }

    /// Compiles the automata. Regexes must have been validated one by one
    /// before (so that an error can name its rule); a failure here is a
    /// size limit.
    pub fn build(self) -> Result<LineMatcher, String> {
        // Each part is built on the run's threads, in the order it was
        // added.
        let (regexes, plans): (Vec<RegexFacts>, Vec<RegexPlan>) =
            map_in_order(self.regexes, plan_regex)
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .unzip();
        let gated = gated_regexes(&plans)?;
        // The ungated regexes anchored at the start: one DFA per band,
        // searched anchored (it gives up after a few bytes on most lines).
        // Patterns that may match anywhere are kept out: the states of a
        // DFA multiply when they share it with many others (one DFA for all
        // regexes made cleaning six times slower).
        let (bands, start_groups) = join(
            || {
                map_in_order((0..BANDS.len()).collect(), |b| {
                    let shorter = if b == 0 { 0 } else { BANDS[b - 1] };
                    Band::build(shorter, BANDS[b], &self.literals, &gated, &regexes, &plans)
                })
            },
            || {
                map_in_order((0..BANDS.len()).collect(), |band| {
                    let members: Vec<usize> = (0..plans.len())
                        .filter(|&i| plans[i].required.is_none() && plans[i].starts_line)
                        .filter(|&i| band_of(regexes[i].max_chars) == band)
                        .collect();
                    // No line longer than its longest rule allows runs it.
                    let longest_line = members.iter().map(|&i| regexes[i].max_chars).max()?;
                    Some(StartGroup::build(&plans, longest_line, members))
                })
            },
        );
        // The first failure, as when built one by one.
        let start_groups = start_groups
            .into_iter()
            .flatten()
            .collect::<Result<Vec<_>, _>>()?;
        let ungated_unanchored: Vec<usize> = (0..plans.len())
            .filter(|&i| plans[i].required.is_none() && !plans[i].starts_line)
            .collect();
        let n = gated.len();
        let ungated = ungated_unanchored.len();
        let create: GateScratchFn = Box::new(move || GateScratch {
            caches: (0..n).map(|_| None).collect(),
            seen: vec![0; n],
            stamp: 0,
            candidates: Vec::new(),
            starts: Vec::new(),
            ungated: (0..ungated).map(|_| None).collect(),
        });
        Ok(LineMatcher {
            literals: self.literals,
            regexes,
            bands,
            gated,
            gate_scratch: Pool::new(create),
            start_groups,
            ungated_unanchored,
        })
    }
}

/// What the matcher knows of one regex.
struct RegexFacts {
    rule: u32,
    /// The longest line (characters) its rule applies to.
    max_chars: usize,
    /// The regex as written, compiled the first time it runs, for the
    /// regexes that need it: it confirms what the DFA of a loosened pattern
    /// found, and it is how the regexes of
    /// [`LineMatcher::ungated_unanchored`] run.
    original: Option<LazyRegex>,
}

/// What building the matcher needs of one regex.
struct RegexPlan {
    /// The pattern its DFA is built from: loosened (see [`loosened`]) or as
    /// written.
    dfa_hir: Hir,
    required: Option<RequiredLiterals>,
    /// Every match starts at the start of the line.
    starts_line: bool,
}

/// Parses a regex (unless it came parsed), finds its required literals and
/// loosens it.
fn plan_regex(added: AddedRegex) -> Result<(RegexFacts, RegexPlan), String> {
    let AddedRegex {
        rule,
        max_chars,
        source,
        hir,
    } = added;
    // Each pattern is parsed once (here or before); the DFAs are compiled
    // from the syntax trees (printing a loosened tree and parsing it again
    // costs more than compiling it: Unicode classes print as long lists).
    let hir = match hir {
        Some(hir) => hir,
        None => regex_syntax::parse(&source).map_err(|e| e.to_string())?,
    };
    let required = required_literals(&hir);
    let (dfa_hir, is_loosened) = match loosened(&hir) {
        Some(loose) => (loose, true),
        None => (hir, false),
    };
    let starts_line = starts_anchored(&dfa_hir);
    let runs_as_written = required.is_none() && !starts_line;
    let facts = RegexFacts {
        rule,
        max_chars,
        original: (is_loosened || runs_as_written).then(|| LazyRegex::new(source, runs_as_written)),
    };
    let plan = RegexPlan {
        dfa_hir,
        required,
        starts_line,
    };
    Ok((facts, plan))
}

/// A regex that runs only on lines holding one of its required literals.
struct Gated {
    /// Its index among the matcher's regexes.
    regex: usize,
    /// Built from the loosened pattern (then confirmed) or the original,
    /// reversed when searched from the end.
    dfa: DFA,
    search: GatedSearch,
}

/// How a gated regex's DFA is searched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GatedSearch {
    /// Forward, anchored at the start of the line.
    FromLineStart,
    /// Backward, anchored at the end (the pattern ends with `$`).
    FromLineEnd,
    /// Forward, unanchored.
    Unanchored,
    /// Forward, anchored at each place one of its literals was found (every
    /// match starts with one): a few bytes instead of the whole line.
    /// Unanchored when every gated regex runs (see [`Owner::FoldsToAscii`]).
    AtEachHit,
}

/// The lazy DFA of each regex with required literals, in regex order.
fn gated_regexes(plans: &[RegexPlan]) -> Result<Vec<Gated>, String> {
    let with_literals: Vec<(usize, &RegexPlan, &RequiredLiterals)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, plan)| Some((i, plan, plan.required.as_ref()?)))
        .collect();
    map_in_order(with_literals, |(i, plan, required)| {
        gated_regex(i, plan, required)
    })
    .into_iter()
    .collect()
}

/// The lazy DFA of regex `i`, which holds one of `required`.
fn gated_regex(i: usize, plan: &RegexPlan, required: &RequiredLiterals) -> Result<Gated, String> {
    // A pattern anchored at the end only is searched backwards from
    // the end of the line: most lines fail within a few bytes there
    // (as the regex crate does for such patterns), where a forward
    // search would read the whole line.
    let search = if plan.starts_line {
        GatedSearch::FromLineStart
    } else if ends_anchored(&plan.dfa_hir) {
        GatedSearch::FromLineEnd
    } else if required.place == Place::StartOfMatch {
        GatedSearch::AtEachHit
    } else {
        GatedSearch::Unanchored
    };
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::None)
                .reverse(search == GatedSearch::FromLineEnd)
                .nfa_size_limit(Some(64 << 20)),
        )
        .build_from_hir(&plan.dfa_hir)
        .map_err(|e| e.to_string())?;
    let dfa = DFA::builder()
        .configure(DFA::config().cache_capacity(DFA_CACHE_BYTES))
        .build_from_nfa(nfa)
        .map_err(|e| e.to_string())?;
    Ok(Gated {
        regex: i,
        dfa,
        search,
    })
}

/// Whose a literal in a band's scanners is.
#[derive(Clone, Copy)]
enum Owner {
    /// Literal pattern `i` of the matcher (its gram): the whole literal is
    /// checked at the hit.
    LiteralPattern(u32),
    /// A required literal of gated regex `k`.
    RequiredBy(u32),
    /// One of [`FOLDS_TO_ASCII`], which the required literals
    /// leave out: every gated regex of the band is a candidate.
    FoldsToAscii,
}

/// The literals of one band of line lengths: those of the patterns whose
/// rule applies to some line of the band.
struct Band {
    /// Lines of at most this many characters (and more than the band
    /// before).
    longest_line: usize,
    /// Literals looked up at every position of the line.
    whole_line: Scanner<Owner>,
    /// Literals looked up at its start only.
    line_start: Scanner<Owner>,
}

impl Band {
    /// The band of lines longer than `shorter` and at most `longest_line`
    /// characters.
    fn build(
        shorter: usize,
        longest_line: usize,
        literals: &[Literal],
        gated: &[Gated],
        regexes: &[RegexFacts],
        plans: &[RegexPlan],
    ) -> Band {
        let mut whole_line: Vec<(&[u8], Owner)> = Vec::new();
        let mut line_start: Vec<(&[u8], Owner)> = Vec::new();
        for (i, lit) in literals.iter().enumerate() {
            if lit.max_chars <= shorter {
                continue;
            }
            let text = lit.text.as_bytes();
            let owner = Owner::LiteralPattern(i as u32);
            match lit.anchor {
                Anchor::Exact | Anchor::Prefix => line_start.push((text, owner)),
                Anchor::Suffix | Anchor::Contains => {
                    whole_line.push((&text[lit.gram_at..], owner));
                }
            }
        }
        let mut any_gated = false;
        for (k, g) in gated.iter().enumerate() {
            if regexes[g.regex].max_chars <= shorter {
                continue;
            }
            any_gated = true;
            let required = plans[g.regex]
                .required
                .as_ref()
                .expect("gated regexes have literals");
            let list = if required.place == Place::StartOfLine {
                &mut line_start
            } else {
                &mut whole_line
            };
            list.extend(
                required
                    .literals
                    .iter()
                    .map(|t| (t.as_slice(), Owner::RequiredBy(k as u32))),
            );
        }
        let folds: Vec<String> = FOLDS_TO_ASCII.iter().map(char::to_string).collect();
        if any_gated {
            whole_line.extend(folds.iter().map(|f| (f.as_bytes(), Owner::FoldsToAscii)));
        }
        Band {
            longest_line,
            whole_line: Scanner::new(whole_line),
            line_start: Scanner::new(line_start),
        }
    }
}

/// One thread's search state for the gated regexes.
struct GateScratch {
    /// One lazy-DFA cache per gated regex, made on its first candidate line.
    caches: Vec<Option<Cache>>,
    /// `seen[k] == stamp`: gated regex `k` is a candidate of this line.
    seen: Vec<u32>,
    stamp: u32,
    candidates: Vec<u32>,
    /// Gated regexes tried at their hits, with the hit's position.
    starts: Vec<(u32, u32)>,
    /// One cache per regex of [`LineMatcher::ungated_unanchored`], made
    /// on its first line.
    ungated: Vec<Option<meta::Cache>>,
}

type GateScratchFn = Box<dyn Fn() -> GateScratch + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// A rule's regex as written, compiled the first time it runs: most never
/// do, and compiling them all would slow the start of every run.
struct LazyRegex {
    source: String,
    /// It runs on every line its rule applies to (see
    /// [`LineMatcher::ungated_unanchored`]), not only to confirm a hit.
    on_every_line: bool,
    regex: OnceLock<AsWritten>,
}

/// How a regex as written runs.
enum AsWritten {
    /// As the regex crate compiles it (its meta engine), with its literal
    /// prefilters: for the regexes that run on every line, each thread
    /// with its own cache (in its [`MatchScratch`]).
    Meta(meta::Regex),
    /// Forward only: for the regexes that confirm a hit.
    Forward(Box<ForwardRegex>),
}

impl LazyRegex {
    fn new(source: String, on_every_line: bool) -> LazyRegex {
        LazyRegex {
            source,
            on_every_line,
            regex: OnceLock::new(),
        }
    }

    fn compiled(&self) -> &AsWritten {
        // The rule compiler has checked the pattern (and its size against
        // the regex crate's default limit); no limit here, so that this
        // cannot fail mid-run.
        self.regex.get_or_init(|| {
            if self.on_every_line {
                AsWritten::Meta(
                    meta::Regex::builder()
                        .configure(meta::Config::new().nfa_size_limit(None))
                        .build(&self.source)
                        .expect("rule regexes are checked when the rules are compiled"),
                )
            } else {
                AsWritten::Forward(Box::new(ForwardRegex::new(&self.source)))
            }
        })
    }

    /// Whether the regex matches `line`, with this thread's `cache` for a
    /// regex that runs on every line (made on first use; `None` for one
    /// that confirms a hit, which keeps its state in its own pool).
    fn is_match_with(&self, cache: &mut Option<meta::Cache>, line: &str) -> bool {
        match self.compiled() {
            AsWritten::Meta(regex) => {
                let cache = cache.get_or_insert_with(|| regex.create_cache());
                regex.is_match_with(cache, &Input::new(line))
            }
            AsWritten::Forward(regex) => regex.is_match(line),
        }
    }
}

/// A regex that only says whether a line matches: a lazy DFA searched
/// forwards and, where it gives up (a Unicode word boundary next to a
/// non-ASCII character), the bounded backtracker or the PikeVM, all from
/// one forward NFA. The regex crate would also compile the pattern
/// reversed, which only finding where a match starts needs; for the
/// confirming regexes that was most of the time they took to compile
/// (0.38 G of 0.6 G instructions a run, whatever its size).
struct ForwardRegex {
    dfa: DFA,
    backtracker: BoundedBacktracker,
    pikevm: PikeVM,
    caches: Pool<ForwardCaches, ForwardCachesFn>,
}

/// One thread's search state for a [`ForwardRegex`].
struct ForwardCaches {
    dfa: Cache,
    backtracker: backtrack::Cache,
    pikevm: pikevm::Cache,
}

type ForwardCachesFn = Box<dyn Fn() -> ForwardCaches + Send + Sync + UnwindSafe + RefUnwindSafe>;

impl ForwardRegex {
    fn new(source: &str) -> ForwardRegex {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(None),
            )
            .build(source)
            .expect("rule regexes are checked when the rules are compiled");
        let dfa = DFA::builder()
            .configure(DFA::config().unicode_word_boundary(true))
            .build_from_nfa(nfa.clone())
            .expect("a lazy DFA builds from any NFA");
        let backtracker =
            BoundedBacktracker::new_from_nfa(nfa.clone()).expect("builds from any NFA");
        let pikevm = PikeVM::new_from_nfa(nfa).expect("builds from any NFA");
        let (d, b, p) = (dfa.clone(), backtracker.clone(), pikevm.clone());
        let create: ForwardCachesFn = Box::new(move || ForwardCaches {
            dfa: d.create_cache(),
            backtracker: b.create_cache(),
            pikevm: p.create_cache(),
        });
        ForwardRegex {
            dfa,
            backtracker,
            pikevm,
            caches: Pool::new(create),
        }
    }

    fn is_match(&self, line: &str) -> bool {
        let mut caches = self.caches.get();
        let ForwardCaches {
            dfa,
            backtracker,
            pikevm,
        } = &mut *caches;
        let input = Input::new(line).earliest(true);
        match self.dfa.try_search_fwd(dfa, &input) {
            Ok(hit) => hit.is_some(),
            // The DFA quit: the slower engines follow Unicode word
            // boundaries anywhere.
            Err(_) => match self.backtracker.try_is_match(backtracker, input.clone()) {
                Ok(hit) => hit,
                // Too long a line for the backtracker's memory.
                Err(_) => self.pikevm.is_match(pikevm, input),
            },
        }
    }
}

type GroupScratchFn = Box<dyn Fn() -> GroupScratch + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One thread's search state for a start group's DFA.
struct GroupScratch {
    cache: Cache,
    hits: PatternSet,
}

/// Ungated regexes anchored at the start of the line, of one band,
/// searched with one lazy DFA.
struct StartGroup {
    dfa: DFA,
    scratch: Pool<GroupScratch, GroupScratchFn>,
    /// Which regex each pattern of the DFA is.
    members: Vec<usize>,
    /// No line longer than this can match here (its longest rule).
    longest_line: usize,
}

impl StartGroup {
    fn build(
        plans: &[RegexPlan],
        longest_line: usize,
        members: Vec<usize>,
    ) -> Result<StartGroup, String> {
        let hirs: Vec<&Hir> = members.iter().map(|&i| &plans[i].dfa_hir).collect();
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
        let create: GroupScratchFn = Box::new(move || GroupScratch {
            cache: for_pool.create_cache(),
            hits: PatternSet::new(for_pool.pattern_len()),
        });
        Ok(StartGroup {
            dfa,
            scratch: Pool::new(create),
            members,
            longest_line,
        })
    }

    fn input<'h>(&self, line: &'h str) -> Input<'h> {
        Input::new(line).anchored(regex_automata::Anchored::Yes)
    }
}

/// Whether every match of the pattern ends at the end of the line.
fn ends_anchored(hir: &Hir) -> bool {
    hir.properties()
        .look_set_suffix()
        .contains(regex_syntax::hir::Look::End)
}

/// Whether every match of the pattern starts at the start of the line.
fn starts_anchored(hir: &Hir) -> bool {
    hir.properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start)
}

/// One thread's search state for a [`LineMatcher`] (see
/// [`LineMatcher::scratch`]).
pub struct MatchScratch<'m> {
    gate: PoolGuard<'m, GateScratch, GateScratchFn>,
    /// One per start group, in order.
    groups: Vec<PoolGuard<'m, GroupScratch, GroupScratchFn>>,
}

/// The compiled matcher.
pub struct LineMatcher {
    literals: Vec<Literal>,
    /// What the matcher knows of each regex, in the order they were added.
    regexes: Vec<RegexFacts>,
    /// The literal scanners, one per band of line lengths, in [`BANDS`]
    /// order.
    bands: Vec<Band>,
    /// The regexes with required literals.
    gated: Vec<Gated>,
    gate_scratch: Pool<GateScratch, GateScratchFn>,
    /// The ungated regexes anchored at the start of the line.
    start_groups: Vec<StartGroup>,
    /// The ungated regexes that may match anywhere in the line, by index:
    /// they run as written (their [`RegexFacts::original`]), as the regex
    /// crate compiles them. It finds literal prefixes this matcher does not
    /// scan for (`\b(?:pdf|doc)`: three common letters, see
    /// [`super::required`]) and skips through the line with SIMD to them,
    /// where a lazy DFA reads every byte (4% of the CPU of a run for that
    /// one rule).
    ungated_unanchored: Vec<usize>,
}

impl LineMatcher {
    /// Appends to `out` the index of every rule with a pattern matching
    /// `line` that applies to a line this long (unsorted, possibly
    /// repeated).
    pub fn matches(&self, line: &str, out: &mut Vec<u32>) {
        self.matches_sized(line, line.chars().count(), out);
    }

    /// [`Self::matches`] for a line of `chars` characters.
    pub fn matches_sized(&self, line: &str, chars: usize, out: &mut Vec<u32>) {
        self.matches_with(&mut self.scratch(), line, chars, out);
    }

    /// This thread's search state, to match many lines with
    /// [`Self::matches_with`]: taken from the pools once, not once a line
    /// (a thread other than a pool's first takes its state under a lock).
    pub fn scratch(&self) -> MatchScratch<'_> {
        MatchScratch {
            gate: self.gate_scratch.get(),
            groups: self.start_groups.iter().map(|g| g.scratch.get()).collect(),
        }
    }

    /// [`Self::matches_sized`] with this thread's `scratch`.
    pub fn matches_with(
        &self,
        scratch: &mut MatchScratch<'_>,
        line: &str,
        chars: usize,
        out: &mut Vec<u32>,
    ) {
        if let Some(band) = self.bands.iter().find(|b| chars <= b.longest_line) {
            self.match_band(&mut scratch.gate, band, line, chars, out);
        }
        for (&i, cache) in self
            .ungated_unanchored
            .iter()
            .zip(&mut scratch.gate.ungated)
        {
            self.report_regex(i, cache, line, chars, out);
        }
        for (group, scratch) in self.start_groups.iter().zip(&mut scratch.groups) {
            if chars > group.longest_line {
                continue;
            }
            let GroupScratch { cache, hits } = &mut **scratch;
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
                let i = group.members[m.as_usize()];
                self.report_regex(i, &mut None, line, chars, out);
            }
        }
    }

    /// Reports regex `i` if its rule applies to the line and the regex as
    /// written, where it runs, matches too; `cache` is this thread's for a
    /// regex that runs on every line, `None` for one that confirms a hit.
    fn report_regex(
        &self,
        i: usize,
        cache: &mut Option<meta::Cache>,
        line: &str,
        chars: usize,
        out: &mut Vec<u32>,
    ) {
        let regex = &self.regexes[i];
        if chars <= regex.max_chars
            && regex
                .original
                .as_ref()
                .is_none_or(|o| o.is_match_with(cache, line))
        {
            out.push(regex.rule);
        }
    }

    /// The literal patterns and gated regexes of one band.
    fn match_band(
        &self,
        scratch: &mut GateScratch,
        band: &Band,
        line: &str,
        chars: usize,
        out: &mut Vec<u32>,
    ) {
        let GateScratch {
            caches,
            seen,
            stamp,
            candidates,
            starts,
            ..
        } = scratch;
        *stamp = stamp.wrapping_add(1);
        if *stamp == 0 {
            seen.fill(0);
            *stamp = 1;
        }
        let stamp = *stamp;
        candidates.clear();
        starts.clear();
        let bytes = line.as_bytes();
        let mut every_gated = false;
        let mut on_hit = |at: usize, owner: Owner| match owner {
            Owner::LiteralPattern(i) => {
                let lit = &self.literals[i as usize];
                let text = lit.text.as_bytes();
                // `at` is where the literal's gram was found.
                let Some(at) = at.checked_sub(lit.gram_at) else {
                    return;
                };
                let end = at + text.len();
                let placed = end <= bytes.len()
                    && match lit.anchor {
                        Anchor::Contains | Anchor::Prefix => true,
                        Anchor::Suffix | Anchor::Exact => end == bytes.len(),
                    };
                if placed && chars <= lit.max_chars {
                    let here = &bytes[at..end];
                    let same = if lit.case_insensitive {
                        here.eq_ignore_ascii_case(text)
                    } else {
                        here == text
                    };
                    if same {
                        out.push(lit.rule);
                    }
                }
            }
            Owner::RequiredBy(k) => {
                if self.gated[k as usize].search == GatedSearch::AtEachHit {
                    starts.push((k, at as u32));
                } else if seen[k as usize] != stamp {
                    seen[k as usize] = stamp;
                    candidates.push(k);
                }
            }
            Owner::FoldsToAscii => every_gated = true,
        };
        band.line_start.at_start(bytes, |owner| on_hit(0, owner));
        band.whole_line.scan(bytes, &mut on_hit);
        if every_gated {
            candidates.clear();
            candidates.extend(0..self.gated.len() as u32);
            starts.clear();
        }
        // Regexes tried where their literals are, anchored there; a regex
        // is reported once (`seen` marks it, as for the candidates below,
        // which never hold it).
        for &(k, at) in starts.iter() {
            let g = &self.gated[k as usize];
            if seen[k as usize] == stamp || chars > self.regexes[g.regex].max_chars {
                continue;
            }
            let cache = caches[k as usize].get_or_insert_with(|| g.dfa.create_cache());
            let input = Input::new(line)
                .range(at as usize..)
                .anchored(regex_automata::Anchored::Yes)
                .earliest(true);
            let hit = g
                .dfa
                .try_search_fwd(cache, &input)
                .expect("the lazy DFA never quits");
            if hit.is_some() {
                seen[k as usize] = stamp;
                self.report_regex(g.regex, &mut None, line, chars, out);
            }
        }
        for &k in candidates.iter() {
            let g = &self.gated[k as usize];
            if chars > self.regexes[g.regex].max_chars {
                continue;
            }
            let cache = caches[k as usize].get_or_insert_with(|| g.dfa.create_cache());
            let input = Input::new(line).earliest(true);
            // The DFA is built never to quit or give up: searches cannot fail.
            let hit = match g.search {
                GatedSearch::FromLineStart => g
                    .dfa
                    .try_search_fwd(cache, &input.anchored(regex_automata::Anchored::Yes)),
                GatedSearch::FromLineEnd => g
                    .dfa
                    .try_search_rev(cache, &input.anchored(regex_automata::Anchored::Yes)),
                GatedSearch::Unanchored | GatedSearch::AtEachHit => {
                    g.dfa.try_search_fwd(cache, &input)
                }
            }
            .expect("the lazy DFA never quits");
            if hit.is_some() {
                self.report_regex(g.regex, &mut None, line, chars, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::{Regex, RegexBuilder};

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

    fn re(source: &str) -> Pattern<'static> {
        Pattern::Regex {
            source: source.to_string(),
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
        let m = matcher(vec![(2, re(r"^ab.{0,3}c$"))]);
        assert_eq!(hits(&m, "abxyc"), vec![2]);
        assert_eq!(hits(&m, "abwxyzc"), Vec::<u32>::new());
        let m = matcher(vec![(1, re(r"(?i)\bslot\b"))]);
        assert_eq!(hits(&m, "Slot gacor"), vec![1]);
        assert_eq!(hits(&m, "Zeitslot"), Vec::<u32>::new());
        assert_eq!(hits(&m, "überslot"), Vec::<u32>::new());
    }

    #[test]
    fn regexes_report_their_rule() {
        let m = matcher(vec![(4, re("(?i)^sumber\\s*:")), (5, re("togel"))]);
        assert_eq!(hits(&m, "Sumber : AP"), vec![4]);
        assert_eq!(hits(&m, "bandar togel"), vec![5]);
    }

    #[test]
    fn case_sensitive_literals_are_checked_byte_for_byte() {
        let m = matcher(vec![
            (0, lit("Foto:", Anchor::Prefix, false)),
            (1, lit("malu-malu menulis", Anchor::Contains, true)),
            (2, lit("| Suara Amerika", Anchor::Suffix, false)),
        ]);
        assert_eq!(hits(&m, "Foto: AP"), vec![0]);
        assert_eq!(hits(&m, "FOTO: AP"), Vec::<u32>::new());
        // Found by its rarest part ("lu-m"), checked whole.
        assert_eq!(hits(&m, "Dia MALU-MALU MENULIS."), vec![1]);
        assert_eq!(hits(&m, "malu-malu saja"), Vec::<u32>::new());
        assert_eq!(hits(&m, "lu-malu menulis"), Vec::<u32>::new());
        assert_eq!(hits(&m, "A | Suara Amerika"), vec![2]);
        assert_eq!(hits(&m, "A | Suara Amerika!"), Vec::<u32>::new());
    }

    #[test]
    fn characters_folding_to_ascii_still_match() {
        // (?i)s matches "ſ" and (?i)k the Kelvin sign: the literals leave
        // them out, the matcher runs every gated regex on such a line.
        let m = matcher(vec![
            (0, re("(?i)^sumber\\s*:")),
            (1, re("(?i)kompas\\.com")),
        ]);
        assert_eq!(hits(&m, "\u{17F}umber: AP"), vec![0]);
        assert_eq!(hits(&m, "dari \u{212A}ompas.com"), vec![1]);
        assert_eq!(hits(&m, "dari kompas.com"), vec![1]);
    }

    #[test]
    fn patterns_apply_to_lines_no_longer_than_their_rule_allows() {
        let mut b = MatcherBuilder::default();
        b.add(0, 20, lit("baca juga", Anchor::Prefix, true));
        b.add(1, 20, re(r"\d{4}\.?$"));
        let m = b.build().unwrap();
        assert_eq!(hits(&m, "Baca juga: x"), vec![0]);
        assert_eq!(
            hits(&m, "Baca juga: sesuatu yang panjang"),
            Vec::<u32>::new()
        );
        // Searched backwards from the end.
        assert_eq!(hits(&m, "Jakarta, 2021."), vec![1]);
        assert_eq!(hits(&m, "Jakarta, 2021 lalu"), Vec::<u32>::new());
        assert_eq!(hits(&m, "Jakarta, pada tahun 2021."), Vec::<u32>::new());
    }

    #[test]
    fn regexes_starting_with_their_literals_are_tried_at_each() {
        let m = matcher(vec![(3, re(r"(?i)\b(?:agen|situs)\s+togel\b"))]);
        assert_eq!(hits(&m, "agen bola, lalu agen togel"), vec![3]);
        assert_eq!(hits(&m, "Situs togel"), vec![3]);
        assert_eq!(hits(&m, "agen bola, situs bola"), Vec::<u32>::new());
        // The word boundary holds: "reagen togel" does not start at "agen".
        assert_eq!(hits(&m, "reagen togel"), Vec::<u32>::new());
    }

    /// A confirming regex says what the regex crate says, on lines where
    /// its lazy DFA gives up (a Unicode word boundary next to a non-ASCII
    /// character) too, short lines and lines too long for the backtracker.
    #[test]
    fn forward_regexes_match_as_the_regex_crate_does() {
        let long = format!("{} “slot” {}", "ä".repeat(2000), "x".repeat(3000));
        let lines = [
            "Slot gacor",
            "überslot",
            "Zeitslot",
            "“slot”",
            "slot’s",
            "agen  togel hari ini",
            "situs togelé",
            "Jakarta, 2021.",
            "Dilarang keras mengambil konten ini tanpa izin",
            "Dilarang keras mengambil konten “ini” tanpa izin…",
            long.as_str(),
        ];
        for pattern in [
            r"(?i)\bslot\b",
            r"(?i)\b(?:agen|situs)\s+togel\b",
            r"\d{4}\.?$",
            r"(?i)^dilarang\b.{0,200}\btanpa izin\b",
            r"(?i)\bslot\b.{0,2000}$",
        ] {
            let forward = ForwardRegex::new(pattern);
            let regex = Regex::new(pattern).unwrap();
            for line in lines {
                assert_eq!(
                    forward.is_match(line),
                    regex.is_match(line),
                    "{pattern} {line:?}"
                );
            }
        }
        // The last pattern is too big for the backtracker on the long
        // line: the PikeVM decided.
        let big = ForwardRegex::new(r"(?i)\bslot\b.{0,2000}$");
        assert!(long.len() > big.backtracker.max_haystack_len());
    }

    /// The matcher reports exactly what matching each pattern on its own
    /// would, for the default rules on the lines of the golden inputs.
    #[test]
    fn agrees_with_matching_each_pattern_alone() {
        use crate::rules::{CompileOptions, RuleSet, default_sources};
        let set = RuleSet::compile(&default_sources(), &CompileOptions::default()).unwrap();
        let mut oracle: Vec<(u32, usize, Regex)> = Vec::new();
        for (i, rule) in set.rules.iter().enumerate() {
            if rule.detector().is_some() {
                continue;
            }
            for (field, text) in rule.patterns() {
                let ci = rule.case_insensitive;
                let source = match field {
                    "regex" if ci => format!("(?i){text}"),
                    "regex" => text.to_string(),
                    "exact" => literal_regex(text, Anchor::Exact, ci),
                    "prefix" => literal_regex(text, Anchor::Prefix, ci),
                    "suffix" => literal_regex(text, Anchor::Suffix, ci),
                    _ => literal_regex(text, Anchor::Contains, ci),
                };
                let re = RegexBuilder::new(&source)
                    .size_limit(usize::MAX)
                    .build()
                    .unwrap();
                oracle.push((i as u32, rule.guards.max_chars, re));
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
        let mut lines = vec![
            "Baca Juga: Harga Emas Hari Ini".to_string(),
            "\u{17F}lot gacor hari ini".to_string(),
            "ANTARA FOTO/Hafidz Mubarak A".to_string(),
        ];
        for entry in std::fs::read_dir(dir).unwrap() {
            let input = entry.unwrap().path().join("input.txt");
            if let Ok(text) = std::fs::read_to_string(input) {
                lines.extend(text.lines().map(|l| l.trim().to_string()));
            }
        }
        let mut checked = 0;
        for line in lines.iter().filter(|l| !l.is_empty()) {
            let chars = line.chars().count();
            let mut want: Vec<u32> = oracle
                .iter()
                .filter(|(_, max, re)| chars <= *max && re.is_match(line))
                .map(|(r, _, _)| *r)
                .collect();
            want.sort();
            want.dedup();
            let mut got = Vec::new();
            set.matcher.matches_sized(line, chars, &mut got);
            got.sort();
            got.dedup();
            assert_eq!(got, want, "line {line:?}");
            checked += usize::from(!want.is_empty());
        }
        assert!(checked > 100, "only {checked} lines matched a rule");
    }
}
