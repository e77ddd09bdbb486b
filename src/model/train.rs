//! Training the line model from labelled cases: every case is cleaned by
//! the rules that run before the model, and each line of the view they
//! leave becomes a row of features labelled content or boilerplate. The
//! model learns on exactly what it will see when it decides.

use rayon::prelude::*;

use super::cases::LabelledCase;
use super::features::{self, ViewText};
use super::file::{FORMAT, Family, Model, Provenance, VERSION};
use super::gbdt::{self, Matrix, TreeParams};
use super::linear::{self, LinearParams};
use crate::events::Verdict;
use crate::rules::RuleSet;
use crate::text::features::measure;
use crate::text::lang::stop_words;
use crate::{CleanOptions, Cleaner};

/// A page as the model sees it: the view the rules before the model leave
/// (each line's current text and whether a blank line comes before it),
/// with each line's label (1 content, 0 boilerplate).
#[derive(Clone, Debug)]
pub struct CaseView {
    pub texts: Vec<String>,
    pub gaps: Vec<bool>,
    pub labels: Vec<f32>,
}

impl CaseView {
    /// The feature rows of the view.
    pub fn rows(&self) -> Matrix {
        let stop = stop_words();
        let view: Vec<ViewText> = self
            .texts
            .iter()
            .zip(&self.gaps)
            .map(|(t, &gap_before)| ViewText {
                text: t,
                gap_before,
                stops: stop.count(t),
            })
            .collect();
        features::view_features(&view, features::view_lang(&view))
    }

    /// The view after one decision of `model`: the lines it drops at
    /// `threshold` left out (a blank line before a dropped line carries to
    /// the next). `None` when it drops nothing.
    fn after(&self, model: &Model, threshold: f32, max_chars: usize) -> Option<CaseView> {
        let rows = self.rows();
        let mut next = CaseView {
            texts: Vec::new(),
            gaps: Vec::new(),
            labels: Vec::new(),
        };
        let mut gap = false;
        for (k, text) in self.texts.iter().enumerate() {
            gap |= self.gaps[k];
            let row = rows.row(k);
            if features::droppable(row, measure(text).chars, max_chars)
                && model.probability(row) < threshold
            {
                continue;
            }
            next.texts.push(text.clone());
            next.gaps.push(gap);
            next.labels.push(self.labels[k]);
            gap = false;
        }
        (next.texts.len() < self.texts.len()).then_some(next)
    }
}

/// The view of a page after `rules` (which hold no model rule), with the
/// labels of its lines.
pub fn case_view(case: &LabelledCase, cleaner: &Cleaner) -> CaseView {
    let cleaned = cleaner.clean(&case.text);
    let mut view = CaseView {
        texts: Vec::new(),
        gaps: Vec::new(),
        labels: Vec::new(),
    };
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
        view.texts.push(current);
        view.gaps.push(gap);
        view.labels.push(f32::from(u8::from(
            case.content.get(i).copied().unwrap_or(false),
        )));
        gap = false;
    }
    view
}

/// The views of every case, cleaned in parallel by `rules` (the rules that
/// run before the model).
pub fn case_views(cases: &[LabelledCase], rules: &RuleSet) -> Vec<CaseView> {
    let cleaner = Cleaner::new(rules, CleanOptions::default());
    cases.par_iter().map(|c| case_view(c, &cleaner)).collect()
}

/// The rows and labels of some views, in order.
fn rows_of<'a>(views: impl IndexedParallelIterator<Item = &'a CaseView>) -> (Matrix, Vec<f32>) {
    let parts: Vec<(Matrix, &[f32])> = views.map(|v| (v.rows(), &v.labels[..])).collect();
    let mut x = Matrix::new(features::count());
    let mut y = Vec::new();
    for (m, labels) in parts {
        x.values.extend_from_slice(&m.values);
        y.extend_from_slice(labels);
    }
    (x, y)
}

/// How the model is trained, besides its family.
#[derive(Clone, Debug)]
pub struct Training {
    pub family: FamilyParams,
    /// The model rule's threshold and length guard: what the model's first
    /// decision leaves is what it learns on in the second round.
    pub threshold: f32,
    pub max_chars: usize,
}

/// Trains a model on `views` in two rounds. The model decides again on
/// the view its first decision left (the cleaner repeats its decisions
/// until nothing changes), where lines at the new edges of the text look
/// unlike anything the first view showed; so a first model is fitted on
/// the views, the views after its decision are added, and the model is
/// fitted on both.
pub fn train(views: &[CaseView], training: &Training, trained: Provenance) -> Model {
    let (x0, y0) = rows_of(views.par_iter());
    let first = fit(&x0, &y0, &training.family, trained.clone());
    let next: Vec<CaseView> = views
        .par_iter()
        .filter_map(|v| v.after(&first, training.threshold, training.max_chars))
        .collect();
    let (x1, y1) = rows_of(next.par_iter());
    let mut x = x0;
    let mut y = y0;
    x.values.extend_from_slice(&x1.values);
    y.extend_from_slice(&y1);
    let trained = Provenance {
        lines: y.len(),
        ..trained
    };
    fit(&x, &y, &training.family, trained)
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
        let view = case_view(&case, &cleaner);
        assert_eq!(view.texts, ["Title", "Body text of the page.", "Share"]);
        assert_eq!(view.gaps, [true, true, false]);
        assert_eq!(view.labels, [1.0, 1.0, 0.0]);
        assert_eq!(view.rows().rows(), 3);
        let views = case_views(&[case.clone(), case], &rules);
        let (x, y) = rows_of(views.par_iter());
        assert_eq!((x.rows(), y.len()), (6, 6));
    }
}
