//! One JSONL shard through the pipeline: a reader thread splits the
//! (decompressed) stream into bounded batches of lines and hands each to
//! the rayon pool as a task of its own, and the calling thread writes the
//! results in input order. A fixed number of pieces is in flight, so memory
//! is bounded by the batch size, whatever the shard size.

use std::any::Any;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use super::lines::{Batch, Limits, Piece, read_lines};
use super::record::{LineOutcome, LineSettings, RecordError, clean_line};
use crate::output::report::{Cutoffs, HeldDoc, ReportSample};
use crate::output::{explain, stats::Stats};

/// What to do with a line that is not a record sapu can clean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Report it, copy it to the rejects file, go on.
    Skip,
    /// Report it and stop the shard at once.
    Fail,
}

/// How records are cleaned and written.
pub struct Settings<'a> {
    pub line: LineSettings<'a>,
    /// Sample documents for `--report`, within these cutoffs (shared by
    /// the run's samples).
    pub report: Option<&'a Cutoffs>,
    pub on_error: OnError,
    pub limits: Limits,
}

/// A problem with one line of the shard, in input order. The caller words
/// it (naming its own flags, say) and decides what to print.
#[derive(Debug)]
pub struct Notice {
    /// 1-based line of the shard.
    pub line: u64,
    /// The record's id, when it has one.
    pub id: Option<String>,
    pub kind: NoticeKind,
}

#[derive(Debug)]
pub enum NoticeKind {
    /// A record with a blank text: passed through unchanged.
    EmptyText,
    /// Not a record sapu can clean: skipped (and copied to the rejects
    /// sink, when there is one), or, with [`OnError::Fail`], where the
    /// shard stopped.
    Rejected(RecordError),
    /// Reading failed after the last complete line; `partial` bytes of
    /// the next line were lost. The records before it were written.
    Unreadable { partial: u64, error: String },
}

/// Where a shard's results go.
pub struct Sinks<'a> {
    pub out: &'a mut dyn Write,
    pub explain: Option<&'a mut dyn Write>,
    /// Skipped lines, verbatim, one per line.
    pub rejects: Option<&'a mut dyn Write>,
    pub notice: &'a mut dyn FnMut(Notice),
    /// Called after each batch with its input bytes and lines.
    pub progress: &'a mut dyn FnMut(u64, u64),
}

/// What happened to a shard.
#[derive(Debug, Default)]
pub struct Report {
    pub stats: Stats,
    /// Lines skipped as bad records.
    pub rejected: u64,
    /// Stopped at a bad record (`OnError::Fail`).
    pub stopped: bool,
    /// Reading failed part-way (a truncated or corrupt stream); what came
    /// before was written.
    pub read_failed: bool,
    /// The `--report` sample of the shard's records.
    pub sample: Option<ReportSample<HeldDoc>>,
}

/// A line that is not cleaned into the output, in input order within
/// its batch.
enum Event {
    /// A record with an empty text: passed through unchanged.
    EmptyText {
        id: Option<String>,
    },
    /// A line of only spaces: not a record; left out.
    Blank,
    Rejected(RecordError),
}

/// What cleaning one batch produced: the output and `--explain` records
/// of its lines, one after the other, their statistics, and the lines
/// that were not cleaned. With `OnError::Fail` it ends at the first
/// rejected line.
#[derive(Default)]
struct BatchOut {
    out: Vec<u8>,
    explain: Vec<u8>,
    stats: Stats,
    events: Vec<(usize, Event)>,
    report: Option<ReportSample<HeldDoc>>,
}

/// A piece after the cleaning stage.
enum Staged {
    Cleaned(Batch, Box<BatchOut>),
    Passed(Piece),
    /// Cleaning the batch panicked.
    Panicked(Box<dyn Any + Send>),
}

