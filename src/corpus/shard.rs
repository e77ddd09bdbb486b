//! One JSONL shard through the pipeline: a reader thread splits the
//! (decompressed) stream into bounded batches of lines, a cleaning thread
//! cleans each batch on the rayon pool, and the calling thread writes the
//! results in input order. Channels between the stages hold one batch
//! each, so memory is bounded by the batch size, whatever the shard size.

use std::io::{self, BufRead, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rayon::prelude::*;

use super::lines::{Batch, Limits, Piece, read_lines};
use super::record::{Fields, Record, RecordError};
use crate::output::{explain, stats::Stats, text};
use crate::{Cleaned, Cleaner, RuleSet};

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
    pub cleaner: &'a Cleaner<'a>,
    pub rules: &'a RuleSet,
    pub fields: &'a Fields,
    /// Add `"sapu": {...}` to each cleaned record.
    pub annotate: bool,
    /// Produce `--explain` records.
    pub explain: bool,
    /// Write every record's text back unchanged, without cleaning: the
    /// same read, parse and write path, for measuring its cost alone.
    pub passthrough: bool,
    pub on_error: OnError,
    pub limits: Limits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem with one line of the shard, in input order.
#[derive(Debug)]
pub struct Notice {
    pub line: u64,
    pub id: Option<String>,
    pub severity: Severity,
    pub message: String,
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
}

/// What cleaning one line produced.
enum Outcome {
    Cleaned {
        out: Vec<u8>,
        explain: Vec<u8>,
        stats: Stats,
    },
    /// A record with an empty text: passed through unchanged.
    EmptyText {
        id: Option<String>,
    },
    /// A line of only spaces: not a record; left out.
    Blank,
    Rejected(RecordError),
}

/// A piece after the cleaning stage.
enum Staged {
    Cleaned(Batch, Vec<Outcome>),
    Passed(Piece),
}

/// Cleans the records of `input` into `sinks`. `name` names the shard in
/// `--explain` (`NAME:ID`, or `NAME:LINE` for records without an id).
/// Errors are failures to write.
pub fn clean_shard(
    input: Box<dyn BufRead + Send>,
    name: &str,
    settings: &Settings,
    sinks: Sinks,
) -> io::Result<Report> {
    let (piece_tx, piece_rx) = sync_channel::<Piece>(1);
    let (staged_tx, staged_rx) = sync_channel::<Staged>(1);
    let limits = settings.limits;
    std::thread::scope(|scope| {
        scope.spawn(move || read_lines(input, limits, |p| piece_tx.send(p).is_ok()));
        scope.spawn(move || clean_stage(piece_rx, staged_tx, name, settings));
        write_stage(staged_rx, settings, sinks)
    })
}

fn clean_stage(
    pieces: Receiver<Piece>,
    staged: SyncSender<Staged>,
    name: &str,
    settings: &Settings,
) {
    for piece in pieces {
        let next = match piece {
            Piece::Batch(batch) => {
                let outcomes = (0..batch.len())
                    .into_par_iter()
                    .map(|i| clean_line(batch.line(i), batch.first_line + i as u64, name, settings))
                    .collect();
                Staged::Cleaned(batch, outcomes)
            }
            other => Staged::Passed(other),
        };
        if staged.send(next).is_err() {
            return;
        }
    }
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Cleans the text of one record: the clean document without a final
/// newline of its own (what `sapu clean --format jsonl` writes into the
/// text field), and the verdicts behind it.
pub fn clean_record_text(cleaner: &Cleaner, text: &str) -> (String, Cleaned) {
    let cleaned = cleaner.clean(text);
    let mut clean_text = text::render(&cleaned);
    if clean_text.ends_with('\n') {
        clean_text.pop();
    }
    (clean_text, cleaned)
}

/// The `"sapu"` object that `--annotate` adds to a record, from the
/// record's cleaning and its statistics.
pub fn annotation(cleaned: &Cleaned, stats: &Stats) -> serde_json::Value {
    let mut a = serde_json::json!({
        "dropped_lines": stats.lines_dropped,
        "dropped_chars": stats.chars_dropped,
        "rules": stats.rules.keys().collect::<Vec<_>>(),
    });
    if cleaned.flagged {
        a["flagged"] = true.into();
    }
    if cleaned.reverted {
        a["reverted"] = true.into();
    }
    a
}

fn clean_line(line: &[u8], line_no: u64, name: &str, settings: &Settings) -> Outcome {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Outcome::Blank;
    }
    // A byte order mark before the first record is kept, not parsed.
    let (bom, line) = match line.strip_prefix(UTF8_BOM) {
        Some(rest) if line_no == 1 => (UTF8_BOM, rest),
        _ => (&[][..], line),
    };
    let record = match Record::parse(line, settings.fields) {
        Ok(r) => r,
        Err(e) => return Outcome::Rejected(e),
    };
    if record.text.trim().is_empty() {
        return Outcome::EmptyText { id: record.id };
    }
    if settings.passthrough {
        let mut out = Vec::with_capacity(line.len() + 1);
        out.extend_from_slice(bom);
        record.write(&record.text, None, &mut out);
        let stats = Stats {
            documents: 1,
            bytes_in: (bom.len() + line.len() + 1) as u64,
            bytes_out: out.len() as u64,
            ..Stats::default()
        };
        return Outcome::Cleaned {
            out,
            explain: Vec::new(),
            stats,
        };
    }
    let (clean_text, cleaned) = clean_record_text(settings.cleaner, &record.text);
    let mut stats = Stats::default();
    stats.record(&cleaned, settings.rules, bom.len() + line.len() + 1, 0);
    let annotation = settings
        .annotate
        .then(|| annotation(&cleaned, &stats).to_string());
    let mut out = Vec::with_capacity(line.len() + 64);
    out.extend_from_slice(bom);
    record.write(&clean_text, annotation.as_deref(), &mut out);
    stats.bytes_out += out.len() as u64;
    let mut explain = Vec::new();
    if settings.explain {
        let doc = match &record.id {
            Some(id) => format!("{name}:{id}"),
            None => format!("{name}:{line_no}"),
        };
        explain::write_records(&doc, &cleaned, settings.rules, &mut explain);
    }
    Outcome::Cleaned {
        out,
        explain,
        stats,
    }
}

fn write_stage(staged: Receiver<Staged>, settings: &Settings, sinks: Sinks) -> io::Result<Report> {
    let Sinks {
        out,
        mut explain,
        mut rejects,
        notice,
        progress,
    } = sinks;
    let mut report = Report::default();
    let fail = settings.on_error == OnError::Fail;
    let skip_note = if fail {
        "stopping (--on-error fail)"
    } else if rejects.is_some() {
        "skipped, copied to the rejects file"
    } else {
        "skipped"
    };
    let mut oversize_bytes: u64 = 0;
    for item in staged {
        match item {
            Staged::Cleaned(batch, outcomes) => {
                for (i, outcome) in outcomes.into_iter().enumerate() {
                    let line_no = batch.first_line + i as u64;
                    let line = batch.line(i);
                    match outcome {
                        Outcome::Cleaned {
                            out: bytes,
                            explain: records,
                            stats,
                        } => {
                            out.write_all(&bytes).map_err(tag("output"))?;
                            if let Some(w) = explain.as_mut() {
                                w.write_all(&records).map_err(tag("explain file"))?;
                            }
                            report.stats.merge(stats);
                        }
                        Outcome::EmptyText { id } => {
                            out.write_all(line).map_err(tag("output"))?;
                            out.write_all(b"\n").map_err(tag("output"))?;
                            let s = &mut report.stats;
                            s.documents += 1;
                            s.bytes_in += line.len() as u64 + 1;
                            s.bytes_out += line.len() as u64 + 1;
                            s.problem("empty-text");
                            notice(Notice {
                                line: line_no,
                                id,
                                severity: Severity::Warning,
                                message: format!(
                                    "empty \"{}\"; passed through unchanged",
                                    settings.fields.text
                                ),
                            });
                        }
                        Outcome::Blank => report.stats.problem("blank-line"),
                        Outcome::Rejected(error) => {
                            report.stats.problem(error.kind());
                            report.stats.records_rejected += 1;
                            report.rejected += 1;
                            notice(Notice {
                                line: line_no,
                                id: None,
                                severity: Severity::Error,
                                message: format!("{error}; {skip_note}"),
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
                    notice(Notice {
                        line,
                        id: None,
                        severity: Severity::Error,
                        message: format!(
                            "record over --max-record-bytes ({} bytes); {skip_note}",
                            settings.limits.max_record_bytes
                        ),
                    });
                    report.stats.problem(RecordError::TooLarge(0).kind());
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
                        severity: Severity::Error,
                        message: format!(
                            "{error} ({} bytes); {skip_note}",
                            settings.limits.max_record_bytes
                        ),
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
                let lost = if partial > 0 {
                    format!("; {partial} bytes of line {} were lost", after_line + 1)
                } else {
                    String::new()
                };
                notice(Notice {
                    line: after_line + 1,
                    id: None,
                    severity: Severity::Error,
                    message: format!(
                        "cannot read past line {after_line} (the last complete line): {error}{lost}; the records before it were written (is the file truncated or corrupt?)"
                    ),
                });
            }
            Staged::Passed(Piece::Batch(_)) => {}
        }
    }
    Ok(report)
}

/// Names the sink in a write error, keeping its kind (a broken pipe stays
/// one).
fn tag(sink: &'static str) -> impl Fn(io::Error) -> io::Error {
    move |e| io::Error::new(e.kind(), format!("cannot write the {sink}: {e}"))
}
