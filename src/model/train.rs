//! Training the line model from labelled cases: every case is cleaned by
//! the rules that run before the model, and each line of the view they
//! leave becomes a row of features labelled content or boilerplate. The
//! model learns on exactly what it will see when it decides.

use std::ops::Range;

use rayon::prelude::*;

use super::cases::LabelledCase;
use super::features::{self, ViewText};
use super::file::{FORMAT, Family, Model, Provenance, VERSION};
use super::gbdt::{self, Matrix, TreeParams};
use super::linear::{self, LinearParams};
use crate::events::Verdict;
use crate::rules::RuleSet;
use crate::text::lang::stop_words;
use crate::{CleanOptions, Cleaner};

/// The rows of a set of cases.
pub struct Examples {
    pub x: Matrix,
    /// 1 for content, 0 for boilerplate.
    pub y: Vec<f32>,
    /// The rows of each case, in case order.
    pub rows_of_case: Vec<Range<usize>>,
}

impl Examples {
    /// The rows of the cases for which `keep` holds.
    pub fn select(&self, keep: impl Fn(usize) -> bool) -> (Matrix, Vec<f32>) {
        let mut x = Matrix::new(self.x.features);
        let mut y = Vec::new();
        for (case, rows) in self.rows_of_case.iter().enumerate() {
            if keep(case) {
                for r in rows.clone() {
                    x.push(self.x.row(r));
                    y.push(self.y[r]);
                }
            }
        }
        (x, y)
    }
}

/// The view of a page after `rules` (which must not hold a model rule
/// that would decide with the model being trained): its lines with their
/// current text, and for each its line index in the page.
fn view_of(text: &str, cleaner: &Cleaner) -> (Vec<String>, Vec<bool>, Vec<usize>) {
    let cleaned = cleaner.clean(text);
    let (mut texts, mut gaps, mut idx) = (Vec::new(), Vec::new(), Vec::new());
    let mut gap = true;
    for (i, v) in cleaned.verdicts.iter().enumerate() {
        let line = cleaned.line_text(i);
        if line.is_empty() {
            gap = true;
            continue;
        }
        let current = match v {
            Verdict::Drop { .. } => continue,
            Verdict::Rewrite { text, .. } => text.clone(),
            Verdict::Keep => line.to_string(),
        };
        texts.push(current);
        gaps.push(gap);
        idx.push(i);
        gap = false;
    }
    (texts, gaps, idx)
}

/// The feature rows of one page's view and the labels of its lines.
pub fn case_rows(case: &LabelledCase, cleaner: &Cleaner) -> (Matrix, Vec<f32>) {
    let (texts, gaps, idx) = view_of(&case.text, cleaner);
    let stop = stop_words();
    let view: Vec<ViewText> = texts
        .iter()
        .zip(&gaps)
        .map(|(t, &gap_before)| ViewText {
            text: t,
            gap_before,
            stops: stop.count(t),
        })
        .collect();
    let lang = features::view_lang(&view);
    let x = features::view_features(&view, lang);
    let y = idx
        .iter()
        .map(|&i| f32::from(u8::from(case.content.get(i).copied().unwrap_or(false))))
        .collect();
    (x, y)
}

/// The rows of every case, cleaned in parallel by `rules` (the rules that
/// run before the model).
pub fn examples(cases: &[LabelledCase], rules: &RuleSet) -> Examples {
    let cleaner = Cleaner::new(rules, CleanOptions::default());
    let per_case: Vec<(Matrix, Vec<f32>)> =
        cases.par_iter().map(|c| case_rows(c, &cleaner)).collect();
    let mut x = Matrix::new(features::count());
    let mut y = Vec::new();
    let mut rows_of_case = Vec::with_capacity(cases.len());
    for (m, labels) in per_case {
        let start = y.len();
        x.values.extend_from_slice(&m.values);
        y.extend_from_slice(&labels);
        rows_of_case.push(start..y.len());
    }
    Examples { x, y, rows_of_case }
}

/// Which model family to fit, with its settings.
#[derive(Clone, Debug)]
pub enum FamilyParams {
    Trees(TreeParams),
    Linear(LinearParams),
}

/// Fits a model on rows `x` labelled `y`.
pub fn fit(x: &Matrix, y: &[f32], params: &FamilyParams, trained: Provenance) -> Model {
    let w = vec![1.0f32; y.len()];
    let family = match params {
        FamilyParams::Trees(p) => Family::Trees {
            params: p.clone(),
            forest: gbdt::train(x, y, &w, p, None),
        },
        FamilyParams::Linear(p) => Family::Linear {
            params: p.clone(),
            linear: linear::train(x, y, &w, p),
        },
    };
    Model {
        format: FORMAT.into(),
        version: VERSION,
        trained,
        features: features::names(),
        family,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cases::CaseMeta;
    use crate::rules::{CompileOptions, RuleSource};

    #[test]
    fn views_leave_out_what_the_rules_drop_and_keep_the_labels() {
        let rules = RuleSet::compile(
            &[RuleSource {
                name: "t.toml".into(),
                text: r#"
[[rule]]
id = "t.menu"
kind = "line"
description = "x"
exact = ["Menu"]
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
            text: "Menu\nTitle\n\nBody text of the page.\nShare".into(),
            content: vec![false, true, false, true, false],
            meta: CaseMeta::default(),
        };
        let cleaner = Cleaner::new(&rules, CleanOptions::default());
        let (x, y) = case_rows(&case, &cleaner);
        assert_eq!(x.rows(), 3);
        assert_eq!(y, vec![1.0, 1.0, 0.0]);
        let ex = examples(&[case.clone(), case], &rules);
        assert_eq!(ex.rows_of_case, vec![0..3, 3..6]);
        let (x1, y1) = ex.select(|c| c == 1);
        assert_eq!((x1.rows(), y1.len()), (3, 3));
    }
}
