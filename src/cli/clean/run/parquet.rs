//! A Parquet shard as a job of the runner, beside [`super::clean_jsonl`]:
//! the file opened (its footer, its text column), the output written
//! atomically, problems worded with the flags that change them and
//! reported through `cli::messages`.

use std::io::{self, Write};
use std::path::Path;

use sapu::corpus::parquet::OpenError;
use sapu::corpus::{self, OnError, ParquetInput, ParquetNotice, RecordError};
use sapu::input::AtomicFile;

use super::{Dest, Job, NOTICES_PER_SHARD, Problem, ShardContext, ShardOutcome, display_name};
use crate::cli::messages;

/// Cleans one Parquet file into its output file (or `stdout` when the job
/// says so). A file that cannot be opened, or has no text column sapu can
/// clean, is reported and nothing is written; problems with rows are
/// reported and counted in the outcome. The error is for writing stdout,
/// which ends the run.
pub(super) fn clean_parquet(
    job: &Job,
    ctx: ShardContext,
    stdout: Option<&mut dyn Write>,
    explain: Option<&mut dyn Write>,
    rejects: Option<&mut dyn Write>,
) -> io::Result<ShardOutcome> {
    let mut outcome = ShardOutcome::default();
    let name = display_name(&job.src);
    if job.src == Path::new("-") {
        outcome.stats.problem("unreadable");
        messages::error(format!(
            "{name}: Parquet is not read from stdin (its index is at the end of the file); give the file's path"
        ));
        return Ok(outcome);
    }
    let line = &ctx.settings.line;
    let input = match ParquetInput::open(&job.src, line.fields, line.wants.annotate) {
        Ok(input) => input,
        Err(e) => {
            outcome.stats.problem(e.kind());
            let hint = match e {
                OpenError::Schema(_) => "; choose the text column with --text-field",
                _ => "",
            };
            messages::error(format!("{name}: {e}{hint}; not cleaned"));
            return Ok(outcome);
        }
    };
    let mut file_out = match &job.dest {
        Dest::Stdout => None,
        Dest::File(path) => match AtomicFile::create(path) {
            Ok(f) => Some(f),
            Err(e) => {
                Problem::unwritable(path, e).report(&mut outcome.stats);
                return Ok(outcome);
            }
        },
    };
    let mut stdout = stdout;
    let out: &mut dyn Write = match (file_out.as_mut(), stdout.as_mut()) {
        (Some(f), _) => f,
        (None, Some(w)) => w,
        (None, None) => return Err(io::Error::other("a shard for stdout needs stdout")),
    };
    let has_rejects = rejects.is_some();
    let (mut explain, mut rejects) = (explain, rejects);
    let (mut shown, mut hidden) = (0u64, 0u64);
    let mut notice = |n: ParquetNotice| {
        if shown >= NOTICES_PER_SHARD {
            hidden += 1;
            return;
        }
        shown += 1;
        let msg = notice_message(&n, &name, ctx, has_rejects);
        match n {
            ParquetNotice::EmptyText { .. } => messages::warning(msg),
            ParquetNotice::Rejected { .. } => messages::bad_record(msg),
            ParquetNotice::Unreadable { .. } => messages::error(msg),
        }
    };
    let mut on_batch = |bytes, rows| ctx.progress.add(bytes, rows);
    let result = corpus::clean_parquet(
        &input,
        &name,
        ctx.settings,
        corpus::ParquetSinks {
            out,
            explain: explain.as_mut().map(|w| w as &mut dyn Write),
            rejects: rejects.as_mut().map(|w| w as &mut dyn Write),
            notice: &mut notice,
            progress: &mut on_batch,
        },
    );
    if hidden > 0 {
        messages::note(format!(
            "{name}: {hidden} more problems not shown (counted in the summary and --stats)"
        ));
    }
    let report = match result {
        Ok(r) => r,
        Err(e) if matches!(job.dest, Dest::Stdout) && e.kind() == io::ErrorKind::BrokenPipe => {
            return Err(e);
        }
        Err(e) => {
            let dest = match &job.dest {
                Dest::File(p) => p.display().to_string(),
                Dest::Stdout => "<stdout>".into(),
            };
            Problem::ShardUnwritable {
                src: name,
                dest,
                error: e.to_string(),
            }
            .report(&mut outcome.stats);
            // Dropping the unfinished output removes its temporary file.
            return Ok(outcome);
        }
    };
    if report.read_failed {
        messages::set_failed();
    }
    outcome.stopped |= report.stopped;
    outcome.stats.merge(report.stats);
    outcome.sample = report.sample;
    if let (Some(f), Dest::File(path)) = (file_out, &job.dest) {
        if report.stopped {
            messages::note(format!(
                "{}: not written (stopped at a bad record)",
                path.display()
            ));
            return Ok(outcome);
        }
        if let Err(e) = f.commit() {
            Problem::unwritable(path, e).report(&mut outcome.stats);
        }
    }
    Ok(outcome)
}

/// The words of a Parquet shard's notice on the command line: the row
/// (and its id), what happened, its flags named.
fn notice_message(n: &ParquetNotice, name: &str, ctx: ShardContext, rejects: bool) -> String {
    let settings = ctx.settings;
    let action = if settings.on_error == OnError::Fail {
        "stopping (--on-error fail)"
    } else if rejects {
        "skipped, copied to the rejects file"
    } else {
        "skipped"
    };
    let at = |row: &u64, id: &Option<String>| match id {
        Some(id) => format!("{name}: row {row} (id {id})"),
        None => format!("{name}: row {row}"),
    };
    match n {
        ParquetNotice::EmptyText { row, id } => format!(
            "{}: empty \"{}\"; passed through unchanged",
            at(row, id),
            ctx.text_field
        ),
        ParquetNotice::Rejected {
            row,
            id,
            error: RecordError::TooLarge(bytes),
        } => format!(
            "{}: a text of {bytes} bytes, over --max-record-bytes ({} bytes); {action}",
            at(row, id),
            settings.limits.max_record_bytes
        ),
        ParquetNotice::Rejected { row, id, error } => format!("{}: {error}; {action}", at(row, id)),
        ParquetNotice::Unreadable {
            row_group,
            row,
            error,
        } => format!(
            "{name}: row group {row_group}: cannot read past row {row}: {error}; the {row} rows before it were written (is the file truncated or corrupt?)"
        ),
    }
}
