//! What each kind of rule does once its patterns match, as compiled data:
//! one [`KindOptions`] variant per kind, holding the options of that kind.
//! The rule file stays flat (every key is a key of `[[rule]]`, so error
//! messages name file, line and key); here each kind takes the keys it
//! understands, and a key set for a kind that does not take it is an
//! error. The decisions themselves live in `src/clean/`, one file per kind.

use regex_automata::meta::Regex as MetaRegex;
use regex_syntax::hir::Hir;

use super::compile::Rule;
use super::required::{FOLDS_TO_ASCII, required_literals};
use super::scanner::Scanner;
use super::spec::{Detector, Kind, RuleSpec};

/// A compiled rule's kind and the options of that kind.
#[derive(Debug)]
pub enum KindOptions {
    /// Drop the matching line; with `cut_glued`, cut a matching part glued
    /// to a prose paragraph instead (see `src/clean/glued.rs`).
    Line { cut_glued: bool },
    /// Drop the matching line; reported as spam.
    Spam,
    /// Drop a heading and the list under it.
    Block(BlockOptions),
    /// Drop from a marker near the end to the end.
    Tail(TailOptions),
    /// Photo captions and credits.
    Caption(CaptionOptions),
    /// Title furniture.
    Header(HeaderOptions),
    /// Lines the document's shape marks as clutter.
    Generic(GenericOptions),
}

/// `kind = "block"`.
#[derive(Debug, Clone)]
pub struct BlockOptions {
    /// The fewest list items that make a block.
    pub min_items: usize,
    /// The longest line (characters) that still counts as a list item.
    pub item_max_chars: usize,
    /// The most words a list item may have.
    pub item_max_words: usize,
}

/// `kind = "tail"`.
#[derive(Debug, Clone)]
pub struct TailOptions {
    /// The marker must start in this last share of the characters.
    pub within_last: f64,
}

/// `kind = "caption"`: by pattern, or by a detector that works from the
/// title.
#[derive(Debug, Clone)]
pub enum CaptionOptions {
    /// The patterns match the caption; with `repeats`, adjacent lines that
    /// say nearly the same are dropped with it.
    Pattern { repeats: bool },
    /// Lines that start with the title and carry more text glued on.
    TitleGlued,
    /// The short line right under a repeated title.
    AfterTitleRepeat,
}

/// `kind = "header"`: by pattern (bylines, labels; usually with
/// `zone = "header"`), or by a detector of title furniture.
#[derive(Debug)]
pub enum HeaderOptions {
    Pattern,
    /// Strip a site suffix from the title: the regexes, anchored at the
    /// end of the title.
    TitleSuffix {
        suffixes: Vec<SuffixRegex>,
    },
    /// Later lines that repeat the title.
    TitleRepeat,
}

/// A title-suffix regex, anchored at the end of the title.
///
/// It runs without a lazy DFA (the regex crate's backtracker or PikeVM, on
/// a title of at most a few hundred bytes): the reverse lazy DFA of a
/// pattern like `\s+[-|:]\s+(?:\p{L}+\s+){0,2}(?:detik\w*|...)$` built new
/// states for nearly every title, once per thread, which cost more than
/// all the searches.
#[derive(Debug)]
pub struct SuffixRegex {
    pub regex: MetaRegex,
    /// ASCII-lowercased literals one of which every match holds; `None`
    /// when some match may hold none of them.
    required: Option<Vec<Vec<u8>>>,
    /// Its place among the title-suffix regexes of the rule set (see
    /// [`SuffixGate`]).
    slot: usize,
}

impl SuffixRegex {
    /// Compiles `source` (the full pattern, with its flags and end
    /// anchor); `hir` is the syntax tree of the rule's pattern.
    pub(super) fn new(source: &str, hir: &Hir) -> Result<SuffixRegex, String> {
        let regex = MetaRegex::builder()
            .configure(MetaRegex::config().hybrid(false))
            .build(source)
            .map_err(|e| e.to_string())?;
        Ok(SuffixRegex {
            regex,
            required: required_literals(hir).map(|r| r.literals),
            slot: 0,
        })
    }

    /// Its place in what [`SuffixGate::may_match`] returns.
    pub fn slot(&self) -> usize {
        self.slot
    }
}

/// Which title-suffix regexes a title may match, by one scan of the title
/// for the literals one of which each regex's matches hold (` | `, ` - `,
/// ` :: `, a portal's name). Most titles hold none of them, and the
/// regexes are not searched: the searches, and the states their lazy DFAs
/// built for titles of every shape, were most of the cost of the
/// title-suffix rules.
pub struct SuffixGate {
    /// The literals, each owned by its regex's slot.
    scanner: Scanner<u32>,
    /// The slots of the regexes without literals: searched on every title.
    always: Vec<u32>,
    slots: usize,
}

