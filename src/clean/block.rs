//! `kind = "block"`: a list heading ("Berita Terkait", "Terpopuler") and
//! the short lines and separators under it, up to the first line that is
//! not a list item.

use super::{Doc, Pass, ViewLine, mark};
use crate::events::{Verdict, Why};
use crate::rules::{BlockOptions, KindOptions, RuleSet};

pub(super) fn decide(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    let mut changed = false;
    for pos in 0..p.view.len() {
        let idx = p.view[pos].idx;
        for &r in p.doc.hits(idx) {
            let rule = &p.rules.rules[r as usize];
            let KindOptions::Block(opts) = &rule.options else {
                continue;
            };
            if !p.guards_pass(rule, pos) {
                continue;
            }
            if let Some(end) = block_end(p.doc, p.view, pos, opts, p.rules) {
                changed |= mark(
                    verdicts,
                    idx,
                    Verdict::Drop {
                        rule: r,
                        why: Why::BlockHeading,
                    },
                );
                for v in &p.view[pos + 1..=end] {
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
    changed
}

/// Whether some block rule takes the line as its heading.
fn is_block_heading(doc: &Doc, idx: usize, rules: &RuleSet) -> bool {
    doc.hits(idx).iter().any(|&r| {
        let rule = &rules.rules[r as usize];
        matches!(rule.options, KindOptions::Block(_))
            && doc.feats[idx].chars <= rule.guards.max_chars
    })
}

/// The last view position of the list under a block heading at `pos`, if
/// the list has enough items.
fn block_end(
    doc: &Doc,
    view: &[ViewLine],
    pos: usize,
    opts: &BlockOptions,
    rules: &RuleSet,
) -> Option<usize> {
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
        if is_block_heading(doc, v.idx, rules) {
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
