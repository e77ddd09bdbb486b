//! `kind = "caption"`: photo captions and credits. By pattern (with
//! `repeats`, the adjacent lines that repeat the caption go with it), or
//! by a detector that works from the title: the title with a caption
//! glued on (image alt text followed by its caption), and the short line
//! right under a repeated title.

use super::structure::{TitleMatch, near_duplicate};
use super::{Pass, mark};
use crate::events::{Verdict, Why};
use crate::rules::Rule;

/// `detector = "title-glued"`: the line at `pos` starts with the title and
/// more text follows it without a space or a mark between them
/// ("...dengan AfghanistanPresiden Rusia ..."): alt text and caption run
/// together. A title followed by a space or a colon starts a sentence or a
/// subtitle, and a line that starts with a short title (a site name) is
/// often the text itself.
pub(super) fn title_glued(p: &Pass, title: &TitleMatch, rule: &Rule, pos: usize) -> Option<Why> {
    let idx = p.view[pos].idx;
    let line = p.doc.line(idx);
    let glued = line
        .strip_prefix(title.text)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphanumeric);
    (pos != title.pos
        && p.doc.feats[idx].chars <= rule.guards.max_chars
        && title.text.len() >= 12
        && glued
        && !title.is_repeat(pos))
    .then_some(Why::TitleGlued)
}

/// `detector = "after-title-repeat"`: the short line at `pos` follows a
/// repeat of the title without a gap.
pub(super) fn after_title_repeat(
    p: &Pass,
    title: &TitleMatch,
    rule: &Rule,
    pos: usize,
) -> Option<Why> {
    let v = p.view[pos];
    let f = p.doc.feats[v.idx];
    (pos > 0
        && title.is_repeat(pos - 1)
        && !v.gap_before
        && !f.is_prose()
        && !title.is_repeat(pos)
        && f.chars <= rule.guards.max_chars)
        .then_some(Why::AfterTitleRepeat)
}

/// `repeats = true`: drops the lines right before and after the caption at
/// `pos` (no gap between) that say nearly the same.
pub(super) fn drop_repeats(p: &Pass, r: u32, pos: usize, verdicts: &mut [Verdict]) -> bool {
    let rule = &p.rules.rules[r as usize];
    let view = p.view;
    let line = p.doc.line(view[pos].idx);
    let mut neighbours = Vec::with_capacity(2);
    if pos > 0 && !view[pos].gap_before {
        neighbours.push(view[pos - 1].idx);
    }
    if pos + 1 < view.len() && !view[pos + 1].gap_before {
        neighbours.push(view[pos + 1].idx);
    }
    let mut changed = false;
    for n in neighbours {
        if p.doc.feats[n].chars <= rule.guards.max_chars && near_duplicate(line, p.doc.line(n)) {
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
    changed
}
