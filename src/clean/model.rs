//! `detector = "model"`: the trained line model decides for the lines the
//! other rules left, once they have settled. It reads the view only (the
//! kept lines and the gaps between them), so the clean output, cleaned
//! again, gives the model the view it last decided on. A prose line or a
//! full sentence is never dropped here (the generic layer's guard), nor a
//! line longer than the rule's `max_chars`.

use super::{Doc, ViewLine, mark};
use crate::events::{Verdict, Why};
use crate::model::features::{self, ViewText};
use crate::rules::{GenericOptions, KindOptions, RuleSet};

/// Runs the model rules on a settled view. Returns whether a verdict
/// changed.
pub(super) fn decide(
    rules: &RuleSet,
    doc: &Doc,
    view: &[ViewLine],
    verdicts: &mut [Verdict],
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
    let rows = features::view_features(&texts, lang);
    let mut changed = false;
    for &r in &rules.model_rules {
        let rule = &rules.rules[r as usize];
        let KindOptions::Generic(GenericOptions::Model { threshold }) = rule.options else {
            continue;
        };
        for (pos, v) in view.iter().enumerate() {
            let row = rows.row(pos);
            if features::guarded(row) || doc.feats[v.idx].chars > rule.guards.max_chars {
                continue;
            }
            let score = model.probability(row);
            if score < threshold {
                let why = Why::Model {
                    score,
                    top: model.top_against(row),
                };
                changed |= mark(verdicts, v.idx, Verdict::Drop { rule: r, why });
            }
        }
    }
    changed
}
