//! The cleaner: normalized lines in, one verdict per line out.
//!
//! Decisions are made on a *view* of the document (the lines still kept,
//! with the paragraph gaps between them) and repeated until nothing more is
//! dropped. The last view is exactly the output text, so cleaning the output
//! again drops nothing: cleaning is idempotent by construction.
//!
//! Each kind of rule decides in a file of its own: [`header`] (title
//! suffixes and repeats), [`caption`], [`line`] (rules that drop the line
//! their patterns match), [`block`], [`tail`], [`code`] (code and markup
//! leaked into the text), [`generic`] (the shape of the document, for
//! sites no rule names) and [`model`] (the trained line model, once the
//! others have settled). [`structure`] says where the title and the header
//! and footer zones are.

mod block;
mod caption;
mod code;
pub(crate) mod generic;
mod header;
mod line;
mod model;
mod structure;
mod tail;

use std::ops::Range;

use crate::events::{Cleaned, Verdict};
use crate::rules::{CaptionOptions, HeaderOptions, KindOptions, Rule, RuleSet, Zone};
use crate::text::features::{LineFeatures, measure};
use crate::text::normalize::normalize_into;

use structure::{Structure, TitleMatch};

/// Settings of a cleaning run that are not rules.
#[derive(Clone, Debug)]
pub struct CleanOptions {
    /// Flag documents losing more than this share of their characters.
    pub flag_removed: f64,
    /// Leave documents that would lose more than this share normalized
    /// only.
    pub max_removed: Option<f64>,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            flag_removed: 0.6,
            max_removed: None,
        }
    }
}

/// Compiled rules plus options: cheap to share across threads.
pub struct Cleaner<'r> {
    rules: &'r RuleSet,
    options: CleanOptions,
}

/// How many decide passes a document may take before the verdicts are
/// taken as they are. Each pass only drops, so this bounds work, not
/// correctness; real documents settle in two or three.
const MAX_PASSES: usize = 8;

/// A position in the view: a kept, non-blank line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewLine {
    pub idx: usize,
    /// A blank line separates it from the previous view line.
    pub gap_before: bool,
}

/// Per-document working state.
struct Doc<'a> {
    text: &'a str,
    lines: &'a [Range<usize>],
    feats: Vec<LineFeatures>,
    /// Rule indices whose patterns match line `i`: `hits[hit_start[i]..hit_start[i+1]]`.
    hits: Vec<u32>,
    hit_start: Vec<u32>,
    /// Line classes for the generic rules, for the language of the current
    /// view (computed on first use, and again if the language changes).
    classes: std::cell::RefCell<Option<generic::Classes>>,
    /// Stop-word counts per line (only when generic rules are enabled).
    stops: Vec<crate::text::lang::LineStops>,
    /// Lines that may be code (see `code::candidates`), found on first use.
    code_candidates: std::cell::OnceCell<Vec<usize>>,
}

impl Doc<'_> {
    fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].clone()]
    }
    fn hits(&self, i: usize) -> &[u32] {
        &self.hits[self.hit_start[i] as usize..self.hit_start[i + 1] as usize]
    }
}

impl<'r> Cleaner<'r> {
    pub fn new(rules: &'r RuleSet, options: CleanOptions) -> Self {
        Cleaner { rules, options }
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Cleans one document.
    pub fn clean(&self, input: &str) -> Cleaned {
        let mut normalized = String::new();
        normalize_into(input, &mut normalized);
        let lines = split_lines(&normalized);
        let verdicts = self.decide(&normalized, &lines);
        self.finish(normalized, lines, verdicts)
    }

    fn finish(
        &self,
        normalized: String,
        lines: Vec<Range<usize>>,
        verdicts: Vec<Verdict>,
    ) -> Cleaned {
        let mut chars_in = 0;
        let mut chars_removed = 0;
        for (range, v) in lines.iter().zip(&verdicts) {
            let text = &normalized[range.clone()];
            let chars = text.chars().count();
            chars_in += chars;
            match v {
                Verdict::Drop { .. } => chars_removed += chars,
                Verdict::Rewrite { text: to, .. } => {
                    chars_removed += chars.saturating_sub(to.chars().count())
                }
                Verdict::Keep => {}
            }
        }
        let share = if chars_in == 0 {
            0.0
        } else {
            chars_removed as f64 / chars_in as f64
        };
        let flagged = share > self.options.flag_removed;
        let reverted = self.options.max_removed.is_some_and(|m| share > m);
        Cleaned {
            normalized,
            lines,
            verdicts,
            chars_in,
            chars_removed,
            flagged,
            reverted,
        }
    }

    fn decide(&self, text: &str, lines: &[Range<usize>]) -> Vec<Verdict> {
        let rules = self.rules;
        let mut feats = Vec::with_capacity(lines.len());
        let mut hits = Vec::new();
        let mut hit_start = Vec::with_capacity(lines.len() + 1);
        let mut scratch = Vec::new();
        for range in lines {
            let line = &text[range.clone()];
            let f = measure(line);
            hit_start.push(hits.len() as u32);
            if !line.is_empty() && f.chars <= rules.max_pattern_chars {
                scratch.clear();
                rules.matcher.matches_sized(line, f.chars, &mut scratch);
                scratch.sort_unstable();
                scratch.dedup();
                hits.extend_from_slice(&scratch);
            }
            feats.push(f);
        }
        hit_start.push(hits.len() as u32);
        let doc = Doc {
            text,
            lines,
            feats,
            hits,
            hit_start,
            classes: std::cell::RefCell::new(None),
            stops: if rules.generic_rules.is_empty() {
                Vec::new()
            } else {
                generic::count_stops(text, lines)
            },
            code_candidates: std::cell::OnceCell::new(),
        };
        let mut doc = doc;
        let mut verdicts = vec![Verdict::Keep; lines.len()];
        for _ in 0..MAX_PASSES {
            let view = build_view(&doc, &verdicts);
            if view.is_empty() {
                break;
            }
            let mut changed = self.pass(&doc, &view, &mut verdicts);
            if !changed && !rules.model_rules.is_empty() {
                // The rules before the model have settled: the model
                // decides on the view they leave.
                changed = model::decide(rules, &doc, &view, &mut verdicts);
            }
            if !changed {
                break;
            }
            remeasure_rewritten(&mut doc, &verdicts);
        }
        verdicts
    }

    /// One decide pass over the current view, each kind of rule in turn.
    /// Returns whether any verdict changed.
    fn pass(&self, doc: &Doc, view: &[ViewLine], verdicts: &mut [Verdict]) -> bool {
        let mut structure = Structure::analyze(doc, view, |i| match &verdicts[i] {
            Verdict::Rewrite { text, .. } => Some(text.clone()),
            _ => None,
        });
        let mut changed = header::strip_title_suffix(self.rules, view, &mut structure, verdicts);
        let p = Pass {
            rules: self.rules,
            doc,
            view,
            structure: &structure,
        };
        changed |= title_detectors(&p, verdicts);
        changed |= line::decide(&p, verdicts);
        changed |= block::decide(&p, verdicts);
        changed |= tail::decide(&p, verdicts);
        changed |= code::run(&p, verdicts);
        changed |= generic::run(&p, verdicts);
        changed
    }
}

/// What the decisions of one pass read: the rules, the document, the view
/// and where things are in it.
pub(crate) struct Pass<'a> {
    rules: &'a RuleSet,
    doc: &'a Doc<'a>,
    view: &'a [ViewLine],
    structure: &'a Structure,
}

