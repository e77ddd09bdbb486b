//! `--report FILE` and `--report-sample N`, shared by `clean`, `diff-rules`
//! and `check`: the flags, the refusal to write into an input, and writing
//! the page atomically. What the page holds is decided in
//! `sapu::output::report`.

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;

use sapu::check::{Case, own_rules};
use sapu::input::{AtomicFile, read_document};
use sapu::output::report::{
    self, DEFAULT_SAMPLE, HeldDoc, Page, PageDoc, ReportSample, RuleInfo, RuleTotals, golden_page,
};
use sapu::{CleanOptions, Cleaner, RuleConfig, RuleSet};

use super::clean::refuse_writing_into;
use super::messages;

#[derive(Args, Clone, Debug)]
pub struct ReportArgs {
    /// Write an HTML report to FILE: one self-contained page (no network)
    /// showing each document's lines, struck through and coloured by the
    /// rule that dropped them, with counts per rule and filters.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// How many documents the report shows: flagged documents and the
    /// first document of every rule that fired come first; the same names
    /// give the same sample for any -j.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLE)]
    pub report_sample: usize,
}

impl ReportArgs {
    /// The sample size when a report is asked for.
    pub fn size(&self) -> Option<usize> {
        self.report.as_ref().map(|_| self.report_sample)
    }

    /// Refuses a report path that is an input or lies inside one.
    pub fn refuse_inputs(&self, inputs: &[PathBuf]) -> Result<(), String> {
        let Some(report) = &self.report else {
            return Ok(());
        };
        refuse_writing_into(inputs, report, "--report")
    }
}

/// Writes `page` to `path` (atomically) and says so unless `quiet`.
/// Returns false, with the error printed, when it could not be written.
pub fn write(path: &Path, page: Page, quiet: bool) -> bool {
    let offered = page.totals.offered;
    let result = AtomicFile::create(path).and_then(|mut file| {
        let written = report::write_html(page, &mut file)?;
        file.commit()?;
        Ok(written)
    });
    match result {
        Ok(w) => {
            if !quiet {
                let omitted = if w.omitted > 0 {
                    format!(", {} more left out to stay under 20 MB", w.omitted)
                } else {
                    String::new()
                };
                messages::note(format!(
                    "report: {} ({} of {}{omitted}, {:.1} MB)",
                    path.display(),
                    w.shown,
                    super::count(offered, "document", "documents"),
                    w.bytes as f64 / 1e6
                ));
            }
            true
        }
        Err(e) => {
            messages::error(format!("{}: cannot write the report: {e}", path.display()));
            false
        }
    }
}

/// What the report calls a run of these inputs.
pub fn title_of(inputs: &[PathBuf]) -> String {
    inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the report of `sapu clean`.
pub fn write_clean(
    path: &Path,
    sample: ReportSample<HeldDoc>,
    rules: &RuleSet,
    inputs: &[PathBuf],
    flag_share: f64,
    quiet: bool,
) -> bool {
    let page = report::clean_page(sample, rules, title_of(inputs), flag_share);
    write(path, page, quiet)
}

/// Writes the report of `sapu check`: each failing case (by name) as the
/// page view, expected beside actual. `checked` is the number of cases run.
pub fn write_check(
    path: &Path,
    args: &ReportArgs,
    dir: &Path,
    failing: &[&Case],
    checked: usize,
    (config, base, options): (&RuleConfig, &RuleSet, &CleanOptions),
) -> bool {
    let mut sample: ReportSample<PageDoc> = ReportSample::new(args.report_sample);
    let mut infos: Vec<RuleInfo> = report::rule_infos(base);
    for case in failing {
        if let Err(e) = add_case(case, (config, base, options), &mut sample, &mut infos) {
            messages::warning(format!("{}: not in the report: {e}", case.name));
        }
    }
    let mut page = report::check_page(
        sample,
        infos,
        dir.display().to_string(),
        options.flag_removed,
    );
    page.totals.documents = checked as u64;
    write(path, page, false)
}

/// Adds the page of one golden case to `sample`, and its own rules to
/// `infos`.
fn add_case(
    case: &Case,
    (config, base, options): (&RuleConfig, &RuleSet, &CleanOptions),
    sample: &mut ReportSample<PageDoc>,
    infos: &mut Vec<RuleInfo>,
) -> Result<(), String> {
    let own = own_rules(case, config)?;
    let rules = own.as_ref().unwrap_or(base);
    let doc =
        read_document(&case.input()).map_err(|e| format!("{}: {e}", case.input().display()))?;
    let expected = fs::read_to_string(case.expected())
        .map_err(|e| format!("{}: {e}", case.expected().display()))?;
    let cleaned = Cleaner::new(rules, options.clone()).clean(&doc.text);
    let (page, touched) = golden_page(case.name.clone(), &cleaned, rules, &expected);
    for info in own.as_ref().map(report::rule_infos).unwrap_or_default() {
        if !infos.iter().any(|i| i.id == info.id) {
            infos.push(info);
        }
    }
    let touched: Vec<(&str, RuleTotals)> = touched
        .iter()
        .map(|(id, t)| (id.as_str(), t.clone()))
        .collect();
    sample.count(&page.facts);
    sample.offer(case.name.clone(), page.facts, &touched, page);
    Ok(())
}
