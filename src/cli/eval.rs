//! `sapu eval`: score the cleaner on pages with must-keep and must-drop
//! snippets (`sapu eval RAW EXPECT`), or line by line on labelled
//! golden-layout cases (`sapu eval CASES...`).

use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use sapu::check::discover;
use sapu::eval::lines::{CaseScore, LineReport, score_case};
use sapu::eval::{PageScore, load_set, score_page, summarize};
use sapu::input::{read_document, write_atomic};
use sapu::model::cases::{LabelledCase, load_cases, site_folds};
use sapu::model::file::Provenance;
use sapu::model::train::{case_views, train};
use std::sync::Arc;

use super::train::{ModelParams, rules_before_model};
use sapu::output::text::render;
use sapu::rules::RuleSet;
use sapu::{CleanOptions, Cleaner};

use super::count;

use super::messages;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs, Stdout};

/// Snippets not in their raw page named on stderr; the rest are counted.
const NOT_IN_PAGE_SHOWN: usize = 20;

#[derive(Args)]
#[command(
    after_help = "Two layouts: `sapu eval RAW EXPECT` scores pages RAW/NAME.txt against the \
    snippets of EXPECT/NAME.json; `sapu eval CASES...` scores folders of golden cases \
    (CASE/input.txt with CASE/expected.txt, or meta.json's content_lines) line by line: \
    content lines kept and boilerplate lines removed, per dataset, page type and language \
    when meta.json names them, and every rule's drops with the share that was boilerplate."
)]
pub struct EvalArgs {
    /// RAW EXPECT (snippet pages), or one or more folders of golden cases.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Cases: list every rule's drops and their share of boilerplate, not
    /// only the rules below 0.97.
    #[arg(long)]
    all_rules: bool,
    /// Print a line per page, worst first, with the snippets (or lines) it
    /// got wrong.
    #[arg(long)]
    per_page: bool,
    /// Write the summary and per-page scores as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Score the raw pages without cleaning (the "no cleaning" baseline).
    #[arg(long)]
    no_clean: bool,
    /// Cases: site-disjoint K-fold cross-validation of the line model. The
    /// sites (meta.json's host, else the URL's) are dealt into K folds; for
    /// each fold a model is trained on the others (as `sapu train` does,
    /// with the settings below) and the fold is cleaned with it. A site's
    /// pages are never on both sides.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=100))]
    folds: Option<u64>,
    /// With --folds: also score these thresholds of the model rule (a
    /// comma-separated list), each as a table of its own, from the same
    /// fold models.
    #[arg(long, value_name = "T,T,...", value_delimiter = ',', value_parser = probability, requires = "folds")]
    thresholds: Vec<f32>,
    #[command(flatten)]
    params: ModelParams,
}

pub fn run(args: EvalArgs) -> i32 {
    if let Some(json) = &args.json
        && let Err(e) = super::clean::refuse_writing_into(&args.paths, json, "--json")
    {
        messages::error(e);
        return EXIT_USAGE;
    }
    let cases_given = args
        .paths
        .iter()
        .all(|p| discover(p).is_ok_and(|c| !c.is_empty()));
    if cases_given {
        return run_cases(&args);
    }
    let [raw, expect] = args.paths.as_slice() else {
        messages::error(format!(
            "{}: not folders of golden cases (CASE/input.txt); for snippet pages give RAW EXPECT",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return EXIT_USAGE;
    };
    run_snippets(&args, raw, expect)
}

/// A threshold of the model rule: as a rule file takes it.
fn probability(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a probability between 0 and 1 (both excluded)"
        )),
    }
}