impl Pass<'_> {
    /// Whether `rule`'s guards let it drop the line at view position `pos`.
    fn guards_pass(&self, rule: &Rule, pos: usize) -> bool {
        let idx = self.view[pos].idx;
        let g = &rule.guards;
        let f = self.doc.feats[idx];
        if f.chars > g.max_chars || f.words > g.max_words {
            return false;
        }
        if g.keep_sentences && f.is_sentence() {
            return false;
        }
        let zone_ok = match g.zone {
            Zone::Any => true,
            Zone::Header => self.structure.in_header(pos),
            Zone::Footer => self.structure.in_footer(pos),
            Zone::Outside => self.structure.in_header(pos) || self.structure.in_footer(pos),
        };
        if !zone_ok {
            return false;
        }
        match &g.unless {
            Some(veto) => !veto.is_match(self.doc.line(idx)),
            None => true,
        }
    }
}

/// The detectors that work from the title (a repeated title, a caption
/// glued to it or under it), in rule order.
fn title_detectors(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    let mut changed = false;
    for &r in &p.rules.detector_rules {
        let rule = &p.rules.rules[r as usize];
        let Some(title) = TitleMatch::new(p.doc, p.view, p.structure) else {
            break;
        };
        for pos in 0..p.view.len() {
            let hit = match &rule.options {
                KindOptions::Header(HeaderOptions::TitleRepeat) => {
                    header::title_repeat(&title, pos)
                }
                KindOptions::Caption(CaptionOptions::TitleGlued) => {
                    caption::title_glued(p, &title, rule, pos)
                }
                KindOptions::Caption(CaptionOptions::AfterTitleRepeat) => {
                    caption::after_title_repeat(p, &title, rule, pos)
                }
                _ => None,
            };
            if let Some(why) = hit {
                changed |= mark(verdicts, p.view[pos].idx, Verdict::Drop { rule: r, why });
            }
        }
    }
    changed
}

/// Gives a still-kept line its verdict. The first rule to decide about a
/// line is the one reported.
fn mark(verdicts: &mut [Verdict], idx: usize, v: Verdict) -> bool {
    if verdicts[idx] == Verdict::Keep {
        verdicts[idx] = v;
        true
    } else {
        false
    }
}

fn split_lines(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(start..nl);
        start = nl + 1;
    }
    lines.push(start..text.len());
    lines
}

fn build_view(doc: &Doc, verdicts: &[Verdict]) -> Vec<ViewLine> {
    let mut view = Vec::new();
    let mut gap = false;
    for (i, v) in verdicts.iter().enumerate() {
        if doc.lines[i].is_empty() {
            gap = !view.is_empty();
            continue;
        }
        if matches!(v, Verdict::Drop { .. }) {
            continue;
        }
        view.push(ViewLine {
            idx: i,
            gap_before: gap,
        });
        gap = false;
    }
    view
}

/// A rewritten line (a title without its suffix) is measured again from its
/// new text, so that later passes see what cleaning the output would see.
fn remeasure_rewritten(doc: &mut Doc, verdicts: &[Verdict]) {
    for (i, v) in verdicts.iter().enumerate() {
        let Verdict::Rewrite { text, .. } = v else {
            continue;
        };
        let f = measure(text);
        if f == doc.feats[i] && doc.stops.is_empty() {
            continue;
        }
        doc.feats[i] = f;
        if !doc.stops.is_empty() {
            doc.stops[i] = crate::text::lang::stop_words().count(text);
        }
        // Classes were computed from the old measurements.
        *doc.classes.get_mut() = None;
    }
}

#[cfg(test)]
mod tests;