impl SuffixGate {
    /// Numbers the title-suffix regexes of `rules` and gathers their
    /// literals.
    pub(super) fn new(rules: &mut [Rule]) -> SuffixGate {
        let mut literals: Vec<(Vec<u8>, u32)> = Vec::new();
        let mut always = Vec::new();
        let mut slots = 0;
        for rule in rules {
            let KindOptions::Header(HeaderOptions::TitleSuffix { suffixes }) = &mut rule.options
            else {
                continue;
            };
            for suffix in suffixes {
                suffix.slot = slots;
                let slot = slots as u32;
                slots += 1;
                match &suffix.required {
                    Some(required) => literals.extend(required.iter().map(|l| (l.clone(), slot))),
                    None => always.push(slot),
                }
            }
        }
        SuffixGate {
            scanner: Scanner::new(literals.iter().map(|(l, slot)| (l.as_slice(), *slot))),
            always,
            slots,
        }
    }

    /// For each slot, whether its regex may match `title` or a prefix of
    /// it (it holds one of the regex's literals in some ASCII case, or a
    /// character the literals leave out, see [`FOLDS_TO_ASCII`]).
    pub fn may_match(&self, title: &str) -> Vec<bool> {
        if title.contains(FOLDS_TO_ASCII) {
            return vec![true; self.slots];
        }
        let mut may = vec![false; self.slots];
        for &slot in &self.always {
            may[slot as usize] = true;
        }
        self.scanner
            .scan(title.as_bytes(), |_, slot| may[slot as usize] = true);
        may
    }
}

/// `kind = "generic"`: one detector of the generic layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GenericOptions {
    HeaderZone,
    FooterZone,
    /// Runs of at least `min_items` label lines.
    LinkList {
        min_items: usize,
    },
    /// Lines the line model scores below `threshold` (the probability of
    /// being content).
    Model {
        threshold: f32,
    },
    /// Code and markup leaked into the text (see `src/clean/code.rs`).
    Code,
}

impl KindOptions {
    pub fn kind(&self) -> Kind {
        match self {
            KindOptions::Line { .. } => Kind::Line,
            KindOptions::Spam => Kind::Spam,
            KindOptions::Block(_) => Kind::Block,
            KindOptions::Tail(_) => Kind::Tail,
            KindOptions::Caption(_) => Kind::Caption,
            KindOptions::Header(_) => Kind::Header,
            KindOptions::Generic(_) => Kind::Generic,
        }
    }

    /// The detector as written in the rule file, if the rule has one.
    pub fn detector(&self) -> Option<Detector> {
        match self {
            KindOptions::Caption(CaptionOptions::TitleGlued) => Some(Detector::TitleGlued),
            KindOptions::Caption(CaptionOptions::AfterTitleRepeat) => {
                Some(Detector::AfterTitleRepeat)
            }
            KindOptions::Header(HeaderOptions::TitleSuffix { .. }) => Some(Detector::TitleSuffix),
            KindOptions::Header(HeaderOptions::TitleRepeat) => Some(Detector::TitleRepeat),
            KindOptions::Generic(GenericOptions::HeaderZone) => Some(Detector::HeaderZone),
            KindOptions::Generic(GenericOptions::FooterZone) => Some(Detector::FooterZone),
            KindOptions::Generic(GenericOptions::LinkList { .. }) => Some(Detector::LinkList),
            KindOptions::Generic(GenericOptions::Model { .. }) => Some(Detector::Model),
            KindOptions::Generic(GenericOptions::Code) => Some(Detector::Code),
            _ => None,
        }
    }

    /// Whether the rule's patterns (if any) go into the shared matcher:
    /// a title-suffix rule's regexes describe the suffix instead.
    pub fn matches_lines(&self) -> bool {
        !matches!(self, KindOptions::Header(HeaderOptions::TitleSuffix { .. }))
    }
}

/// The kind-specific keys each kind takes, in the order kinds are named
/// in messages.
const KIND_KEYS: &[(Kind, &[&str])] = &[
    (Kind::Line, &["zone", "cut_glued"]),
    (Kind::Spam, &["zone"]),
    (
        Kind::Block,
        &["min_items", "item_max_chars", "item_max_words"],
    ),
    (Kind::Tail, &["within_last"]),
    (Kind::Caption, &["detector", "repeats", "zone"]),
    (Kind::Header, &["detector", "zone"]),
    (Kind::Generic, &["detector", "min_items", "threshold"]),
];

