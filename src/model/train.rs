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

/// Rows of features, their labels and their weights.
struct Rows {
    x: Matrix,
    y: Vec<f32>,
    w: Vec<f32>,
}

impl Rows {
    fn append(&mut self, other: Rows) {
        self.x.values.extend_from_slice(&other.x.values);
        self.y.extend_from_slice(&other.y);
        self.w.extend_from_slice(&other.w);
    }
}

/// The rows and labels of some views, in order, each line weighing
/// 1 / (its page's lines)^`page_weight`: with 0, every line alike; with
/// 1, every page weighs the same, so that a forum of 3,000 lines does not
/// outweigh a hundred news pages of 30.
fn rows_of<'a>(views: impl IndexedParallelIterator<Item = &'a CaseView>, page_weight: f64) -> Rows {
    let parts: Vec<(Matrix, &[f32])> = views.map(|v| (v.rows(), &v.labels[..])).collect();
    let mut rows = Rows {
        x: Matrix::new(features::count()),
        y: Vec::new(),
        w: Vec::new(),
    };
    for (m, labels) in parts {
        rows.x.values.extend_from_slice(&m.values);
        rows.y.extend_from_slice(labels);
        let w = (labels.len().max(1) as f64).powf(-page_weight) as f32;
        rows.w.extend(std::iter::repeat_n(w, labels.len()));
    }
    rows
}

/// How the model is trained, besides its family.
#[derive(Clone, Debug)]
pub struct Training {
    pub family: FamilyParams,
    /// The model rule's threshold and length guard: what the model's first
    /// decision leaves is what it learns on in the second round.
    pub threshold: f32,
    pub max_chars: usize,
    /// Each line weighs 1 / (its page's lines)^this: 0, every line alike;
    /// 1, every page alike.
    pub page_weight: f64,
}

/// Trains a model on `views` in two rounds. The model decides again on
/// the view its first decision left (the cleaner repeats its decisions
/// until nothing changes), where lines at the new edges of the text look
/// unlike anything the first view showed; so a first model is fitted on
/// the views, the views after its decision are added, and the model is
/// fitted on both.
pub fn train(views: &[CaseView], training: &Training, trained: Provenance) -> Model {
    let trained = Provenance {
        page_weight: training.page_weight,
        ..trained
    };
    let mut rows = rows_of(views.par_iter(), training.page_weight);
    let first = fit(&rows, &training.family, trained.clone());
    let next: Vec<CaseView> = views
        .par_iter()
        .filter_map(|v| v.after(&first, training.threshold, training.max_chars))
        .collect();
    rows.append(rows_of(next.par_iter(), training.page_weight));
    let trained = Provenance {
        lines: rows.y.len(),
        ..trained
    };
    fit(&rows, &training.family, trained)
}

/// Which model family to fit, with its settings.
#[derive(Clone, Debug)]
pub enum FamilyParams {
    Trees(TreeParams),
    Linear(LinearParams),
}

/// Fits a model on `rows`, their weights scaled to a mean of 1 (so that
/// a leaf's least weight means what it says whatever the weighting).
fn fit(rows: &Rows, params: &FamilyParams, trained: Provenance) -> Model {
    let Rows { x, y, w } = rows;
    let mean = w.iter().map(|&v| f64::from(v)).sum::<f64>() / w.len().max(1) as f64;
    let w: Vec<f32> = w
        .iter()
        .map(|&v| (f64::from(v) / mean.max(f64::MIN_POSITIVE)) as f32)
        .collect();
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
            unmatched: Vec::new(),
        };
        let cleaner = Cleaner::new(&rules, CleanOptions::default());
        let view = case_view(&case, &cleaner);
        assert_eq!(view.texts, ["Title", "Body text of the page.", "Share"]);
        assert_eq!(view.gaps, [true, true, false]);
        assert_eq!(view.labels, [1.0, 1.0, 0.0]);
        assert_eq!(view.rows().rows(), 3);
        let views = case_views(&[case.clone(), case], &rules);
        let rows = rows_of(views.par_iter(), 0.0);
        assert_eq!((rows.x.rows(), rows.y.len(), rows.w.len()), (6, 6, 6));
        assert!(rows.w.iter().all(|&w| w == 1.0));
    }

    #[test]
    fn with_page_weight_1_every_page_weighs_the_same() {
        let view = |lines: usize| CaseView {
            texts: vec!["A line of the page.".into(); lines],
            gaps: vec![false; lines],
            labels: vec![1.0; lines],
        };
        let views = [view(2), view(8)];
        let weight_of_pages = |rows: &Rows| {
            (
                rows.w[..2].iter().sum::<f32>(),
                rows.w[2..].iter().sum::<f32>(),
            )
        };
        let alike = rows_of(views.par_iter(), 1.0);
        let (a, b) = weight_of_pages(&alike);
        assert!((a - 1.0).abs() < 1e-6 && (b - 1.0).abs() < 1e-6, "{a} {b}");
        let by_line = rows_of(views.par_iter(), 0.0);
        assert_eq!(weight_of_pages(&by_line), (2.0, 8.0));
    }
}
