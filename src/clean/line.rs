//! Rules that drop the line their patterns match: `kind = "line"` and
//! `"spam"`, and the pattern forms of `"caption"` and `"header"`. The
//! first rule (in load order) whose guards pass names the drop.

use super::{Pass, caption, mark};
use crate::events::{Verdict, Why};
use crate::rules::{CaptionOptions, KindOptions};

pub(super) fn decide(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    let mut changed = false;
    for pos in 0..p.view.len() {
        let idx = p.view[pos].idx;
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
