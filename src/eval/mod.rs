//! Measuring a cleaning setup: on pages with must-keep and must-drop
//! snippets ([`snippets`], the layout of `../shared/eval/dev`), and line by
//! line on labelled golden-layout cases ([`lines`]: content lines kept,
//! boilerplate lines removed, per dataset, page type and language, and per
//! rule the share of its drops that were boilerplate).

pub mod lines;
pub mod snippets;

pub use snippets::{Expectation, PageScore, Summary, harmonic, load_set, score_page, summarize};
