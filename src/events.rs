//! What the cleaner decided about a document, as data. Printers (clean
//! text, `--explain` JSONL, statistics) read these events; none of them
//! re-decides anything.

use std::ops::Range;

use crate::rules::{Rule, RuleSet};

/// Why a rule dropped a line, beyond "its pattern matched".
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Why {
    /// The rule's pattern matched the line.
    Pattern,
    /// The line repeats the document's title.
    TitleRepeat,
    /// The line is the title with more text glued on (image alt + caption).
    TitleGlued,
    /// The short line right under a repeated title: its caption.
    AfterTitleRepeat,
    /// Near-duplicate of an adjacent caption line.
    RepeatsCaption,
    /// Heading of a list block.
    BlockHeading,
    /// Item or separator of a list block.
    BlockItem,
    /// Marker that starts trailing clutter.
    TailMarker,
    /// After a tail marker.
    AfterTailMarker,
    /// Generic: a non-prose line before the main content. The number is
    /// the line's share of stop words (its prose score).
    BeforeMainContent(f32),
    /// Generic: a non-prose line after the main content.
    AfterMainContent(f32),
    /// Generic: part of a run of label-like lines inside the content.
    InLinkList(f32),
    /// The line model: the line's probability of being content (below the
    /// rule's threshold), and the features that pushed it most towards
    /// boilerplate, as (feature index, contribution in log-odds).
    Model {
        score: f32,
        top: [(u16, f32); TOP_FEATURES],
    },
    /// Generic: code calling the APIs of page furniture (ads, analytics,
    /// tag managers, embeds) that the page's text does not name.
    PageScript,
    /// Generic: code or markup that nothing on the page explains.
    UnexplainedCode,
    /// A rewrite: the title without its site suffix.
    TitleSuffix,
    /// A rewrite: a paragraph without the part glued to it that the rule
    /// would drop as a line of its own (a promo).
    GluedPart,
}

/// How many features an explained model decision names.
pub const TOP_FEATURES: usize = 3;

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Pattern => "pattern",
            Why::TitleRepeat => "repeats the title",
            Why::TitleGlued => "title with a caption glued on",
            Why::AfterTitleRepeat => "caption under a repeated title",
            Why::RepeatsCaption => "repeats an adjacent caption",
            Why::BlockHeading => "list heading",
            Why::BlockItem => "list item",
            Why::TailMarker => "tail marker",
            Why::AfterTailMarker => "after a tail marker",
            Why::BeforeMainContent(_) => "non-prose line before the main content",
            Why::AfterMainContent(_) => "non-prose line after the main content",
            Why::InLinkList(_) => "run of label-like lines",
            Why::Model { .. } => "the line model scores it as boilerplate",
            Why::PageScript => "page script (ads, analytics, embeds)",
            Why::UnexplainedCode => "code or markup the text does not explain",
            Why::TitleSuffix => "strip site suffix",
            Why::GluedPart => "cut a part glued to the paragraph",
        }
    }

    /// The score behind a generic decision: the line's share of stop words
    /// of the document's language, or the model's probability that the
    /// line is content.
    pub fn score(self) -> Option<f32> {
        match self {
            Why::BeforeMainContent(s) | Why::AfterMainContent(s) | Why::InLinkList(s) => Some(s),
            Why::Model { score, .. } => Some(score),
            _ => None,
        }
    }
}

/// The decision about one line of the normalized document.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Keep,
    Drop {
        rule: u32,
        why: Why,
    },
    /// Kept with new text (the title without its site suffix, a paragraph
    /// without a promo glued to it).
    Rewrite {
        rule: u32,
        why: Why,
        text: String,
    },
}

/// A document after cleaning: the normalized text, its lines and one
/// verdict per line. Blank lines carry `Keep` and only mark paragraph gaps.
#[derive(Clone, Debug)]
pub struct Cleaned {
    pub normalized: String,
    pub lines: Vec<Range<usize>>,
    pub verdicts: Vec<Verdict>,
    /// Characters of non-blank lines in the normalized input.
    pub chars_in: usize,
    /// Characters the verdicts remove (dropped lines, stripped suffixes).
    pub chars_removed: usize,
    /// More than the flag share of the text would be removed.
    pub flagged: bool,
    /// More than `--max-removed` would be removed: the output is the
    /// normalized input, and the verdicts are reported but not applied.
    pub reverted: bool,
}

/// One event, in document order.
#[derive(Debug)]
pub enum Event<'a> {
    /// A kept line (1-based number in the input) and its output text.
    Kept { line: usize, text: &'a str },
    /// A dropped line.
    Dropped {
        line: usize,
        text: &'a str,
        rule: &'a Rule,
        why: Why,
    },
    /// A kept line whose text a rule changed.
    Rewritten {
        line: usize,
        from: &'a str,
        to: &'a str,
        rule: &'a Rule,
        why: Why,
    },
    /// One or more blank lines between paragraphs.
    Gap,
}

impl Cleaned {
    pub fn line_text(&self, i: usize) -> &str {
        &self.normalized[self.lines[i].clone()]
    }

    pub fn removed_share(&self) -> f64 {
        if self.chars_in == 0 {
            0.0
        } else {
            self.chars_removed as f64 / self.chars_in as f64
        }
    }

    pub fn dropped_lines(&self) -> usize {
        self.verdicts
            .iter()
            .filter(|v| matches!(v, Verdict::Drop { .. }))
            .count()
    }

    /// The events of this document, resolved against the rules that made
    /// them. Each blank line is a `Gap`; printers fold runs of them.
    pub fn events<'a>(&'a self, rules: &'a RuleSet) -> impl Iterator<Item = Event<'a>> + 'a {
        self.verdicts.iter().enumerate().map(move |(i, v)| {
            let text = self.line_text(i);
            let line = i + 1;
            match v {
                Verdict::Keep if text.is_empty() => Event::Gap,
                Verdict::Keep => Event::Kept { line, text },
                Verdict::Drop { rule, why } => Event::Dropped {
                    line,
                    text,
                    rule: &rules.rules[*rule as usize],
                    why: *why,
                },
                Verdict::Rewrite {
                    rule,
                    why,
                    text: to,
                } => Event::Rewritten {
                    line,
                    from: text,
                    to,
                    rule: &rules.rules[*rule as usize],
                    why: *why,
                },
            }
        })
    }
}
