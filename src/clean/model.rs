//! `detector = "model"`: the trained line model decides for the lines the
//! other rules left, once they have settled. It reads the view only (the
//! kept lines and the gaps between them), so the clean output, cleaned
//! again, gives the model the view it last decided on. A prose line or a
//! full sentence is never dropped here (the generic layer's guard), nor a
//! line longer than the rule's `max_chars`, nor the headline (see
//! `structure::find_headlines`).

use super::structure::Structure;
use super::{Doc, ViewLine, mark};
use crate::events::{TOP_FEATURES, Verdict, Why};
use crate::model::features::{self, Level, LineRow, ViewText};
use crate::rules::{GenericOptions, KindOptions, RuleSet};
use crate::text::features::measure;
use crate::text::lang::Lang;

/// The rows of a document's lines (by line index) for one language: a line
/// keeps its row from one pass to the next, as long as its text does (a
/// rewrite clears the cache, see `Doc::remeasure`).
///
/// The hashes of its lines' long words (for the cohesion features) are
/// kept with them: they depend on the text alone.
#[derive(Default)]
pub(super) struct RowCache(
    std::cell::RefCell<Option<(Lang, Vec<Option<LineRow>>)>>,
    std::cell::RefCell<features::WordCache>,
);

/// Runs the model rules on a settled view. Returns whether a verdict
/// changed.
pub(super) fn decide(
    rules: &RuleSet,
    doc: &Doc,
    view: &[ViewLine],
    verdicts: &mut [Verdict],
    name_features: bool,
) -> bool {
    let Some(model) = &rules.model else {
        return false;
    };
    let texts: Vec<ViewText> = view
        .iter()
        .map(|v| ViewText {
            text: match &verdicts[v.idx] {
                Verdict::Rewrite { text, .. } => text.as_str(),
                _ => doc.line(v.idx),
            },
            gap_before: v.gap_before,
            stops: doc.stops[v.idx],
        })
        .collect();
    let lang = features::view_lang(&texts);
    // Every line's row as the context reads it; the full row only for the
    // lines the model may score, and what the neighbour features read for
    // the lines around them.
    let max_chars = rules
        .model_rules
        .iter()
        .map(|&r| rules.rules[r as usize].guards.max_chars)
        .max()
        .unwrap_or(0);
    // The headline is the page's own: the model does not drop it.
    let structure = Structure::analyze(doc, view);
    // A line's key in the caches, its index in the document; none for a
    // rewritten line, whose text changes before the next pass.
    let keys: Vec<Option<usize>> = view
        .iter()
        .map(|v| (!matches!(verdicts[v.idx], Verdict::Rewrite { .. })).then_some(v.idx))
        .collect();
    let rewritten = |pos: usize| keys[pos].is_none();
    let (line_rows, scored): (Vec<LineRow>, Vec<usize>) = {
        let mut cache = doc.model_rows.0.borrow_mut();
        if cache.as_ref().is_none_or(|(l, _)| *l != lang) {
            *cache = Some((lang, vec![None; doc.feats.len()]));
        }
        let (_, cached) = cache.as_mut().expect("just filled");
        // A line as the rules see it was measured, and classed by the
        // generic layer if it ran in the view's language: the light rows
        // read both.
        let classes = doc.classes.borrow();
        let classes = classes.as_ref().filter(|c| c.lang == lang);
        let mut rows: Vec<LineRow> = (0..view.len())
            .map(|pos| {
                let (t, idx) = (&texts[pos], view[pos].idx);
                if rewritten(pos) {
                    features::light_row_of(t, lang)
                } else {
                    cached[idx]
                        .get_or_insert_with(|| {
                            features::light_row_known(
                                t,
                                &doc.feats[idx],
                                classes.map(|c| c.info(idx)),
                                lang,
                            )
                        })
                        .clone()
                }
            })
            .collect();
        // Only the lines the model may drop are scored.
        let scored: Vec<usize> = (0..rows.len())
            .filter(|&pos| rows[pos].may_score(max_chars) && !structure.is_headline(pos))
            .collect();
        // A scored line's row in full; its neighbours' as far as the
        // neighbour features read (a line that is not scored itself is
        // never more than a neighbour).
        let mut upgrade = |pos: usize, level: Level, rows: &mut [LineRow]| {
            if rows[pos].level() >= level {
                return;
            }
            // A rewritten line's text is not the one the document measured.
            let (idx, rewritten) = (view[pos].idx, rewritten(pos));
            let f = if rewritten {
                measure(texts[pos].text)
            } else {
                doc.feats[idx]
            };
            let row = features::raised(&rows[pos], &texts[pos], &f, lang, level);
            if !rewritten {
                cached[idx] = Some(row.clone());
            }
            rows[pos] = row;
        };
        for &pos in &scored {
            upgrade(pos, Level::Full, &mut rows);
            let reach = pos.saturating_sub(features::NEIGHBOUR_REACH)
                ..(pos + features::NEIGHBOUR_REACH + 1).min(rows.len());
            for near in reach {
                upgrade(near, Level::Neighbour, &mut rows);
            }
        }
        (rows, scored)
    };
    let rows = features::view_features_at(
        &texts,
        &line_rows,
        lang,
        &scored,
        Some(features::Words {
            cache: &mut doc.model_rows.1.borrow_mut(),
            keys: &keys,
        }),
    );
    let mut changed = false;
    for &r in &rules.model_rules {
        let rule = &rules.rules[r as usize];
        let KindOptions::Generic(GenericOptions::Model { threshold }) = rule.options else {
            continue;
        };
        for (i, &pos) in scored.iter().enumerate() {
            let row = rows.row(i);
            let idx = view[pos].idx;
            if !features::droppable(row, doc.feats[idx].chars, rule.guards.max_chars) {
                continue;
            }
            let score = model.probability(row);
            if score < threshold {
                let why = Why::Model {
                    score,
                    top: if name_features {
                        model.top_against(row)
                    } else {
                        [(0, 0.0); TOP_FEATURES]
                    },
                };
                changed |= mark(verdicts, idx, Verdict::Drop { rule: r, why });
            }
        }
    }
    changed
}
