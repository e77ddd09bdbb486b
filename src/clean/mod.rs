//! The cleaner: normalized lines in, one verdict per line out.
//!
//! Decisions are made on a *view* of the document (the lines still kept,
//! with the paragraph gaps between them) and repeated until nothing more
//! changes. A rewritten line (a title without its site suffix) is measured
//! and matched again from its new text after its pass, and every rule
//! decides on it again in the next passes, as they would on the output; a
//! rewritten line a rule then drops is reported as dropped by that rule.
//! A line is rewritten by a title-suffix rule or by a line rule that cuts
//! a promo glued to a paragraph.
//! The last view is exactly the output text, so cleaning the output again
//! changes nothing: cleaning is idempotent by construction.
//!
//! Each kind of rule decides in a file of its own: [`header`] (title
//! suffixes and repeats), [`caption`], [`line`] (rules that drop the line
//! their patterns match, or with [`glued`] cut the part of it they match
//! from a paragraph it is glued to), [`block`], [`tail`], [`code`] (code and markup
//! leaked into the text), [`generic`] (the shape of the document, for
//! sites no rule names) and [`model`] (the trained line model, once the
//! others have settled). [`structure`] says where the title and the header
//! and footer zones are.

mod block;
mod caption;
mod code;
pub(crate) mod generic;
mod glued;
mod header;
mod line;
mod model;
mod structure;
mod tail;

use std::ops::Range;

use crate::events::{Cleaned, Verdict};
use crate::rules::matcher::MatchScratch;
use crate::rules::{CaptionOptions, HeaderOptions, KindOptions, Rule, RuleSet, Zone};
use crate::text::features::{LineFeatures, measure};
use crate::text::normalize::{NormalizedLines, normalize_lines};

use structure::{Structure, TitleMatch};

/// Settings of a cleaning run that are not rules.
#[derive(Clone, Debug)]
pub struct CleanOptions {
    /// Flag documents losing more than this share of their characters.
    pub flag_removed: f64,
    /// Leave documents that would lose more than this share normalized
    /// only.
    pub max_removed: Option<f64>,
    /// Name the features that weighed most in each drop of the line model
    /// ([`Why::Model`](crate::events::Why::Model)'s `top`, which only `--explain` prints). Without it
    /// `top` is left empty: finding them walks every tree again.
    pub model_features: bool,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            flag_removed: 0.6,
            max_removed: None,
            model_features: true,
        }
    }
}

/// Compiled rules plus options: cheap to share across threads.
pub struct Cleaner<'r> {
    rules: &'r RuleSet,
    options: CleanOptions,
}

/// How many decide passes a document may take before the verdicts are
/// taken as they are. Each pass drops lines or rewrites one, so this bounds
/// work; real documents settle in two to four.
const MAX_PASSES: usize = 12;

/// A position in the view: a kept, non-blank line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewLine {
    pub idx: usize,
    /// A blank line separates it from the previous view line.
    pub gap_before: bool,
}

/// Per-document working state: the text the rules see, and what is known
/// about each of its lines.
struct Doc<'a> {
    /// The text the rules see: the normalized text, or, once a line was
    /// rewritten, a copy with each rewritten line's new text after it.
    text: &'a str,
    /// Line `i` of the document in `text`: a rewritten line's range points
    /// to its new text.
    lines: &'a [Range<usize>],
    /// The normalized text and its lines, as read.
    original: &'a str,
    original_lines: &'a [Range<usize>],
    feats: Vec<LineFeatures>,
    /// Rule indices whose patterns match line `i`: `hits[hit_spans[i]]`.
    hits: Vec<u32>,
    hit_spans: Vec<Range<u32>>,
    /// Line classes for the generic rules, for the language of the current
    /// view (computed on first use, and again if the language changes).
    classes: std::cell::RefCell<Option<generic::Classes>>,
    /// Stop-word counts per line (only when generic rules are enabled).
    stops: Vec<crate::text::lang::LineStops>,
    /// Lines that may be code (see `code::candidates`), found on first use.
    code_candidates: std::cell::OnceCell<Vec<usize>>,
    /// Whether each line may hold a glue point (see `glued::cut`), found
    /// on first use.
    may_glue: Vec<std::cell::Cell<Option<bool>>>,
    /// The line model's features of each line alone, for the language of
    /// the view they were found in (see `model::decide`).
    model_rows: model::RowCache,
}

