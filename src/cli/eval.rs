//! `sapu eval RAW EXPECT`: score the cleaner on pages with must-keep and
//! must-drop snippets.

use std::fs;
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use sapu::eval::{PageScore, load_set, score_page, summarize};
use sapu::input::read_document;
use sapu::output::text::render;
use sapu::{CleanOptions, Cleaner};

use super::count;

use super::messages;
use super::{EXIT_OK, EXIT_USAGE, RuleArgs, Stdout};

/// Snippets not in their raw page named on stderr; the rest are counted.
const NOT_IN_PAGE_SHOWN: usize = 20;

#[derive(Args)]
pub struct EvalArgs {
    /// Folder of pages as text: NAME.txt.
    raw: PathBuf,
    /// Folder of expectations: NAME.json with "with" and "without" snippets.
    expect: PathBuf,
    #[command(flatten)]
    rules: RuleArgs,
    /// Print a line per page, worst first, with the snippets it got wrong.
    #[arg(long)]
    per_page: bool,
    /// Write the summary and per-page scores as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Score the raw pages without cleaning (the "no cleaning" baseline).
    #[arg(long)]
    no_clean: bool,
}

pub fn run(args: EvalArgs) -> i32 {
    let set = match load_set(&args.raw, &args.expect) {
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
                    args.expect.join(format!("{}.json", p.name)).display()
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
    writeln!(
        out,
        "{}: with kept {:.3}, without removed {:.3}, harmonic mean {:.3} (per-page means {:.3} / {:.3})",
        count(summary.pages as u64, "page", "pages"),
        summary.with_kept,
        summary.without_removed,
        summary.harmonic_mean,
        summary.macro_with_kept,
        summary.macro_without_removed
    );
    if let Some(path) = &args.json {
        let value = serde_json::json!({ "summary": summary, "pages": scores });
        if let Err(e) = fs::write(path, serde_json::to_vec_pretty(&value).unwrap_or_default()) {
            messages::error(format!("{}: {e}", path.display()));
            return out.finish(EXIT_USAGE);
        }
    }
    out.finish(EXIT_OK)
}
