//! `kind = "tail"`: a marker line ("Topik:", "Berita Terkini Lainnya")
//! that starts in the last part of the text, and everything after it.

use super::{Pass, mark};
use crate::events::{Verdict, Why};
use crate::rules::KindOptions;

pub(super) fn decide(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    let mut changed = false;
    for pos in 0..p.view.len() {
        let idx = p.view[pos].idx;
        for &r in p.doc.hits(idx) {
            let rule = &p.rules.rules[r as usize];
            let KindOptions::Tail(opts) = &rule.options else {
                continue;
            };
            if !p.guards_pass(rule, pos) {
                continue;
            }
            let before = p.structure.chars_before(pos);
            if (before as f64) >= (1.0 - opts.within_last) * p.structure.total_chars as f64 {
                changed |= mark(
                    verdicts,
                    idx,
                    Verdict::Drop {
                        rule: r,
                        why: Why::TailMarker,
                    },
                );
                for v in &p.view[pos + 1..] {
                    changed |= mark(
                        verdicts,
                        v.idx,
                        Verdict::Drop {
                            rule: r,
                            why: Why::AfterTailMarker,
                        },
                    );
                }
                return changed;
            }
        }
    }
    changed
}