fn run_snippets(args: &EvalArgs, raw: &Path, expect: &Path) -> i32 {
    // What only golden cases have: a flag for them is a mistake here, not
    // something to pass over.
    for (given, flag) in [
        (args.folds.is_some(), "--folds"),
        (args.all_rules, "--all-rules"),
    ] {
        if given {
            messages::error(format!(
                "{flag} scores folders of golden cases (CASE/input.txt); {} and {} are snippet pages",
                raw.display(),
                expect.display()
            ));
            return EXIT_USAGE;
        }
    }
    let set = match load_set(raw, expect) {
        Ok(p) => p,
        Err(e) => {
            messages::error(e);
            return EXIT_USAGE;
        }
    };
    for (files, partner) in [
        (
            &set.without_expectation,
            "no expectation (EXPECT/NAME.json)",
        ),
        (&set.without_page, "no page (RAW/NAME.txt)"),
    ] {
        if !files.is_empty() {
            let shown: Vec<String> = files
                .iter()
                .take(5)
                .map(|p| p.display().to_string())
                .collect();
            messages::warning(format!(
                "{} with {partner}, not scored: {}{}",
                count(files.len() as u64, "file", "files"),
                shown.join(", "),
                if files.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ));
        }
    }
    // A page whose expectation cannot be read is named and not scored;
    // the others are, and the exit code says an input was unusable.
    for problem in &set.broken {
        messages::error(format!("{problem}; its page is not scored"));
    }
    let unusable = !set.broken.is_empty();
    let pages = set.pages;
    let Some(rules) = args.rules.compile() else {
        return EXIT_USAGE;
    };
    let cleaner = Cleaner::new(&rules, CleanOptions::default());
    let scores: Result<Vec<PageScore>, String> = pages
        .par_iter()
        .map(|(name, path, exp)| {
            let doc = read_document(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let text = if args.no_clean {
                doc.text.clone()
            } else {
                render(&cleaner.clean(&doc.text))
            };
            Ok(score_page(name, &doc.text, &text, exp))
        })
        .collect();
    let scores = match scores {
        Ok(s) => s,
        Err(e) => {
            messages::error(e);
            return EXIT_USAGE;
        }
    };
    let mut not_in_page = 0;
    for p in &scores {
        for snippet in &p.not_in_page {
            not_in_page += 1;
            if not_in_page <= NOT_IN_PAGE_SHOWN {
                messages::warning(format!(
                    "{}: snippet not in the raw page, not scored: {snippet:?}",
                    expect.join(format!("{}.json", p.name)).display()
                ));
            }
        }
    }
    if not_in_page > NOT_IN_PAGE_SHOWN {
        messages::warning(format!(
            "{} more snippets not in their raw page, not scored (--json lists them all)",
            not_in_page - NOT_IN_PAGE_SHOWN
        ));
    }
    let summary = summarize(&scores);
    let mut out = Stdout::new();
    if args.per_page {
        let mut sorted: Vec<&PageScore> = scores.iter().collect();
        let bad = |p: &PageScore| p.lost.len() * 3 + p.left.len();
        sorted.sort_by(|a, b| bad(b).cmp(&bad(a)).then(a.name.cmp(&b.name)));
        for p in sorted
            .iter()
            .filter(|p| !p.lost.is_empty() || !p.left.is_empty() || !p.not_in_page.is_empty())
        {
            writeln!(
                out,
                "{}  with {}/{}  without {}/{}",
                p.name, p.with_kept, p.with_total, p.without_removed, p.without_total
            );
            for s in &p.lost {
                writeln!(out, "    LOST {s:?}");
            }
            for s in &p.left {
                writeln!(out, "    LEFT {s:?}");
            }
            for s in &p.not_in_page {
                writeln!(out, "    NOT IN PAGE {s:?}");
            }
        }
    }
    // A share of no snippet is not a perfect one.
    let shown = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
    writeln!(
        out,
        "{}: with kept {}, without removed {}, harmonic mean {} (per-page means {} / {})",
        count(summary.pages as u64, "page", "pages"),
        shown(summary.with_kept),
        shown(summary.without_removed),
        shown(summary.harmonic_mean),
        shown(summary.macro_with_kept),
        shown(summary.macro_without_removed)
    );
    if summary.with_kept.is_none() && summary.without_removed.is_none() {
        messages::warning(
            "no snippet of the expectations is on its page: nothing was scored (a snippet is matched as written, after normalization)",
        );
    }
    let code = write_json(
        args.json.as_deref(),
        serde_json::json!({ "summary": summary, "pages": scores }),
    );
    out.finish(if unusable { EXIT_FAILED } else { code })
}

/// Writes the `--json` report, if asked for; the exit code of a run that
/// got this far.
fn write_json(path: Option<&Path>, value: serde_json::Value) -> i32 {
    let Some(path) = path else {
        return EXIT_OK;
    };
    let mut json = serde_json::to_vec_pretty(&value).unwrap_or_default();
    json.push(b'\n');
    match write_atomic(path, &json) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            messages::error(format!("{}: cannot write: {e}", path.display()));
            EXIT_FAILED
        }
    }
}