/// Cleans the records of `input` into `sinks`. `name` names the shard in
/// `--explain` (`NAME:ID`, or `NAME:LINE` for records without an id).
/// Errors are failures to write.
///
/// A reader thread splits the input into batches and hands each to the
/// rayon pool as a task of its own: a worker cleans a whole batch, one
/// record after another, into one output buffer. Up to
/// [`Limits::in_flight`] pieces are between the reader and the writer (the
/// calling thread), which puts them back in input order. No stage waits
/// for a batch to be finished by all workers, so the workers stay busy
/// while a slow document is cleaned, and memory stays bounded by the
/// pieces in flight.
pub fn clean_shard(
    input: Box<dyn BufRead + Send>,
    name: &str,
    settings: &Settings,
    sinks: Sinks,
) -> io::Result<Report> {
    let limits = settings.limits;
    let in_flight = limits.in_flight.max(1);
    let (done_tx, done_rx) = channel::<(u64, Staged)>();
    // A permit per piece in flight: taken by the reader before it passes a
    // piece on, given back by the writer once the piece is written. When
    // the writer stops, the permits go with it and the reader stops too.
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = permit_tx.send(());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            rayon::in_place_scope(|tasks| {
                let mut seq = 0u64;
                read_lines(input, limits, |piece| {
                    if permit_rx.recv().is_err() {
                        return false;
                    }
                    let n = seq;
                    seq += 1;
                    match piece {
                        Piece::Batch(batch) => {
                            let done = done_tx.clone();
                            tasks.spawn(move |_| {
                                // A panic goes to the writer, which raises
                                // it: left in the task, it would leave the
                                // writer waiting for this batch for ever.
                                let item = match panic::catch_unwind(AssertUnwindSafe(|| {
                                    clean_batch(&batch, name, settings)
                                })) {
                                    Ok(out) => Staged::Cleaned(batch, Box::new(out)),
                                    Err(payload) => Staged::Panicked(payload),
                                };
                                let _ = done.send((n, item));
                            });
                            true
                        }
                        other => done_tx.send((n, Staged::Passed(other))).is_ok(),
                    }
                });
            });
        });
        write_stage(done_rx, permit_tx, settings, sinks)
    })
}

/// Cleans the lines of `batch` one after the other.
fn clean_batch(batch: &Batch, name: &str, settings: &Settings) -> BatchOut {
    let mut acc = BatchOut {
        out: Vec::with_capacity(batch.bytes() + batch.len() * 64),
        report: settings.report.map(|c| ReportSample::new(c.size())),
        ..BatchOut::default()
    };
    for (i, line) in batch.lines().enumerate() {
        let line_no = batch.first_line + i as u64;
        if let Some(event) = batch_line(line, line_no, name, settings, &mut acc) {
            let stop = matches!(event, Event::Rejected(_)) && settings.on_error == OnError::Fail;
            acc.events.push((i, event));
            if stop {
                break;
            }
        }
    }
    acc
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Cleans one line of a batch into `acc`; a line that is not cleaned is
/// returned as an event for the writer.
fn batch_line(
    line: &[u8],
    line_no: u64,
    name: &str,
    settings: &Settings,
    acc: &mut BatchOut,
) -> Option<Event> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Some(Event::Blank);
    }
    // A byte order mark before the first record is kept, not parsed.
    let (bom, line) = match line.strip_prefix(UTF8_BOM) {
        Some(rest) if line_no == 1 => (UTF8_BOM, rest),
        _ => (&[][..], line),
    };
    let explain_name = |r: &super::Record| record_name(name, r.id.as_deref(), line_no);
    match clean_line(
        &settings.line,
        bom,
        line,
        &explain_name,
        &mut acc.stats,
        &mut acc.out,
    ) {
        LineOutcome::Cleaned {
            explain: records,
            cleaned,
            id,
        } => {
            explain::write_values(&records, &mut acc.explain);
            if let (Some(sample), Some(cleaned)) = (acc.report.as_mut(), cleaned) {
                let name = record_name(name, id.as_deref(), line_no);
                let rules = settings.line.cleaner.rules();
                sample.record(name, cleaned, rules, settings.report);
            }
            None
        }
        LineOutcome::EmptyText { id } => Some(Event::EmptyText { id }),
        LineOutcome::Rejected(e) => Some(Event::Rejected(e)),
    }
}

/// A record as `--explain` and `--report` name it: `NAME:ID`, or
/// `NAME:LINE` when it has no id.
fn record_name(name: &str, id: Option<&str>, line_no: u64) -> String {
    match id {
        Some(id) => format!("{name}:{id}"),
        None => format!("{name}:{line_no}"),
    }
}

/// Pieces that arrived before the ones ahead of them, by number.
pub(super) struct Reorder<T> {
    next: u64,
    waiting: BTreeMap<u64, T>,
}

impl<T> Reorder<T> {
    pub(super) fn new() -> Reorder<T> {
        Reorder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }

    /// The pieces that can be written now, in order, after `item`
    /// arrived as piece `n`.
    pub(super) fn push(&mut self, n: u64, item: T) -> impl Iterator<Item = T> + '_ {
        self.waiting.insert(n, item);
        std::iter::from_fn(move || {
            let item = self.waiting.remove(&self.next)?;
            self.next += 1;
            Some(item)
        })
    }
}

