//! The `--report` printer: one self-contained HTML page that shows, per
//! document, the lines in order with what the rules did to each (struck
//! through and coloured by rule, with the rule's id, kind, reason and
//! score), a side panel of counts per rule, the share of characters removed
//! per document and the flagged documents, each a filter, and a search box.
//!
//! Three reports share the page view:
//!
//! - `sapu clean --report`: what the rules did ([`ReportSample::record`],
//!   [`clean_page`]);
//! - `sapu diff-rules --report`: the lines two rule sets decide otherwise
//!   ([`page::compare`], [`diff_page`]);
//! - `sapu check --report`: failing golden cases, expected beside actual
//!   ([`page::golden_page`], [`check_page`]).
//!
//! A run of any size gives a page of bounded size: the documents come from
//! a [`ReportSample`] (a deterministic sample that is the same for any
//! number of threads; see [`sample`]), and the writer shortens long
//! documents and keeps the file under 20 MB ([`html`]).

mod html;
pub mod page;
pub mod sample;

pub use html::{
    DATA_LIMIT, DOC_MAX_CHARS, Mode, Page, RuleInfo, Written, escape_html, rule_colour,
    script_safe_json, write_html,
};
pub use page::{Compared, Decision, DiffCounts, PageDoc, PageLine, compare, golden_page};
pub use sample::{Cutoffs, DocFacts, Pick, ReportSample, RuleTotals, Tiebreak, Totals, name_hash};

use crate::events::Cleaned;
use crate::rules::RuleSet;

/// The sample size when none is given.
pub const DEFAULT_SAMPLE: usize = 200;

/// Documents longer than this (bytes of normalized text) are shortened
/// when the sample takes them, so that what it holds stays small.
const HELD_BYTES: usize = 256 << 10;

/// A document the sample of `sapu clean` holds: as cleaned, to be drawn
/// when the report is written (taking it costs nothing), or already drawn
/// and shortened when it is long.
#[derive(Debug)]
pub enum HeldDoc {
    Cleaned(Cleaned),
    Page(PageDoc),
}

impl Tiebreak for HeldDoc {
    fn tiebreak(&self) -> &str {
        match self {
            HeldDoc::Cleaned(c) => &c.normalized,
            HeldDoc::Page(p) => p.tiebreak(),
        }
    }
}

/// Cutoffs for the samples of a `sapu clean` run with these rules.
pub fn cutoffs(size: usize, rules: &RuleSet) -> Cutoffs {
    Cutoffs::new(size, rules.rules.iter().map(|r| r.id.as_str()))
}

impl ReportSample<HeldDoc> {
    /// Counts and offers one document of `sapu clean`, under `name` (its
    /// path, or `FILE:ID` for a record), within cutoffs shared with the
    /// other samples of the run.
    pub fn record(
        &mut self,
        name: String,
        cleaned: Cleaned,
        rules: &RuleSet,
        cutoffs: Option<&Cutoffs>,
    ) {
        let facts = page::facts_of(&cleaned);
        self.count(&facts);
        let touched: Vec<(&str, RuleTotals)> = page::tally(&cleaned)
            .into_iter()
            .map(|(r, t)| (rules.rules[r as usize].id.as_str(), t))
            .collect();
        let doc = if cleaned.normalized.len() > HELD_BYTES {
            let mut p = page::page_of_cleaned(name.clone(), &cleaned, rules);
            p.elide(DOC_MAX_CHARS);
            HeldDoc::Page(p)
        } else {
            HeldDoc::Cleaned(cleaned)
        };
        self.offer_within(name, facts, &touched, doc, cutoffs);
    }
}

/// How the report describes the rules of a set.
pub fn rule_infos(rules: &RuleSet) -> Vec<RuleInfo> {
    rules
        .rules
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            kind: r.kind().name(),
            description: r.description.clone(),
        })
        .collect()
}

/// The pages of the chosen documents, each with why it was chosen.
fn chosen_pages<T>(
    chosen: Vec<sample::Chosen<T>>,
    mut to_page: impl FnMut(String, T) -> PageDoc,
) -> Vec<PageDoc> {
    chosen
        .into_iter()
        .map(|c| {
            let mut page = to_page(c.entry.name, c.entry.doc);
            page.picks = c.picks;
            page
        })
        .collect()
}

/// The report of a `sapu clean` run.
pub fn clean_page(
    sample: ReportSample<HeldDoc>,
    rules: &RuleSet,
    title: String,
    flag_share: f64,
) -> Page {
    let (totals, chosen) = sample.select();
    let docs = chosen_pages(chosen, |name, doc| match doc {
        HeldDoc::Cleaned(c) => page::page_of_cleaned(name, &c, rules),
        HeldDoc::Page(p) => p,
    });
    Page {
        mode: Mode::Clean,
        title,
        sides: None,
        totals,
        diff: None,
        flag_share,
        rules: rule_infos(rules),
        docs,
    }
}

/// The report of a comparison of two rule sets; `sides` say what they are
/// (old, new). `rules` describe the rules of both.
pub fn diff_page(
    sample: ReportSample<PageDoc>,
    counts: DiffCounts,
    rules: Vec<RuleInfo>,
    title: String,
    sides: (String, String),
    flag_share: f64,
) -> Page {
    let (totals, chosen) = sample.select();
    Page {
        mode: Mode::Diff,
        title,
        sides: Some(sides),
        totals,
        diff: Some(counts),
        flag_share,
        rules,
        docs: chosen_pages(chosen, |_, p| p),
    }
}

/// The report of the failing cases of a golden check.
pub fn check_page(
    sample: ReportSample<PageDoc>,
    rules: Vec<RuleInfo>,
    title: String,
    flag_share: f64,
) -> Page {
    let (totals, chosen) = sample.select();
    Page {
        mode: Mode::Check,
        title,
        sides: None,
        totals,
        diff: None,
        flag_share,
        rules,
        docs: chosen_pages(chosen, |_, p| p),
    }
}