/// What is known about the lines of a document, carried from one text the
/// rules see to the next (see [`Doc::measured`]).
struct Measured {
    feats: Vec<LineFeatures>,
    hits: Vec<u32>,
    hit_spans: Vec<Range<u32>>,
    classes: std::cell::RefCell<Option<generic::Classes>>,
    stops: Vec<crate::text::lang::LineStops>,
    code_candidates: std::cell::OnceCell<Vec<usize>>,
    may_glue: Vec<std::cell::Cell<Option<bool>>>,
    model_rows: model::RowCache,
}

impl<'a> Doc<'a> {
    /// The document with `text` and `lines` as the rules see them.
    fn new(
        text: &'a str,
        lines: &'a [Range<usize>],
        original: &'a str,
        original_lines: &'a [Range<usize>],
        m: Measured,
    ) -> Doc<'a> {
        Doc {
            text,
            lines,
            original,
            original_lines,
            feats: m.feats,
            hits: m.hits,
            hit_spans: m.hit_spans,
            classes: m.classes,
            stops: m.stops,
            code_candidates: m.code_candidates,
            may_glue: m.may_glue,
            model_rows: m.model_rows,
        }
    }

    /// Gives back what is known about the lines, to go on with another text.
    fn measured(self) -> Measured {
        Measured {
            feats: self.feats,
            hits: self.hits,
            hit_spans: self.hit_spans,
            classes: self.classes,
            stops: self.stops,
            code_candidates: self.code_candidates,
            may_glue: self.may_glue,
            model_rows: self.model_rows,
        }
    }

    /// Line `i` as the rules see it (rewritten, if it was).
    fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].clone()]
    }

    /// Line `i` as it was read.
    fn original_line(&self, i: usize) -> &str {
        &self.original[self.original_lines[i].clone()]
    }

    /// Whether line `i` may hold a glue point (`glued::may_be_glued`),
    /// tested once per text of the line.
    fn may_be_glued(&self, i: usize) -> bool {
        let known = &self.may_glue[i];
        known.get().unwrap_or_else(|| {
            let may = glued::may_be_glued(self.line(i));
            known.set(Some(may));
            may
        })
    }

    fn hits(&self, i: usize) -> &[u32] {
        let span = &self.hit_spans[i];
        &self.hits[span.start as usize..span.end as usize]
    }
}

impl Measured {
    /// Finds the rules whose patterns match each line (`feats` are the
    /// lines' measurements).
    fn new(
        rules: &RuleSet,
        text: &str,
        lines: &[Range<usize>],
        feats: &[LineFeatures],
    ) -> Measured {
        let mut m = Measured {
            feats: feats.to_vec(),
            hits: Vec::new(),
            hit_spans: Vec::with_capacity(lines.len()),
            classes: std::cell::RefCell::new(None),
            stops: if rules.generic_rules.is_empty() {
                Vec::new()
            } else {
                generic::count_stops(text, lines)
            },
            code_candidates: std::cell::OnceCell::new(),
            may_glue: vec![std::cell::Cell::new(None); lines.len()],
            model_rows: model::RowCache::default(),
        };
        let mut scratch = Vec::new();
        let mut state = rules.matcher.scratch();
        for (range, &f) in lines.iter().zip(feats) {
            let span = m.match_line(rules, &mut state, &text[range.clone()], f, &mut scratch);
            m.hit_spans.push(span);
        }
        m
    }

    /// Appends the rules whose patterns match `line` to `hits`; returns
    /// where they are.
    fn match_line(
        &mut self,
        rules: &RuleSet,
        state: &mut MatchScratch<'_>,
        line: &str,
        f: LineFeatures,
        scratch: &mut Vec<u32>,
    ) -> Range<u32> {
        let start = self.hits.len() as u32;
        if !line.is_empty() && f.chars <= rules.max_pattern_chars {
            scratch.clear();
            rules.matcher.matches_with(state, line, f.chars, scratch);
            scratch.sort_unstable();
            scratch.dedup();
            self.hits.extend_from_slice(scratch);
        }
        start..self.hits.len() as u32
    }

