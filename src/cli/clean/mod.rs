//! `sapu clean`: flags to a settled configuration ([`args`]), inputs to
//! outputs ([`plan`]), then the run ([`run`]: text documents in chunks,
//! JSONL shards on threads of their own, reports in input order), with a
//! progress line ([`progress`]) and a summary at the end ([`summary`]).
//! Every message goes through `cli::messages`, which also decides the exit
//! status.

mod args;
mod plan;
mod progress;
mod run;
mod summary;

use std::io;
use std::time::Instant;

pub use args::CleanArgs;

use sapu::input::write_atomic;

use crate::cli::messages::{self, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use progress::Progress;
use run::Problem;

pub fn run(args: CleanArgs) -> i32 {
    let started = Instant::now();
    let config = match args.settle() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut reports = run::Reports::default();
    for (path, what, out) in [
        (&config.explain, "explain", &mut reports.explain),
        (&config.rejects, "rejects", &mut reports.rejects),
    ] {
        if let Some(path) = path {
            match run::ReportFile::create(path, what) {
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
                if let Some((files, bytes)) = plan::count_inputs(&config.plan, &config.filter, stop)
                {
                    progress.set_total(files, bytes);
                }
            });
        }
        let result = run::execute(&config, reports, &progress);
        progress.finish();
        result
    });
    let mut stats = match result {
        Ok(stats) => stats,
        // The reader of stdout went away: nothing more to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return EXIT_OK,
        Err(e) => {
            messages::error(e);
            return EXIT_FAILED;
        }
    };
    if let Some(problem) = summary::nothing_cleaned(&stats) {
        messages::error(problem);
    }
    if let Some(path) = &config.stats {
        let json = serde_json::to_vec_pretty(&stats).unwrap_or_default();
        if let Err(e) = write_atomic(path, &json) {
            let what = format!("statistics: {e}");
            Problem::Unwritable {
                path: path.display().to_string(),
                error: what,
            }
            .report(&mut stats);
        }
    }
    if !config.quiet {
        eprint!("{}", summary::summary(&stats, started.elapsed()));
    }
    messages::exit_code(stats.records_rejected > 0)
}
