//! The model file: plain JSON, versioned, read strictly (unknown keys, a
//! feature list that is not this sapu's, malformed trees are errors that
//! name the file), like a rule file.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::features;
use super::gbdt::{Forest, TreeParams};
use super::linear::{Linear, LinearParams};
use crate::events::TOP_FEATURES;

/// What the file says it is.
pub const FORMAT: &str = "sapu-line-model";
/// The version of the format and of the feature list. A model of another
/// version must be trained again.
pub const VERSION: u32 = 2;

/// A trained line model: the log-odds that a line is content.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub format: String,
    pub version: u32,
    /// What it was trained on and how (for people; not read back).
    pub trained: Provenance,
    /// The feature names, in the order of a row: must be this sapu's.
    pub features: Vec<String>,
    pub family: Family,
}

/// Where a model came from.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The case folders, as given to `sapu train`.
    pub cases: Vec<String>,
    pub pages: usize,
    pub lines: usize,
    /// The rules run before the model (their ids' count and the ids
    /// disabled for training).
    pub rules: usize,
    /// How a page's lines shared its weight in training: each weighed
    /// 1 / (the page's lines)^this. Not written when 0 (every line alike),
    /// so that files trained so before it was recorded stay as they were.
    #[serde(default, skip_serializing_if = "every_line_alike")]
    pub page_weight: f64,
}

fn every_line_alike(page_weight: &f64) -> bool {
    *page_weight == 0.0
}

/// The model family and its fitted parameters.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", tag = "kind")]
pub enum Family {
    Trees {
        params: TreeParams,
        forest: Forest,
    },
    Linear {
        params: LinearParams,
        linear: Linear,
    },
}

impl Model {
    /// The log-odds that the line of this row of features is content.
    pub fn score(&self, row: &[f32]) -> f32 {
        match &self.family {
            Family::Trees { forest, .. } => forest.score(row),
            Family::Linear { linear, .. } => linear.score(row),
        }
    }

    /// The probability that the line is content.
    pub fn probability(&self, row: &[f32]) -> f32 {
        1.0 / (1.0 + (-self.score(row)).exp())
    }

    /// The features that pushed the score of `row` most towards
    /// boilerplate: (index, contribution in log-odds), most negative first.
    pub fn top_against(&self, row: &[f32]) -> [(u16, f32); TOP_FEATURES] {
        let c: Vec<f32> = match &self.family {
            Family::Trees { forest, .. } => forest.contributions(row, row.len()),
            Family::Linear { linear, .. } => linear.contributions(row),
        };
        most_negative(&c)
    }

    /// Reads a model file's text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<Model, ModelError> {
        let err = |problem: String| ModelError {
            file: name.to_string(),
            problem,
        };
        let model: Model = serde_json::from_str(text).map_err(|e| err(unreadable(text, &e)))?;
        if model.format != FORMAT {
            return Err(err(format!(
                "not a sapu line model (\"format\" is {:?}, not {FORMAT:?})",
                model.format
            )));
        }
        if model.version != VERSION {
            return Err(err(format!(
                "model version {} (this sapu reads version {VERSION}): train it again with `sapu train`",
                model.version
            )));
        }
        let expected = features::names();
        if model.features != expected {
            let first = model
                .features
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(model.features.len().min(expected.len()));
            let show =
                |name: Option<&String>| name.map_or("missing".to_string(), |n| format!("`{n}`"));
            return Err(err(format!(
                "the model's features are not this sapu's (first difference at feature {first}: {} in the file, {} in this sapu): train it again with `sapu train`",
                show(model.features.get(first)),
                show(expected.get(first))
            )));
        }
        let checked = match &model.family {
            Family::Trees { forest, .. } => forest.check(expected.len()),
            Family::Linear { linear, .. } => linear.check(expected.len()),
        };
        checked.map_err(err)?;
        Ok(model)
    }

    /// The model as the file `sapu train` writes: JSON, one tree per line.
    pub fn to_json(&self) -> String {
        // serde_json's compact form is one line; trees on their own lines
        // keep diffs of retrained models readable.
        let compact = serde_json::to_string(self).unwrap_or_default();
        compact
            .replace("],[{", "],\n[{")
            .replace("\"trees\":[[", "\"trees\":[\n[")
            + "\n"
    }
}

/// Why a model file's text does not read as a model, at its place, and
/// what to do about it.
fn unreadable(text: &str, e: &serde_json::Error) -> String {
    // serde_json's message ends with its place; it is said once, first.
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    let at = format!("line {}, column {}", e.line(), e.column());
    if e.is_data() {
        let format = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string));
        if format.as_deref() != Some(FORMAT) {
            return format!(
                "{at}: {message}: not a sapu line model (it has no \"format\": {FORMAT:?}); give the file `sapu train -o` wrote"
            );
        }
        return format!(
            "{at}: {message}: the model file is damaged; train it again with `sapu train`"
        );
    }
    format!(
        "{at}: {message}: not a whole JSON file (cut short or edited?); give the file `sapu train -o` wrote"
    )
}

