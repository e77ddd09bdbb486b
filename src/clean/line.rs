//! Rules that drop the line their patterns match: `kind = "line"` and
//! `"spam"`, and the pattern forms of `"caption"` and `"header"`. The
//! first rule (in load order) whose guards pass names the drop. Before
//! that, a line rule with `cut_glued` may cut the part of a paragraph it
//! matches (see [`super::glued`]).

use super::{Pass, caption, glued, mark};
use crate::events::{Verdict, Why};
use crate::rules::{CaptionOptions, KindOptions};

/// Decides on every line of the view; pushes the lines it rewrote (cut)
/// to `rewrote`.
pub(super) fn decide(p: &Pass, verdicts: &mut [Verdict], rewrote: &mut Vec<usize>) -> bool {
    let mut changed = false;
    for pos in 0..p.view.len() {
        let idx = p.view[pos].idx;
        if !p.rules.cut_glued_rules.is_empty()
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
        for &r in p.doc.hits(idx) {
            let rule = &p.rules.rules[r as usize];
            if matches!(rule.options, KindOptions::Block(_) | KindOptions::Tail(_))
                || !p.guards_pass(rule, pos)
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
            if let KindOptions::Caption(CaptionOptions::Pattern { repeats: true }) = rule.options {
                changed |= caption::drop_repeats(p, r, pos, verdicts);
            }
            break;
        }
    }
    changed
}
