//! Rules that drop the line their patterns match: `kind = "line"` and
//! `"spam"`, and the pattern forms of `"caption"` and `"header"`. The
//! first rule (in load order) whose guards pass names the drop. A line
//! rule with `cut_glued` may instead cut the part of a paragraph it
//! matches (see [`super::glued`]); a rule without it drops the lines it
//! matches as before.

use super::{Pass, caption, glued, mark};
use crate::events::{Verdict, Why};
use crate::rules::{CaptionOptions, KindOptions};

/// Decides on every line of the view; pushes the lines it rewrote (cut)
/// to `rewrote`.
pub(super) fn decide(p: &Pass, verdicts: &mut [Verdict], rewrote: &mut Vec<usize>) -> bool {
    let mut changed = false;
    for pos in 0..p.view.len() {
        let idx = p.view[pos].idx;
        let first = p.doc.hits(idx).iter().copied().find(|&r| {
            let rule = &p.rules.rules[r as usize];
            !matches!(rule.options, KindOptions::Block(_) | KindOptions::Tail(_))
                && p.guards_pass(rule, pos)
        });
        let may_cut = first.is_none_or(|r| {
            matches!(
                p.rules.rules[r as usize].options,
                KindOptions::Line { cut_glued: true }
            )
        });
        if may_cut
            && !p.rules.cut_glued_rules.is_empty()
            && !matches!(verdicts[idx], Verdict::Drop { .. })
            && let Some((r, kept)) = glued::cut(p, pos)
        {
            // A line rewritten before keeps the rule that first did.
            let (rule, why) = match verdicts[idx] {
                Verdict::Rewrite { rule, why, .. } => (rule, why),
                _ => (r, Why::GluedPart),
            };
            verdicts[idx] = Verdict::Rewrite {
                rule,
                why,
                text: kept.to_string(),
            };
            rewrote.push(idx);
            changed = true;
            // The rules decide on what is left in the next pass.
            continue;
        }
        let Some(r) = first else {
            continue;
        };
        changed |= mark(
            verdicts,
            idx,
            Verdict::Drop {
                rule: r,
                why: Why::Pattern,
            },
        );
        if let KindOptions::Caption(CaptionOptions::Pattern { repeats: true }) =
            p.rules.rules[r as usize].options
        {
            changed |= caption::drop_repeats(p, r, pos, verdicts);
        }
    }
    changed
}