/// A model file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ModelError {
    pub file: String,
    pub problem: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

/// The most negative of the contributions `c`, most negative first (ties
/// by index): (index, contribution); `(0, 0.0)` past the end of `c`.
fn most_negative(c: &[f32]) -> [(u16, f32); TOP_FEATURES] {
    let mut order: Vec<usize> = (0..c.len()).collect();
    // A total order (ties by index): the first few, selected and then
    // sorted, are those a full sort puts first.
    let cmp = |a: &usize, b: &usize| c[*a].total_cmp(&c[*b]).then(a.cmp(b));
    if order.len() > TOP_FEATURES {
        order.select_nth_unstable_by(TOP_FEATURES - 1, cmp);
        order.truncate(TOP_FEATURES);
    }
    order.sort_by(cmp);
    let mut top = [(0u16, 0f32); TOP_FEATURES];
    for (slot, &i) in top.iter_mut().zip(&order) {
        *slot = (i as u16, c[i]);
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gbdt::{LEAF, Node};

    /// A model file that is not JSON, not a model, or a damaged model says
    /// its place once and what to do.
    #[test]
    fn unreadable_files_say_their_place_once_and_what_to_do() {
        let problem = |text: &str| Model::parse("m.json", text).unwrap_err().problem;
        let cut = problem("{\"format\": \"sapu-line-mo");
        assert!(
            cut.starts_with("line 1, column 24: EOF while parsing"),
            "{cut}"
        );
        assert!(!cut.contains(" at line "), "{cut}");
        assert!(cut.contains("not a whole JSON file"), "{cut}");
        let other = problem("{\"format\": \"x\"}");
        assert!(other.contains("missing field `version`"), "{other}");
        assert!(other.contains("not a sapu line model"), "{other}");
        let damaged = problem(&format!("{{\"format\": {FORMAT:?}, \"version\": \"one\"}}"));
        assert!(damaged.contains("invalid type"), "{damaged}");
        assert!(damaged.contains("train it again"), "{damaged}");
    }

    /// The selection gives what a full sort of every contribution gives,
    /// ties and all.
    #[test]
    fn most_negative_is_the_start_of_a_full_sort() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for len in [
            0,
            1,
            TOP_FEATURES - 1,
            TOP_FEATURES,
            TOP_FEATURES + 1,
            40,
            150,
        ] {
            for _ in 0..50 {
                // Few distinct values, so that ties are common.
                let c: Vec<f32> = (0..len).map(|_| (next() % 7) as f32 - 3.0).collect();
                let mut order: Vec<usize> = (0..len).collect();
                order.sort_by(|&a, &b| c[a].total_cmp(&c[b]).then(a.cmp(&b)));
                let mut want = [(0u16, 0f32); TOP_FEATURES];
                for (slot, &i) in want.iter_mut().zip(&order) {
                    *slot = (i as u16, c[i]);
                }
                assert_eq!(most_negative(&c), want, "{c:?}");
            }
        }
    }

    fn tiny() -> Model {
        Model {
            format: FORMAT.into(),
            version: VERSION,
            trained: Provenance {
                cases: vec!["golden".into()],
                pages: 1,
                lines: 2,
                rules: 3,
                page_weight: 1.0,
            },
            features: features::names(),
            family: Family::Trees {
                params: TreeParams::default(),
                forest: Forest::new(
                    0.5,
                    vec![vec![
                        Node {
                            feature: 0,
                            threshold: 1.0,
                            left: 1,
                            right: 2,
                            value: 0.0,
                        },
                        Node {
                            feature: LEAF,
                            threshold: 0.0,
                            left: 0,
                            right: 0,
                            value: -1.0,
                        },
                        Node {
                            feature: LEAF,
                            threshold: 0.0,
                            left: 0,
                            right: 0,
                            value: 1.0,
                        },
                    ]],
                ),
            },
        }
    }

    #[test]
    fn a_model_reads_back_as_written() {
        let m = tiny();
        let text = m.to_json();
        assert_eq!(Model::parse("m.json", &text).unwrap(), m);
        let row = vec![2.0; features::count()];
        assert_eq!(m.score(&row), 1.5);
    }

    #[test]
    fn strict_reading_names_the_file_and_the_problem() {
        let text = tiny().to_json();
        let e = Model::parse(
            "m.json",
            &text.replace(&format!("\"version\":{VERSION}"), "\"version\":9"),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("m.json: model version 9"), "{e}");
        let e = Model::parse(
            "m.json",
            &text.replace("\"format\":", "\"extra\":1,\"format\":"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field `extra`"), "{e}");
        let e = Model::parse("m.json", &text.replace("\"chars_log\"", "\"chars\"")).unwrap_err();
        assert!(
            e.to_string().contains("first difference at feature 0"),
            "{e}"
        );
        let e = Model::parse("m.json", &text.replace("\"left\":1", "\"left\":0")).unwrap_err();
        assert!(e.to_string().contains("out of order"), "{e}");
        let e = Model::parse("m.json", "{").unwrap_err();
        assert!(e.to_string().starts_with("m.json: line 1"), "{e}");
    }
}
