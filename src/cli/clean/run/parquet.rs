//! What is particular to a Parquet shard as a job of the runner: the file
//! opened (its footer, its text column) and its notices worded with the
//! flags that change them. The output, its part, `--resume` and the
//! report sample are the same as for a JSONL shard (see
//! [`super::clean_one_shard`]).

use std::io::{self, Write};
use std::path::Path;

use sapu::corpus::{self, ParquetInput, ParquetNotice, RecordError};

use super::{Job, Notices, Problem, ShardContext, bad_record_action};
use crate::cli::messages;

/// Opens the Parquet file of `job`; `Err` says why it cannot be cleaned
/// (not a file, not a readable Parquet file, no text column sapu can
/// clean).
pub(super) fn open(job: &Job, name: &str, ctx: ShardContext) -> Result<ParquetInput, Problem> {
    if job.src == Path::new("-") {
        return Err(Problem::Unreadable {
            path: name.to_string(),
            error: "Parquet is not read from stdin (its index is at the end of the file); \
                    give the file's path"
                .into(),
        });
    }
    let line = &ctx.settings.line;
    ParquetInput::open(&job.src, line.fields, line.wants.annotate).map_err(|error| {
        Problem::Parquet {
            path: name.to_string(),
            error,
        }
    })
}

/// Runs [`corpus::clean_parquet`] with the file's notices worded and
/// counted.
pub(super) fn run_parquet(
    input: &ParquetInput,
    name: &str,
    ctx: ShardContext,
    out: &mut dyn Write,
    explain: Option<&mut dyn Write>,
    rejects: Option<&mut dyn Write>,
) -> io::Result<corpus::Report> {
    let has_rejects = rejects.is_some();
    let mut notices = Notices::new(name);
    let mut notice = |n: ParquetNotice| {
        if !notices.show_next() {
            return;
        }
        let msg = notice_message(&n, name, ctx, has_rejects);
        match n {
            ParquetNotice::EmptyText { .. } => messages::warning(msg),
            ParquetNotice::Rejected { .. } => messages::bad_record(msg),
            ParquetNotice::Unreadable { .. } => messages::error(msg),
        }
    };
    let mut on_batch = |bytes, rows| ctx.progress.add(bytes, rows);
    let (mut explain, mut rejects) = (explain, rejects);
    let result = corpus::clean_parquet(
        input,
        name,
        ctx.settings,
        corpus::ParquetSinks {
            out,
            explain: explain.as_mut().map(|w| w as &mut dyn Write),
            rejects: rejects.as_mut().map(|w| w as &mut dyn Write),
            notice: &mut notice,
            progress: &mut on_batch,
        },
    );
    notices.end();
    result
}

/// The words of a Parquet shard's notice on the command line: the row
/// (and its id), what happened, its flags named.
fn notice_message(n: &ParquetNotice, name: &str, ctx: ShardContext, rejects: bool) -> String {
    let action = bad_record_action(ctx, rejects);
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
            ctx.settings.limits.max_record_bytes
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
