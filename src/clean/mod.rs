//! The cleaner: normalized lines in, one verdict per line out.
//!
//! Decisions are made on a *view* of the document (the lines still kept,
//! with the paragraph gaps between them) and repeated until nothing more is
//! dropped. The last view is exactly the output text, so cleaning the output
//! again drops nothing: cleaning is idempotent by construction.

mod generic;
mod structure;

use std::ops::Range;

use crate::events::{Cleaned, Verdict, Why};
use crate::rules::{Detector, Kind, Rule, RuleSet, Zone};
use crate::text::features::{LineFeatures, measure};
use crate::text::normalize::normalize_into;

use structure::{Structure, comparable, near_duplicate};

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
        };
        let mut doc = doc;
        let mut verdicts = vec![Verdict::Keep; lines.len()];
        for _ in 0..MAX_PASSES {
            let view = build_view(&doc, &verdicts);
            if view.is_empty() || !self.pass(&doc, &view, &mut verdicts) {
                break;
            }
            remeasure_rewritten(&mut doc, &verdicts);
        }
        verdicts
    }

    /// One decide pass over the current view. Returns whether any verdict
    /// changed.
    fn pass(&self, doc: &Doc, view: &[ViewLine], verdicts: &mut [Verdict]) -> bool {
        let rules = self.rules;
        let mut changed = false;

        // Title and its suffix.
        let mut structure = Structure::analyze(doc, view, |i| match &verdicts[i] {
            Verdict::Rewrite { text, .. } => Some(text.clone()),
            _ => None,
        });
        if let Some(title_pos) = structure.title_pos {
            let idx = view[title_pos].idx;
            if let Some((rule, stripped)) = self.strip_title_suffix(&structure.title) {
                match &mut verdicts[idx] {
                    Verdict::Rewrite { text, rule: r } => {
                        *text = stripped.clone();
                        *r = rule;
                    }
                    v => {
                        *v = Verdict::Rewrite {
                            rule,
                            text: stripped.clone(),
                        }
                    }
                }
                changed = true;
                structure.set_title(stripped);
            }
        }

        // Structural detectors.
        for &r in &rules.detector_rules {
            let rule = &rules.rules[r as usize];
            let Some(title_pos) = structure.title_pos else {
                break;
            };
            let title_key = comparable(&structure.title);
            let original_key = comparable(doc.line(view[title_pos].idx));
            // Lowercasing keeps the character count but for a few letters;
            // lines far from the title's length cannot repeat it.
            let (lo, hi) = (
                title_key.chars().count().saturating_sub(8),
                doc.feats[view[title_pos].idx].chars + 8,
            );
            let is_repeat = |pos: usize| {
                let idx = view[pos].idx;
                pos != title_pos && (lo..=hi).contains(&doc.feats[idx].chars) && {
                    let key = comparable(doc.line(idx));
                    key == title_key || key == original_key
                }
            };
            for (pos, v) in view.iter().enumerate() {
                let idx = v.idx;
                let f = doc.feats[idx];
                let hit = match rule.detector {
                    Some(Detector::TitleRepeat) => is_repeat(pos).then_some(Why::TitleRepeat),
                    Some(Detector::TitleGlued) => {
                        let line = doc.line(idx);
                        (pos != title_pos
                            && f.chars <= rule.max_chars
                            && structure.title.len() >= 12
                            && line.len() > structure.title.len()
                            && line.starts_with(structure.title.as_str())
                            && !is_repeat(pos))
                        .then_some(Why::TitleGlued)
                    }
                    Some(Detector::AfterTitleRepeat) => (pos > 0
                        && is_repeat(pos - 1)
                        && !v.gap_before
                        && !f.is_prose()
                        && !is_repeat(pos)
                        && f.chars <= rule.max_chars)
                        .then_some(Why::AfterTitleRepeat),
                    _ => None,
                };
                if let Some(why) = hit {
                    changed |= mark(verdicts, idx, Verdict::Drop { rule: r, why });
                }
            }
        }

        // Pattern rules on single lines (and captions' repeats).
        for pos in 0..view.len() {
            let idx = view[pos].idx;
            for &r in doc.hits(idx) {
                let rule = &rules.rules[r as usize];
                if matches!(rule.kind, Kind::Block | Kind::Tail)
                    || !self.guards_pass(rule, doc, idx, pos, &structure)
                {
                    continue;
                }
                changed |= mark(
                    verdicts,
                    idx,
                    Verdict::Drop {
                        rule: r,
                        why: Why::Pattern,
                    },
                );
                if rule.kind == Kind::Caption && rule.repeats {
                    let line = doc.line(idx);
                    let mut neighbours = Vec::with_capacity(2);
                    if pos > 0 && !view[pos].gap_before {
                        neighbours.push(view[pos - 1].idx);
                    }
                    if pos + 1 < view.len() && !view[pos + 1].gap_before {
                        neighbours.push(view[pos + 1].idx);
                    }
                    for n in neighbours {
                        if doc.feats[n].chars <= rule.max_chars && near_duplicate(line, doc.line(n))
                        {
                            changed |= mark(
                                verdicts,
                                n,
                                Verdict::Drop {
                                    rule: r,
                                    why: Why::RepeatsCaption,
                                },
                            );
                        }
                    }
                }
                break;
            }
        }

        // Blocks: a heading and the list under it.
        for pos in 0..view.len() {
            let idx = view[pos].idx;
            for &r in doc.hits(idx) {
                let rule = &rules.rules[r as usize];
                if rule.kind != Kind::Block || !self.guards_pass(rule, doc, idx, pos, &structure) {
                    continue;
                }
                if let Some(end) = block_end(doc, view, pos, rule, rules) {
                    changed |= mark(
                        verdicts,
                        idx,
                        Verdict::Drop {
                            rule: r,
                            why: Why::BlockHeading,
                        },
                    );
                    for v in &view[pos + 1..=end] {
                        changed |= mark(
                            verdicts,
                            v.idx,
                            Verdict::Drop {
                                rule: r,
                                why: Why::BlockItem,
                            },
                        );
                    }
                    break;
                }
            }
        }

        // Tails: from a marker in the last part to the end.
        'tails: for pos in 0..view.len() {
            let idx = view[pos].idx;
            for &r in doc.hits(idx) {
                let rule = &rules.rules[r as usize];
                if rule.kind != Kind::Tail || !self.guards_pass(rule, doc, idx, pos, &structure) {
                    continue;
                }
                let before = structure.chars_before(pos);
                if (before as f64) >= (1.0 - rule.within_last) * structure.total_chars as f64 {
                    changed |= mark(
                        verdicts,
                        idx,
                        Verdict::Drop {
                            rule: r,
                            why: Why::TailMarker,
                        },
                    );
                    for v in &view[pos + 1..] {
                        changed |= mark(
                            verdicts,
                            v.idx,
                            Verdict::Drop {
                                rule: r,
                                why: Why::AfterTailMarker,
                            },
                        );
                    }
                    break 'tails;
                }
            }
        }

        // Generic detection, for what no rule named.
        // The language is guessed from the lines still kept, so that the
        // last pass sees exactly what cleaning the output again would see.
        if !rules.generic_rules.is_empty() {
            let lang = generic::guess_lang(&doc.stops, view);
            let mut cache = doc.classes.borrow_mut();
            if cache.as_ref().is_none_or(|c| c.lang != lang) {
                *cache = Some(generic::classify_lines(
                    doc.text, doc.lines, &doc.feats, &doc.stops, lang,
                ));
            }
            if let Some(classes) = cache.as_ref() {
                changed |= generic::decide(doc, classes, view, &structure, rules, verdicts);
            }
        }
        changed
    }

    fn guards_pass(&self, rule: &Rule, doc: &Doc, idx: usize, pos: usize, s: &Structure) -> bool {
        let f = doc.feats[idx];
        if f.chars > rule.max_chars || f.words > rule.max_words {
            return false;
        }
        if rule.keep_sentences && f.is_sentence() {
            return false;
        }
        let zone_ok = match rule.zone {
            Zone::Any => true,
            Zone::Header => s.in_header(pos),
            Zone::Footer => s.in_footer(pos),
        };
        if !zone_ok {
            return false;
        }
        match &rule.unless {
            Some(veto) => !veto.is_match(doc.line(idx)),
            None => true,
        }
    }

    /// Applies every title-suffix rule until none strips more. Returns the
    /// first rule that stripped and the final title.
    fn strip_title_suffix(&self, title: &str) -> Option<(u32, String)> {
        let mut current = title.to_string();
        let mut first_rule = None;
        'again: loop {
            for &r in &self.rules.title_suffix_rules {
                for re in &self.rules.rules[r as usize].suffixes {
                    if let Some(m) = re.find(&current) {
                        let rest = current[..m.start()].trim_end();
                        // Never strip the whole title, nor down to one word.
                        if m.start() > 0 && rest.split(' ').count() >= 2 {
                            current = rest.to_string();
                            first_rule.get_or_insert(r);
                            continue 'again;
                        }
                    }
                }
            }
            break;
        }
        first_rule.map(|r| (r, current))
    }
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