/// Rules whose drops are boilerplate less often than this are listed.
const RULE_PRECISION: f64 = 0.97;

fn run_cases(args: &EvalArgs) -> i32 {
    let cases = match load_cases(&args.paths) {
        Ok(c) => c,
        Err(e) => {
            messages::error(e);
            return EXIT_USAGE;
        }
    };
    super::train::warn_unmatched(&cases);
    let mut curves = Vec::new();
    let scores = match args.folds {
        Some(k) => match cross_validate(args, &cases, k as usize) {
            Some((s, c)) => {
                curves = c;
                s
            }
            None => return EXIT_USAGE,
        },
        None => {
            let Some(rules) = args.rules.compile() else {
                return EXIT_USAGE;
            };
            let cleaner = Cleaner::new(&rules, CleanOptions::default());
            cases
                .par_iter()
                .map(|case| {
                    let cleaned = if args.no_clean {
                        cleaner_without_rules(&case.text)
                    } else {
                        cleaner.clean(&case.text)
                    };
                    score_case(case, &cleaned, &rules)
                })
                .collect()
        }
    };
    let mut report = LineReport::default();
    for (case, score) in cases.iter().zip(&scores) {
        report.add(case, score);
    }
    let mut out = Stdout::new();
    if args.per_page {
        let mut sorted: Vec<&CaseScore> = scores.iter().collect();
        let bad = |s: &CaseScore| 3 * s.lost.len() + s.left.len();
        sorted.sort_by(|a, b| bad(b).cmp(&bad(a)).then(a.name.cmp(&b.name)));
        for s in sorted.iter().filter(|s| bad(s) > 0) {
            let c = &s.counts;
            writeln!(
                out,
                "{}  content {}/{}  boilerplate {}/{}",
                s.name, c.content_kept, c.content, c.boilerplate_removed, c.boilerplate
            );
            for (line, rule, text) in &s.lost {
                writeln!(out, "    LOST {line} {rule} {text:?}");
            }
            for (line, text) in &s.left {
                writeln!(out, "    LEFT {line} {text:?}");
            }
        }
    }
    writeln!(
        out,
        "| group | pages | content kept | boilerplate removed |\n|---|---:|---:|---:|"
    );
    for (group, c) in &report.groups {
        writeln!(
            out,
            "| {group} | {} | {:.3} | {:.3} |",
            c.pages,
            c.kept(),
            c.removed()
        );
    }
    for (t, curve) in args.thresholds.iter().zip(&curves) {
        writeln!(
            out,
            "\nthreshold {t}:\n| group | pages | content kept | boilerplate removed |\n|---|---:|---:|---:|"
        );
        for (group, c) in &curve.groups {
            writeln!(
                out,
                "| {group} | {} | {:.3} | {:.3} |",
                c.pages,
                c.kept(),
                c.removed()
            );
        }
    }
    let mut by_drops: Vec<_> = report
        .rules
        .iter()
        .filter(|(_, r)| args.all_rules || r.precision() < RULE_PRECISION)
        .collect();
    by_drops.sort_by(|a, b| b.1.dropped.cmp(&a.1.dropped).then(a.0.cmp(b.0)));
    if !by_drops.is_empty() {
        writeln!(
            out,
            "\n| rule | lines dropped | share boilerplate |\n|---|---:|---:|"
        );
        for (id, r) in by_drops {
            writeln!(out, "| {id} | {} | {:.3} |", r.dropped, r.precision());
        }
    }
    let code = write_json(
        args.json.as_deref(),
        serde_json::json!({ "report": report, "pages": scores }),
    );
    out.finish(code)
}