fn write_stage(
    staged: Receiver<(u64, Staged)>,
    permits: SyncSender<()>,
    settings: &Settings,
    sinks: Sinks,
) -> io::Result<Report> {
    let Sinks {
        out,
        mut explain,
        mut rejects,
        notice,
        progress,
    } = sinks;
    let mut report = Report {
        sample: settings.report.map(|c| ReportSample::new(c.size())),
        ..Report::default()
    };
    let fail = settings.on_error == OnError::Fail;
    let mut oversize_bytes: u64 = 0;
    let mut reorder = Reorder::new();
    for (n, arrived) in staged {
        for item in reorder.push(n, arrived) {
            // Never blocks: at most as many permits are out as the channel
            // holds.
            let _ = permits.try_send(());
            match item {
                Staged::Panicked(payload) => panic::resume_unwind(payload),
                Staged::Cleaned(batch, done) => {
                    out.write_all(&done.out).map_err(tag("output"))?;
                    if let Some(w) = explain.as_mut() {
                        w.write_all(&done.explain).map_err(tag("explain file"))?;
                    }
                    report.stats.merge(done.stats);
                    if let (Some(all), Some(sample), Some(cutoffs)) =
                        (report.sample.as_mut(), done.report, settings.report)
                    {
                        all.merge(sample);
                        cutoffs.lower(all);
                    }
                    for (i, event) in done.events {
                        let line_no = batch.first_line + i as u64;
                        let line = batch.line(i);
                        match event {
                            Event::EmptyText { id } => {
                                report.stats.problem("empty-text");
                                notice(Notice {
                                    line: line_no,
                                    id,
                                    kind: NoticeKind::EmptyText,
                                });
                            }
                            Event::Blank => report.stats.problem("blank-line"),
                            Event::Rejected(error) => {
                                report.stats.problem(error.kind());
                                report.stats.records_rejected += 1;
                                report.rejected += 1;
                                notice(Notice {
                                    line: line_no,
                                    id: None,
                                    kind: NoticeKind::Rejected(error),
                                });
                                if fail {
                                    report.stopped = true;
                                    return Ok(report);
                                }
                                if let Some(w) = rejects.as_mut() {
                                    w.write_all(line).map_err(tag("rejects file"))?;
                                    w.write_all(b"\n").map_err(tag("rejects file"))?;
                                }
                            }
                        }
                    }
                    progress(
                        batch.bytes() as u64 + batch.len() as u64,
                        batch.len() as u64,
                    );
                }
                Staged::Passed(Piece::Oversize { line, bytes, end }) => {
                    if fail {
                        let error = RecordError::TooLarge(bytes.len() as u64);
                        report.stats.problem(error.kind());
                        notice(Notice {
                            line,
                            id: None,
                            kind: NoticeKind::Rejected(error),
                        });
                        report.stats.records_rejected += 1;
                        report.rejected += 1;
                        report.stopped = true;
                        return Ok(report);
                    }
                    oversize_bytes += bytes.len() as u64;
                    if let Some(w) = rejects.as_mut() {
                        w.write_all(&bytes).map_err(tag("rejects file"))?;
                    }
                    if end {
                        if let Some(w) = rejects.as_mut() {
                            w.write_all(b"\n").map_err(tag("rejects file"))?;
                        }
                        let error = RecordError::TooLarge(oversize_bytes);
                        report.stats.problem(error.kind());
                        report.stats.records_rejected += 1;
                        report.rejected += 1;
                        notice(Notice {
                            line,
                            id: None,
                            kind: NoticeKind::Rejected(error),
                        });
                        progress(oversize_bytes + 1, 1);
                        oversize_bytes = 0;
                    }
                }
                Staged::Passed(Piece::Failed {
                    after_line,
                    partial,
                    error,
                }) => {
                    report.read_failed = true;
                    report.stats.problem("truncated-input");
                    // End a half-copied oversize line, so the rejects file stays
                    // one line per bad record.
                    if oversize_bytes > 0
                        && let Some(w) = rejects.as_mut()
                    {
                        w.write_all(b"\n").map_err(tag("rejects file"))?;
                    }
                    notice(Notice {
                        line: after_line + 1,
                        id: None,
                        kind: NoticeKind::Unreadable {
                            partial,
                            error: error.to_string(),
                        },
                    });
                }
                Staged::Passed(Piece::Batch(_)) => {}
            }
        }
    }
    Ok(report)
}

/// Names the sink in a write error, keeping its kind (a broken pipe stays
/// one).
pub(super) fn tag(sink: &'static str) -> impl Fn(io::Error) -> io::Error + Copy {
    move |e| io::Error::new(e.kind(), format!("cannot write the {sink}: {e}"))
}