fn rules_block_heading(doc: &Doc, idx: usize, rules: &RuleSet) -> bool {
    doc.hits(idx).iter().any(|&r| {
        let rule = &rules.rules[r as usize];
        rule.kind == Kind::Block && doc.feats[idx].chars <= rule.max_chars
    })
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

/// The last view position of the list under a block heading at `pos`, if
/// the list has enough items.
fn block_end(
    doc: &Doc,
    view: &[ViewLine],
    pos: usize,
    rule: &Rule,
    rules: &RuleSet,
) -> Option<usize> {
    let opts = &rule.block;
    let mut items = 0;
    let mut end = pos;
    // Whether the list so far runs line after line; then a blank line
    // after enough items ends it, and what follows the gap (a subheading
    // of the article) is not taken for one more item.
    let mut packed = true;
    for (q, v) in view.iter().enumerate().skip(pos + 1) {
        let f = doc.feats[v.idx];
        if q > pos + 1 && v.gap_before {
            if packed && items >= opts.min_items {
                break;
            }
            packed = false;
        }
        if f.separator {
            end = q;
            continue;
        }
        // Another list heading starts its own block, so that each list is
        // reported under its own rule.
        if rules_block_heading(doc, v.idx, rules) {
            break;
        }
        let item =
            f.chars <= opts.item_max_chars && f.words <= opts.item_max_words && !f.is_sentence();
        if !item {
            break;
        }
        items += 1;
        end = q;
    }
    (items >= opts.min_items).then_some(end)
}

#[cfg(test)]
mod tests;
