//! `sapu check DIR [--bless]`: the golden workflow for users' CI.

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use sapu::CleanOptions;
use sapu::check::{Outcome, discover, run_case};

use super::messages;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs, Stdout};

#[derive(Args)]
pub struct CheckArgs {
    /// Folder of cases: each sub-folder holds input.txt and expected.txt.
    dir: PathBuf,
    /// Rewrite expected.txt from the current output (read the diff before committing).
    #[arg(long)]
    bless: bool,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    report: super::report::ReportArgs,
}

pub fn run(args: CheckArgs) -> i32 {
    if let Err(msg) = args.report.refuse_inputs(std::slice::from_ref(&args.dir)) {
        eprintln!("sapu: error: {msg}");
        return EXIT_USAGE;
    }
    let cases = match discover(&args.dir) {
        Ok(c) => c,
        Err(e) => {
            messages::error(e);
            return EXIT_USAGE;
        }
    };
    if cases.is_empty() {
        messages::error(format!(
            "{}: no cases (a case is a folder with input.txt and expected.txt)",
            args.dir.display()
        ));
        return EXIT_USAGE;
    }
    let Some(base) = args.rules.compile() else {
        return EXIT_USAGE;
    };
    let config = args.rules.config();
    let options = CleanOptions::default();
    let results: Vec<_> = cases
        .par_iter()
        .map(|case| run_case(case, &config, &base, &options, args.bless))
        .collect();
    let (mut passed, mut failed, mut blessed) = (0, 0, 0);
    let mut out = Stdout::new();
    let mut mismatched = Vec::new();
    for (case, result) in cases.iter().zip(results) {
        match result {
            Ok(Outcome::Pass) => passed += 1,
            Ok(Outcome::Blessed) => {
                blessed += 1;
                writeln!(out, "blessed {}", case.name);
            }
            Ok(Outcome::Mismatch(diff)) => {
                failed += 1;
                mismatched.push(case);
                writeln!(out, "FAIL {}\n{diff}", case.name);
            }
            Err(e) => {
                failed += 1;
                writeln!(out, "ERROR {}: {e}", case.name);
            }
        }
    }
    if args.bless {
        writeln!(
            out,
            "{}: {passed} unchanged, {blessed} blessed, {failed} errors",
            super::count(cases.len() as u64, "case", "cases")
        );
    } else {
        writeln!(
            out,
            "{}: {passed} passed, {failed} failed",
            super::count(cases.len() as u64, "case", "cases")
        );
    }
    if let Some(path) = &args.report.report
        && !super::report::write_check(
            path,
            &args.report,
            &args.dir,
            &mismatched,
            cases.len(),
            (&config, &base, &options),
        )
    {
        return out.finish(EXIT_FAILED);
    }
    out.finish(if failed == 0 { EXIT_OK } else { EXIT_FAILED })
}