    /// Line `i` now reads `text` (a rewrite): measured and matched again,
    /// as cleaning the output would.
    fn remeasure(&mut self, rules: &RuleSet, i: usize, text: &str) {
        let f = measure(text);
        self.hit_spans[i] = self.match_line(
            rules,
            &mut rules.matcher.scratch(),
            text,
            f,
            &mut Vec::new(),
        );
        self.feats[i] = f;
        if !self.stops.is_empty() {
            self.stops[i] = crate::text::lang::stop_words().count(text);
        }
        // Classes and code candidates were found in the old text.
        *self.classes.get_mut() = None;
        self.code_candidates = std::cell::OnceCell::new();
        self.may_glue[i].set(None);
        self.model_rows = model::RowCache::default();
    }
}

/// The text the rules see once lines were rewritten: the normalized text
/// with each rewritten line's new text appended, and the lines pointing to
/// it.
struct RewrittenText {
    text: String,
    lines: Vec<Range<usize>>,
}

impl RewrittenText {
    fn set(&mut self, i: usize, new_text: &str) {
        let start = self.text.len();
        self.text.push_str(new_text);
        self.lines[i] = start..self.text.len();
    }
}

/// What a decide pass did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PassOutcome {
    /// No verdict changed: the verdicts are final.
    Settled,
    /// Lines were dropped.
    Dropped,
    /// Lines were rewritten (and lines may have been dropped): the next
    /// pass sees their new text.
    Rewrote,
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
        let mut doc = NormalizedLines::default();
        normalize_lines(input, &mut doc);
        let NormalizedLines { text, lines, feats } = doc;
        let verdicts = self.decide(&text, &lines, &feats);
        self.finish(text, lines, &feats, verdicts)
    }

    /// `feats` are the measurements of the lines as read.
    fn finish(
        &self,
        normalized: String,
        lines: Vec<Range<usize>>,
        feats: &[LineFeatures],
        verdicts: Vec<Verdict>,
    ) -> Cleaned {
        let mut chars_in = 0;
        let mut chars_removed = 0;
        for (f, v) in feats.iter().zip(&verdicts) {
            let chars = f.chars;
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

    fn decide(&self, text: &str, lines: &[Range<usize>], feats: &[LineFeatures]) -> Vec<Verdict> {
        let rules = self.rules;
        let mut measured = Measured::new(rules, text, lines, feats);
        let mut rewritten: Option<RewrittenText> = None;
        let mut verdicts = vec![Verdict::Keep; lines.len()];
        let mut rewrote = Vec::new();
        let mut titles = header::StrippedTitles::default();
        let mut view = Vec::new();
        for _ in 0..MAX_PASSES {
            let (seen, seen_lines) = match &rewritten {
                Some(r) => (r.text.as_str(), r.lines.as_slice()),
                None => (text, lines),
            };
            let doc = Doc::new(seen, seen_lines, text, lines, measured);
            build_view(&doc, &verdicts, &mut view);
            rewrote.clear();
            let mut outcome = if view.is_empty() {
                PassOutcome::Settled
            } else {
                self.pass(&doc, &view, &mut verdicts, &mut rewrote, &mut titles)
            };
            if outcome == PassOutcome::Settled
                && !view.is_empty()
                && !rules.model_rules.is_empty()
                && model::decide(
                    rules,
                    &doc,
                    &view,
                    &mut verdicts,
                    self.options.model_features,
                )
            {
                // The rules before the model had settled; the model decided
                // on the view they left, and the rules go again.
                outcome = PassOutcome::Dropped;
            }
            measured = doc.measured();
            match outcome {
                PassOutcome::Settled => break,
                PassOutcome::Dropped => {}
                PassOutcome::Rewrote => {
                    for &i in &rewrote {
                        let Verdict::Rewrite { text: new_text, .. } = &verdicts[i] else {
                            continue;
                        };
                        rewritten
                            .get_or_insert_with(|| RewrittenText {
                                text: text.to_string(),
                                lines: lines.to_vec(),
                            })
                            .set(i, new_text);
                        measured.remeasure(rules, i, new_text);
                    }
                }
            }
        }
        verdicts
    }

    /// One decide pass over the current view, each kind of rule in turn.
    /// The lines it rewrote are pushed to `rewrote`.
    fn pass(
        &self,
        doc: &Doc,
        view: &[ViewLine],
        verdicts: &mut [Verdict],
        rewrote: &mut Vec<usize>,
        titles: &mut header::StrippedTitles,
    ) -> PassOutcome {
        let mut structure = Structure::analyze(doc, view);
        rewrote.extend(header::strip_title_suffix(
            self.rules,
            view,
            &mut structure,
            verdicts,
            titles,
        ));
        // Rewritten lines (the title, paragraphs cut from a promo) as they
        // are now.
        let mut rewritten: Vec<(usize, Verdict)> = view
            .iter()
            .filter(|v| matches!(verdicts[v.idx], Verdict::Rewrite { .. }))
            .map(|v| (v.idx, verdicts[v.idx].clone()))
            .collect();
        let p = Pass {
            rules: self.rules,
            doc,
            view,
            structure: &structure,
        };
        let mut changed = title_detectors(&p, verdicts);
        let before = rewrote.len();
        changed |= line::decide(&p, verdicts, rewrote);
        // Cut in this pass: the kinds after this one decide on the old text.
        rewritten.extend(rewrote[before..].iter().map(|&i| (i, verdicts[i].clone())));
        changed |= block::decide(&p, verdicts);
        changed |= tail::decide(&p, verdicts);
        changed |= code::run(&p, verdicts);
        changed |= generic::run(&p, verdicts);
        keep_rewrites_for_a_settled_view(view, verdicts, &rewritten, !rewrote.is_empty());
        if !rewrote.is_empty() {
            PassOutcome::Rewrote
        } else if changed {
            PassOutcome::Dropped
        } else {
            PassOutcome::Settled
        }
    }
}

/// A rewritten line (the title, a paragraph cut from its promo) is dropped
/// only by a pass that changes nothing else. In the pass that rewrote it,
/// the rules decided on its old text; in a pass that drops other lines,
/// they decided on a view those drops change (the title's distance to the
/// first paragraph, say). The
/// line then waits for the next pass; the last pass, on the view that is
/// the output, drops it if a rule still does, so cleaning stays
/// idempotent.
fn keep_rewrites_for_a_settled_view(
    view: &[ViewLine],
    verdicts: &mut [Verdict],
    rewritten: &[(usize, Verdict)],
    rewrote: bool,
) {
    if rewritten.is_empty() {
        return;
    }
    let dropped = view
        .iter()
        .filter(|v| matches!(verdicts[v.idx], Verdict::Drop { .. }))
        .count();
    let rewrites_dropped = rewritten
        .iter()
        .filter(|(i, _)| matches!(verdicts[*i], Verdict::Drop { .. }))
        .count();
    if rewrote || dropped > rewrites_dropped {
        for (i, v) in rewritten {
            verdicts[*i] = v.clone();
        }
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
        self.guards_pass_on(rule, pos, self.doc.feats[idx], self.doc.line(idx))
    }

    /// Whether `rule`'s guards let it drop `text`, measured `f`, as a line
    /// of its own at view position `pos`: the line there, or a part of it
    /// (see [`glued`]).
    fn guards_pass_on(&self, rule: &Rule, pos: usize, f: LineFeatures, text: &str) -> bool {
        let g = &rule.guards;
        if f.chars > g.max_chars || f.words > g.max_words {
            return false;
        }
        if g.keep_sentences && f.is_sentence() {
            return false;
        }
        // The headline is content, whatever a rule for the lines above the
        // text says.
        if matches!(g.zone, Zone::Header | Zone::Outside) && self.structure.is_headline(pos) {
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
            Some(veto) => !veto.is_match(text),
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

/// Drops a line still in the view: a kept line, or a rewritten one (which
/// is then reported as dropped by this rule). The first rule to drop a line
/// is the one reported.
fn mark(verdicts: &mut [Verdict], idx: usize, v: Verdict) -> bool {
    let in_view = match verdicts[idx] {
        Verdict::Keep => true,
        Verdict::Rewrite { .. } => matches!(v, Verdict::Drop { .. }),
        Verdict::Drop { .. } => false,
    };
    if in_view {
        verdicts[idx] = v;
        true
    } else {
        false
    }
}

/// The kept lines of `doc` into `view` (cleared first).
fn build_view(doc: &Doc, verdicts: &[Verdict], view: &mut Vec<ViewLine>) {
    view.clear();
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
}

#[cfg(test)]
mod tests;
