//! One JSONL shard through the pipeline ([`super::pipeline`]): the
//! (decompressed) stream is split into bounded batches of lines, each
//! claimed, read and cleaned by whichever worker is free, and the calling
//! thread, a worker too, writes the results in input order. A fixed
//! number of pieces is in flight, so memory is bounded by the batch size,
//! whatever the shard size.

use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::lines::{Batch, Limits, LineReader, Piece, Spare};
use super::pipeline::{self, Flow};
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

impl Report {
    /// An empty report, with a sample when `--report` asks for one.
    pub(super) fn new(cutoffs: Option<&Cutoffs>) -> Report {
        Report {
            sample: cutoffs.map(|c| ReportSample::new(c.size())),
            ..Report::default()
        }
    }

    /// Adds the statistics and the `--report` sample of one written part
    /// of the shard.
    pub(super) fn add_part(
        &mut self,
        stats: Stats,
        sample: Option<ReportSample<HeldDoc>>,
        cutoffs: Option<&Cutoffs>,
    ) {
        self.stats.merge(stats);
        if let (Some(all), Some(sample), Some(cutoffs)) = (self.sample.as_mut(), sample, cutoffs) {
            all.merge(sample);
            cutoffs.lower(all);
        }
    }

    /// Counts a record that is not cleaned: a problem of its kind, and a
    /// rejected record.
    pub(super) fn reject(&mut self, error: &RecordError) {
        self.stats.problem(error.kind());
        self.stats.records_rejected += 1;
        self.rejected += 1;
    }
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
}

/// Cleans the records of `input` into `sinks`. `name` names the shard in
/// `--explain` (`NAME:ID`, or `NAME:LINE` for records without an id).
/// Errors are failures to write.
///
/// Each worker of the rayon pool, and the calling thread, takes the next
/// batch from the input itself and cleans it, one record after another,
/// into one output buffer; the calling thread also writes the cleaned
/// batches in input order, between batches of its own. Up to
/// [`Limits::in_flight`] pieces are read and not yet
/// written. No thread only reads or only writes, and no stage waits for a
/// batch to be finished by all workers, so the workers stay busy while a
/// slow document is cleaned, and memory stays bounded by the pieces in
/// flight.
pub fn clean_shard(
    input: Box<dyn BufRead + Send>,
    name: &str,
    settings: &Settings,
    sinks: Sinks,
) -> io::Result<Report> {
    // Three buffers a piece: its input, output and `--explain` records.
    let spare = Arc::new(Spare::new(3 * settings.limits.in_flight + 3));
    let mut reader = LineReader::new(input, settings.limits).with_spare(spare.clone());
    let mut writer = ShardWriter::new(settings, sinks, &spare);
    pipeline::run(
        rayon::current_num_threads(),
        settings.limits.in_flight,
        || reader.next_piece(),
        |piece| match piece {
            Piece::Batch(batch) => {
                let out = clean_batch(&batch, name, settings, &spare);
                Staged::Cleaned(batch, Box::new(out))
            }
            other => Staged::Passed(other),
        },
        |staged| writer.write(staged),
    )?;
    Ok(writer.report)
}