/// The held-out scores of a site-disjoint `k`-fold cross-validation: each
/// fold cleaned with a model trained on the other folds.
fn cross_validate(
    args: &EvalArgs,
    cases: &[LabelledCase],
    k: usize,
) -> Option<(Vec<CaseScore>, Vec<LineReport>)> {
    // Every fold needs a site of its own, and the others' pages to train
    // on: an empty fold trains a model on fewer sites than it says, and
    // with one site, a model on nothing.
    let sites = cases
        .iter()
        .map(LabelledCase::site)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if sites < k {
        messages::error(format!(
            "--folds {k}: the cases come from {sites} site(s) (meta.json's host, else the URL's, else the case's name), and a site's pages stay in one fold; give --folds {} or fewer, or more sites",
            sites.max(2)
        ));
        return None;
    }
    if let Some(model) = &args.rules.model {
        messages::error(format!(
            "--model {}: --folds trains a model for each fold and uses no other; leave out --model, or --folds to score with it",
            model.display()
        ));
        return None;
    }
    let config = args.rules.config();
    let mut curves = vec![LineReport::default(); args.thresholds.len()];
    let before = rules_before_model(&args.rules)?;
    let views = case_views(cases, &before);
    let training = args.params.training(&before);
    let fold_of = site_folds(cases, k);
    let mut scores: Vec<Option<CaseScore>> = vec![None; cases.len()];
    for fold in 0..k {
        let fold_views: Vec<_> = (0..cases.len())
            .filter(|&c| fold_of[c] != fold)
            .map(|c| views[c].clone())
            .collect();
        let provenance = Provenance {
            cases: vec![format!("fold {fold} of {k} left out")],
            pages: fold_views.len(),
            lines: fold_views.iter().map(|v| v.labels.len()).sum(),
            rules: before.rules.len(),
            page_weight: 0.0,
        };
        let model = Arc::new(train(&fold_views, &training, provenance));
        let rules = match config.compile_with_model(model.clone()) {
            Ok(r) => r,
            Err(errors) => {
                for e in &errors.0 {
                    messages::error(e);
                }
                return None;
            }
        };
        if rules.model.is_none() {
            messages::error(
                "--folds evaluates the line model, and no rule uses it (add a rule with detector = \"model\")",
            );
            return None;
        }
        // The fold's cases cleaned and scored with `rules`.
        let held_out = |rules: &RuleSet| -> Vec<(usize, CaseScore)> {
            let cleaner = Cleaner::new(rules, CleanOptions::default());
            (0..cases.len())
                .into_par_iter()
                .filter(|&c| fold_of[c] == fold)
                .map(|c| {
                    (
                        c,
                        score_case(&cases[c], &cleaner.clean(&cases[c].text), rules),
                    )
                })
                .collect()
        };
        for (c, s) in held_out(&rules) {
            scores[c] = Some(s);
        }
        for (t, curve) in args.thresholds.iter().zip(curves.iter_mut()) {
            // Compiled as above, which went well.
            let Ok(mut at) = config.compile_with_model(model.clone()) else {
                continue;
            };
            at.set_model_threshold(*t);
            for (c, s) in held_out(&at) {
                curve.add(&cases[c], &s);
            }
        }
    }
    Some((scores.into_iter().flatten().collect(), curves))
}

/// Every line kept: the "no cleaning" baseline of a case.
fn cleaner_without_rules(text: &str) -> sapu::Cleaned {
    static NONE: std::sync::OnceLock<sapu::RuleSet> = std::sync::OnceLock::new();
    let rules = NONE.get_or_init(|| {
        sapu::rules::compile_sources(false, &[], Default::default())
            .expect("an empty rule set compiles")
    });
    Cleaner::new(rules, CleanOptions::default()).clean(text)
}
