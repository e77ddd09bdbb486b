//! `sapu clean`: flags to a settled configuration ([`args`]), inputs to
//! outputs ([`plan`]), then the run ([`run`]: text documents streamed,
//! JSONL and Parquet shards on threads of their own, reports in input
//! order), with a progress line ([`progress`]) and a summary at the end
//! ([`summary`]). Every message goes through `cli::messages`, which also
//! decides the exit status.

mod args;
mod leftovers;
mod plan;
mod progress;
mod reports;
mod run;
mod summary;

use std::io;
use std::time::Instant;

pub use args::CleanArgs;
pub use plan::refuse_writing_into;

use sapu::input::write_atomic;

use crate::cli::count;
use crate::cli::messages::{self, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use progress::Progress;
use reports::ReportFile;
use run::Problem;

pub fn run(args: CleanArgs) -> i32 {
    let started = Instant::now();
    let config = match args.settle() {
        Ok(c) => c,
        Err(code) => return code,
    };
    if config.resume {
        leftovers::remove_stale_temporaries(&config);
    }
    let mut reports = run::Reports::default();
    for (path, what, out) in [
        (&config.explain, "explain", &mut reports.explain),
        (&config.rejects, "rejects", &mut reports.rejects),
    ] {
        if let Some(path) = path {
            match ReportFile::create(path, what) {
                Ok(f) => *out = Some(f),
                Err(msg) => {
                    messages::error(msg);
                    return EXIT_USAGE;
                }
            }
        }
    }
    let progress = Progress::new(config.quiet);
    let result = std::thread::scope(|scope| {
        if progress.is_shown() {
            // The inputs are counted beside the run, for the totals of the
            // progress line.
            scope.spawn(|| {
                let stop = || progress.is_finished();
                if let Some((files, bytes)) =
                    plan::count_inputs(&config.plan, &config.filter, config.format, stop)
                {
                    progress.set_total(files, bytes);
                }
            });
        }
        let result = run::execute(&config, reports, &progress);
        progress.finish();
        result
    });
    let (ran, reports) = match result {
        Ok(r) => r,
        // The reader of stdout went away: nothing more to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return EXIT_OK,
        Err(e) => {
            messages::error(e);
            return EXIT_FAILED;
        }
    };
    let mut stats = ran.stats;
    if let Some(problem) = summary::nothing_cleaned(&stats) {
        messages::error(problem);
    }
    // A report that would not cover every output is not put in place: the
    // file of an earlier run may cover them.
    let mut complete = true;
    let run::Reports { explain, rejects } = reports;
    for (report, path, missing) in [
        (explain, &config.explain, ran.uncovered.explain),
        (rejects, &config.rejects, ran.uncovered.rejects),
    ] {
        let (Some(mut report), Some(path)) = (report, path) else {
            continue;
        };
        if missing > 0 {
            warn_uncovered(path, missing);
            complete = false;
        } else {
            complete &= report.commit(&mut stats);
        }
    }
    // The statistics cover every output: this run's and, with --resume,
    // those of the outputs left alone.
    let mut whole = stats.clone();
    whole.merge(ran.earlier);
    if let Some(path) = &config.stats {
        if ran.uncovered.stats > 0 {
            warn_uncovered(path, ran.uncovered.stats);
            complete = false;
        } else {
            let mut json = serde_json::to_vec_pretty(&whole).unwrap_or_default();
            // A text file ends with a line end (on a shared stdout, what
            // follows starts a line of its own).
            json.push(b'\n');
            if let Err(e) = write_atomic(path, &json) {
                complete = false;
                let what = format!("statistics: {e}");
                Problem::Unwritable {
                    path: path.display().to_string(),
                    error: what,
                }
                .report(&mut stats);
            }
        }
    }
    if let (Some(path), Some(sample)) = (&config.report.report, ran.sample)
        && !super::report::write_clean(
            path,
            sample,
            &config.rules,
            &config.inputs,
            config.options.flag_removed,
            config.quiet,
        )
    {
        messages::set_failed();
        stats.problem("unwritable");
    }
    if config.parts().is_some() {
        if complete && !ran.stopped && !messages::failed() {
            leftovers::remove_parts(&config);
        } else if ran.parts > 0 && complete && !ran.stopped {
            messages::note(
                "the reports are complete; the report records of each output written are \
                 kept beside it (.NAME.sapu-part) until a run ends without an error, so that \
                 a run with --resume, once what failed is fixed, keeps the reports whole",
            );
        } else if ran.parts > 0 {
            messages::note(
                "the report records of each output written are kept beside it \
                 (.NAME.sapu-part) until a run completes: run again with --resume \
                 to finish the reports",
            );
        }
    }
    if !config.quiet {
        eprint!("{}", summary::summary(&stats, started.elapsed()));
    }
    messages::exit_code(whole.records_rejected > 0)
}

/// Says why a report was not put in place: outputs left alone (--resume)
/// without the part that holds their records.
fn warn_uncovered(path: &std::path::Path, missing: u64) {
    let state = if path.exists() {
        "left as it was"
    } else {
        "not written"
    };
    messages::warning(format!(
        "{}: {state}: it would not cover {} that existed already without their report \
         records beside them (written by a run that completed, or without this report); \
         remove those outputs and run again with --resume to clean them again",
        path.display(),
        count(missing, "output", "outputs")
    ));
}
