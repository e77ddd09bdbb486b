//! `kind = "header"`: title furniture. A site suffix is stripped from the
//! title (a rewrite); later lines that repeat the title are dropped.
//! Header rules with patterns (bylines, labels) drop the lines they match
//! like line rules do ([`super::line`]).

use super::ViewLine;
use super::structure::{Structure, TitleMatch};
use crate::events::{Verdict, Why};
use crate::rules::{HeaderOptions, KindOptions, RuleSet};

/// Rewrites the title without its site suffix, and tells `structure` the
/// new title. Returns the line rewritten, when its verdict changed.
pub(super) fn strip_title_suffix(
    rules: &RuleSet,
    view: &[ViewLine],
    structure: &mut Structure,
    verdicts: &mut [Verdict],
) -> Option<usize> {
    let title_pos = structure.title_pos?;
    let (rule, stripped) = stripped_title(rules, &structure.title)?;
    let idx = view[title_pos].idx;
    verdicts[idx] = Verdict::Rewrite {
        rule,
        why: Why::TitleSuffix,
        text: stripped.clone(),
    };
    structure.set_title(stripped);
    Some(idx)
}

/// Applies every title-suffix rule until none strips more. Returns the
/// first rule that stripped and the final title.
fn stripped_title(rules: &RuleSet, title: &str) -> Option<(u32, String)> {
    let mut current = title.to_string();
    let mut first_rule = None;
    'again: loop {
        for &r in &rules.title_suffix_rules {
            let KindOptions::Header(HeaderOptions::TitleSuffix { suffixes }) =
                &rules.rules[r as usize].options
            else {
                continue;
            };
            for re in suffixes {
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

/// `detector = "title-repeat"`: the line at `pos` repeats the title.
pub(super) fn title_repeat(title: &TitleMatch, pos: usize) -> Option<Why> {
    title.is_repeat(pos).then_some(Why::TitleRepeat)
}