/// The kind-specific keys a spec sets.
fn keys_set(spec: &RuleSpec) -> [(&'static str, bool); 9] {
    [
        ("detector", spec.detector.is_some()),
        ("min_items", spec.min_items.is_some()),
        ("item_max_chars", spec.item_max_chars.is_some()),
        ("item_max_words", spec.item_max_words.is_some()),
        ("within_last", spec.within_last.is_some()),
        ("repeats", spec.repeats.is_some()),
        ("zone", spec.zone.is_some()),
        ("threshold", spec.threshold.is_some()),
        ("cut_glued", spec.cut_glued.is_some()),
    ]
}

/// Problems with the kind-specific keys of a spec: keys its kind does not
/// take, a detector of another kind, values out of range.
pub(super) fn check_kind_keys(spec: &RuleSpec) -> Vec<String> {
    let kind = spec.kind;
    let mut problems = Vec::new();
    for (key, set) in keys_set(spec) {
        let takes = |k: Kind| {
            KIND_KEYS
                .iter()
                .any(|(kk, keys)| *kk == k && keys.contains(&key))
        };
        if set && !takes(kind) {
            let names: Vec<_> = KIND_KEYS
                .iter()
                .filter(|(k, _)| takes(*k))
                .map(|(k, _)| format!("\"{}\"", k.name()))
                .collect();
            problems.push(format!(
                "`{key}` only applies to kind = {}, not \"{}\"",
                names.join(" or "),
                kind.name()
            ));
        }
    }
    if kind == Kind::Generic && spec.detector.is_none() {
        problems.push(
            "kind = \"generic\" needs a `detector` (model, code, header-zone, footer-zone or link-list)"
                .into(),
        );
    }
    if let Some(d) = spec.detector
        && d.kind() != kind
    {
        problems.push(format!(
            "detector {d:?} does not fit kind = \"{}\"",
            kind.name()
        ));
    }
    if let Some(w) = spec.within_last
        && !(w > 0.0 && w <= 1.0)
    {
        problems.push(format!(
            "`within_last` is {w}; it must be a share in (0, 1]"
        ));
    }
    if spec.min_items == Some(0) {
        problems.push("`min_items` must be at least 1".into());
    }
    if let Some(t) = spec.threshold
        && !(t > 0.0 && t < 1.0)
    {
        problems.push(format!(
            "`threshold` is {t}; it must be a probability in (0, 1)"
        ));
    }
    if spec.threshold.is_some() && spec.detector != Some(Detector::Model) {
        problems.push("`threshold` only applies to detector = \"model\"".into());
    }
    problems
}

/// The compiled options of a spec whose keys passed [`check_kind_keys`].
/// `suffixes` are the title-suffix regexes, compiled by the caller.
pub(super) fn compile_kind(spec: &RuleSpec, suffixes: Vec<SuffixRegex>) -> KindOptions {
    match spec.kind {
        Kind::Line => KindOptions::Line {
            cut_glued: spec.cut_glued.unwrap_or(false),
        },
        Kind::Spam => KindOptions::Spam,
        Kind::Block => KindOptions::Block(BlockOptions {
            min_items: spec.min_items.unwrap_or(2),
            item_max_chars: spec.item_max_chars.unwrap_or(200),
            item_max_words: spec.item_max_words.unwrap_or(25),
        }),
        Kind::Tail => KindOptions::Tail(TailOptions {
            within_last: spec.within_last.unwrap_or(0.4),
        }),
        Kind::Caption => KindOptions::Caption(match spec.detector {
            Some(Detector::TitleGlued) => CaptionOptions::TitleGlued,
            Some(Detector::AfterTitleRepeat) => CaptionOptions::AfterTitleRepeat,
            _ => CaptionOptions::Pattern {
                repeats: spec.repeats.unwrap_or(false),
            },
        }),
        Kind::Header => KindOptions::Header(match spec.detector {
            Some(Detector::TitleSuffix) => HeaderOptions::TitleSuffix { suffixes },
            Some(Detector::TitleRepeat) => HeaderOptions::TitleRepeat,
            _ => HeaderOptions::Pattern,
        }),
        Kind::Generic => KindOptions::Generic(match spec.detector {
            Some(Detector::FooterZone) => GenericOptions::FooterZone,
            Some(Detector::Model) => GenericOptions::Model {
                threshold: spec.threshold.unwrap_or(DEFAULT_THRESHOLD) as f32,
            },
            Some(Detector::LinkList) => GenericOptions::LinkList {
                min_items: spec.min_items.unwrap_or(5),
            },
            Some(Detector::Code) => GenericOptions::Code,
            _ => GenericOptions::HeaderZone,
        }),
    }
}

/// The model's default threshold of probability of being content.
pub const DEFAULT_THRESHOLD: f64 = 0.3;

/// The default length guard of a kind: headings and markers are short.
pub(super) fn default_max_chars(kind: Kind) -> usize {
    match kind {
        Kind::Block => 80,
        Kind::Tail => 120,
        _ => 250,
    }
}