/// Cleans the lines of `batch` one after the other.
fn clean_batch(batch: &Batch, name: &str, settings: &Settings, spare: &Spare) -> BatchOut {
    let mut acc = BatchOut {
        out: spare.take(batch.bytes() + batch.len() * 64),
        explain: if settings.line.wants.explain {
            spare.take(0)
        } else {
            Vec::new()
        },
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

/// The writing end of a shard: the sinks and what happened so far.
struct ShardWriter<'s, 'a> {
    settings: &'s Settings<'s>,
    sinks: Sinks<'a>,
    spare: &'s Spare,
    report: Report,
    /// Bytes so far of the oversize line being copied to the rejects.
    oversize_bytes: u64,
}

impl<'s, 'a> ShardWriter<'s, 'a> {
    fn new(settings: &'s Settings<'s>, sinks: Sinks<'a>, spare: &'s Spare) -> ShardWriter<'s, 'a> {
        ShardWriter {
            settings,
            sinks,
            spare,
            report: Report::new(settings.report),
            oversize_bytes: 0,
        }
    }

    /// Writes the next piece; stops at a bad record with `OnError::Fail`.
    fn write(&mut self, staged: Staged) -> io::Result<Flow> {
        let settings = self.settings;
        let report = &mut self.report;
        let Sinks {
            out,
            explain,
            rejects,
            notice,
            progress,
        } = &mut self.sinks;
        let fail = settings.on_error == OnError::Fail;
        match staged {
            Staged::Cleaned(batch, done) => {
                let BatchOut {
                    out: cleaned,
                    explain: explained,
                    stats,
                    events,
                    report: sample,
                } = *done;
                out.write_all(&cleaned).map_err(tag("output"))?;
                if let Some(w) = explain.as_mut() {
                    w.write_all(&explained).map_err(tag("explain file"))?;
                }
                self.spare.give(cleaned);
                self.spare.give(explained);
                report.add_part(stats, sample, settings.report);
                for (i, event) in events {
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
                            report.reject(&error);
                            notice(Notice {
                                line: line_no,
                                id: None,
                                kind: NoticeKind::Rejected(error),
                            });
                            if fail {
                                report.stopped = true;
                                return Ok(Flow::Stop);
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
                self.spare.give(batch.into_data());
            }
            Staged::Passed(Piece::Oversize { line, bytes, end }) => {
                if fail {
                    let error = RecordError::TooLarge(bytes.len() as u64);
                    report.reject(&error);
                    notice(Notice {
                        line,
                        id: None,
                        kind: NoticeKind::Rejected(error),
                    });
                    report.stopped = true;
                    return Ok(Flow::Stop);
                }
                self.oversize_bytes += bytes.len() as u64;
                if let Some(w) = rejects.as_mut() {
                    w.write_all(&bytes).map_err(tag("rejects file"))?;
                }
                if end {
                    if let Some(w) = rejects.as_mut() {
                        w.write_all(b"\n").map_err(tag("rejects file"))?;
                    }
                    let error = RecordError::TooLarge(self.oversize_bytes);
                    report.reject(&error);
                    notice(Notice {
                        line,
                        id: None,
                        kind: NoticeKind::Rejected(error),
                    });
                    progress(self.oversize_bytes + 1, 1);
                    self.oversize_bytes = 0;
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
                if self.oversize_bytes > 0
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
        Ok(Flow::Continue)
    }
}

/// Names the sink in a write error, keeping its kind (a broken pipe stays
/// one).
pub(super) fn tag(sink: &'static str) -> impl Fn(io::Error) -> io::Error + Copy {
    move |e| io::Error::new(e.kind(), format!("cannot write the {sink}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Fields;
    use crate::document::Wants;
    use crate::rules::{CompileOptions, RuleSet, default_sources};
    use crate::{CleanOptions, Cleaner};

    /// Records with and without ids, a clutter line in each text (so
    /// that each has `--explain` records), and, every so often, a bad
    /// line, a blank line and an empty text.
    fn shard(records: usize) -> String {
        let mut s = String::new();
        for i in 0..records {
            let text = format!(
                "Pemerintah mengumumkan kebijakan baru nomor {i} hari ini untuk semua warga negara di seluruh wilayah.\n\nBaca Juga: Berita lain yang menarik nomor {i}"
            );
            let line = match i % 13 {
                4 => "{not json".to_string(),
                7 => "   ".to_string(),
                9 => r#"{"id":"e","text":"  "}"#.to_string(),
                n if n % 2 == 0 => {
                    serde_json::json!({ "id": format!("r{i}"), "text": text }).to_string()
                }
                _ => serde_json::json!({ "text": text }).to_string(),
            };
            s.push_str(&line);
            s.push('\n');
        }
        s
    }

    struct Run {
        out: String,
        explain: String,
        rejects: String,
        notices: Vec<(u64, String)>,
        progress: (u64, u64),
        report: Report,
    }

    fn run(input: &str, threads: usize, limits: Limits, on_error: OnError) -> Run {
        let rules = RuleSet::compile(&default_sources(), &CompileOptions::default())
            .expect("the default rules compile");
        let cleaner = Cleaner::new(&rules, CleanOptions::default());
        let fields = Fields::default();
        let settings = Settings {
            line: LineSettings {
                cleaner: &cleaner,
                fields: &fields,
                wants: Wants {
                    explain: true,
                    annotate: false,
                },
                passthrough: false,
            },
            report: None,
            on_error,
            limits,
        };
        let (mut out, mut explain, mut rejects) = (Vec::new(), Vec::new(), Vec::new());
        let mut notices = Vec::new();
        let mut progress = (0, 0);
        let input: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(input.as_bytes().to_vec()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let report = pool
            .install(|| {
                clean_shard(
                    input,
                    "shard",
                    &settings,
                    Sinks {
                        out: &mut out,
                        explain: Some(&mut explain),
                        rejects: Some(&mut rejects),
                        notice: &mut |n| notices.push((n.line, format!("{:?}", n.kind))),
                        progress: &mut |bytes, lines| {
                            progress.0 += bytes;
                            progress.1 += lines;
                        },
                    },
                )
            })
            .expect("writing to memory works");
        let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
        Run {
            out: text(out),
            explain: text(explain),
            rejects: text(rejects),
            notices,
            progress,
            report,
        }
    }

    /// A batch for every line or two: many more pieces than workers.
    const TINY: Limits = Limits {
        batch_bytes: 100,
        batch_lines: 2,
        max_record_bytes: 1 << 20,
        in_flight: 10,
    };

    const ONE_BATCH: Limits = Limits {
        batch_bytes: 1 << 24,
        batch_lines: 1 << 20,
        max_record_bytes: 1 << 20,
        in_flight: 4,
    };

    #[test]
    fn many_small_batches_on_four_workers_give_what_one_batch_on_one_gives() {
        let input = shard(400);
        let one = run(&input, 1, ONE_BATCH, OnError::Skip);
        let four = run(&input, 4, TINY, OnError::Skip);
        assert_eq!(four.out, one.out);
        assert_eq!(four.explain, one.explain);
        assert_eq!(four.rejects, one.rejects);
        assert_eq!(four.notices, one.notices);
        assert_eq!(four.progress, one.progress);
        assert_eq!(four.progress.1, 400);
        assert_eq!(four.report.rejected, one.report.rejected);
        assert_eq!(
            serde_json::to_string(&four.report.stats).expect("stats serialize"),
            serde_json::to_string(&one.report.stats).expect("stats serialize")
        );
        // Records without an id are named by their line, counted from the
        // start of the shard whichever worker read them.
        assert!(four.explain.contains("\"shard:396\""), "{}", four.explain);
        assert!(four.explain.contains("\"shard:r398\""));
        // The bad lines (i % 13 == 4, so line 5, 18, ...) by their line.
        let bad: Vec<u64> = four
            .notices
            .iter()
            .filter(|(_, k)| k.starts_with("Rejected"))
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(
            bad,
            (0..400)
                .filter(|i| i % 13 == 4)
                .map(|i| i + 1)
                .collect::<Vec<u64>>()
        );
        assert_eq!(four.rejects.lines().count(), bad.len());
    }

    #[test]
    fn on_error_fail_stops_at_the_first_bad_record_on_four_workers() {
        let input = shard(400);
        let four = run(&input, 4, TINY, OnError::Fail);
        assert!(four.report.stopped);
        assert_eq!(four.notices.len(), 1);
        assert_eq!(four.notices[0].0, 5);
        // The four records before it, and nothing after.
        assert_eq!(four.out.lines().count(), 4);
        assert_eq!(four.rejects, "");
    }
}
