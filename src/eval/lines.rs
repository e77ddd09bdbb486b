//! Line-level scores on labelled cases ([`crate::model::cases`]): of the
//! content lines, the share kept; of the boilerplate lines, the share
//! removed; grouped by what the cases' `meta.json` says (dataset, page
//! type, language); and for every rule, how many lines it dropped and the
//! share of them that were boilerplate (its precision).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::events::{Cleaned, Event};
use crate::model::cases::LabelledCase;
use crate::rules::RuleSet;

/// Counts of one page or group of pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LineCounts {
    pub pages: u64,
    pub content: u64,
    pub content_kept: u64,
    pub boilerplate: u64,
    pub boilerplate_removed: u64,
}

impl LineCounts {
    pub fn add(&mut self, o: &LineCounts) {
        self.pages += o.pages;
        self.content += o.content;
        self.content_kept += o.content_kept;
        self.boilerplate += o.boilerplate;
        self.boilerplate_removed += o.boilerplate_removed;
    }

    /// The share of content lines kept (1 when there are none).
    pub fn kept(&self) -> f64 {
        share(self.content_kept, self.content)
    }

    /// The share of boilerplate lines removed (1 when there are none).
    pub fn removed(&self) -> f64 {
        share(self.boilerplate_removed, self.boilerplate)
    }
}

fn share(n: u64, of: u64) -> f64 {
    if of == 0 { 1.0 } else { n as f64 / of as f64 }
}

/// Lines a rule dropped, and how many of them were boilerplate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleCounts {
    pub dropped: u64,
    pub boilerplate: u64,
}

impl RuleCounts {
    /// The share of its drops that were boilerplate.
    pub fn precision(&self) -> f64 {
        share(self.boilerplate, self.dropped)
    }
}

/// The score of one cleaned page.
#[derive(Clone, Debug, Serialize)]
pub struct CaseScore {
    pub name: String,
    pub counts: LineCounts,
    /// Per rule id: what it dropped.
    pub rules: BTreeMap<String, RuleCounts>,
    /// Content lines dropped: (1-based line, rule id, text).
    pub lost: Vec<(usize, String, String)>,
    /// Boilerplate lines kept: (1-based line, text).
    pub left: Vec<(usize, String)>,
}

/// Scores the cleaning of one case against its labels. A rewritten line
/// is kept.
pub fn score_case(case: &LabelledCase, cleaned: &Cleaned, rules: &RuleSet) -> CaseScore {
    let mut s = CaseScore {
        name: case.name.clone(),
        counts: LineCounts {
            pages: 1,
            ..LineCounts::default()
        },
        rules: BTreeMap::new(),
        lost: Vec::new(),
        left: Vec::new(),
    };
    for event in cleaned.events(rules) {
        let (line, text, dropped_by) = match event {
            Event::Kept { line, text } => (line, text, None),
            Event::Rewritten { line, from, .. } => (line, from, None),
            Event::Dropped {
                line, text, rule, ..
            } => (line, text, Some(rule)),
            Event::Gap => continue,
        };
        let content = case.content.get(line - 1).copied().unwrap_or(false);
        let c = &mut s.counts;
        if content {
            c.content += 1;
            c.content_kept += u64::from(dropped_by.is_none());
        } else {
            c.boilerplate += 1;
            c.boilerplate_removed += u64::from(dropped_by.is_some());
        }
        match dropped_by {
            Some(rule) => {
                let r = s.rules.entry(rule.id.clone()).or_default();
                r.dropped += 1;
                r.boilerplate += u64::from(!content);
                if content {
                    s.lost.push((line, rule.id.clone(), text.to_string()));
                }
            }
            None if !content => s.left.push((line, text.to_string())),
            None => {}
        }
    }
    s
}

/// The groups a case counts in: all, its dataset, and its dataset's page
/// type and language when `meta.json` names them.
pub fn groups(case: &LabelledCase) -> Vec<String> {
    let m = &case.meta;
    let mut g = vec!["all".to_string()];
    if let Some(d) = &m.dataset {
        g.push(d.clone());
        if let Some(t) = &m.page_type {
            g.push(format!("{d} type={t}"));
        }
        if let Some(l) = &m.lang {
            g.push(format!("{d} lang={l}"));
        }
    }
    g
}

/// Totals over cases: per group, and per rule.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LineReport {
    pub groups: BTreeMap<String, LineCounts>,
    pub rules: BTreeMap<String, RuleCounts>,
}

impl LineReport {
    pub fn add(&mut self, case: &LabelledCase, score: &CaseScore) {
        for g in groups(case) {
            self.groups.entry(g).or_default().add(&score.counts);
        }
        for (id, r) in &score.rules {
            let mine = self.rules.entry(id.clone()).or_default();
            mine.dropped += r.dropped;
            mine.boilerplate += r.boilerplate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cases::CaseMeta;
    use crate::rules::{CompileOptions, RuleSource};
    use crate::{CleanOptions, Cleaner};

    #[test]
    fn counts_kept_content_removed_boilerplate_and_rule_precision() {
        let rules = RuleSet::compile(
            &[RuleSource {
                name: "t.toml".into(),
                text: r#"
[[rule]]
id = "t.menu"
kind = "line"
description = "x"
exact = ["Menu", "Share"]
examples.drop = ["Menu"]
examples.keep = ["Menus are long."]
"#
                .into(),
            }],
            &CompileOptions::default(),
        )
        .unwrap();
        let case = LabelledCase {
            name: "c".into(),
            dir: Default::default(),
            text: "Menu\nTitle\n\nBody text of the page.\nShare\nFooter".into(),
            content: vec![false, true, false, true, true, false],
            meta: CaseMeta {
                dataset: Some("d".into()),
                page_type: Some("article".into()),
                ..CaseMeta::default()
            },
            unmatched: Vec::new(),
        };
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(&case.text);
        let s = score_case(&case, &cleaned, &rules);
        assert_eq!(
            s.counts,
            LineCounts {
                pages: 1,
                content: 3,
                content_kept: 2,
                boilerplate: 2,
                boilerplate_removed: 1,
            }
        );
        assert_eq!(
            s.rules["t.menu"],
            RuleCounts {
                dropped: 2,
                boilerplate: 1
            }
        );
        assert_eq!(s.lost, vec![(5, "t.menu".into(), "Share".into())]);
        assert_eq!(s.left, vec![(6, "Footer".into())]);
        let mut report = LineReport::default();
        report.add(&case, &s);
        assert_eq!(
            report.groups.keys().collect::<Vec<_>>(),
            ["all", "d", "d type=article"]
        );
    }
}
