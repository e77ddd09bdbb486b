//! One JSONL shard through the pipeline ([`super::pipeline`]): the
//! (decompressed) stream is split into bounded batches of lines, or a
//! plain file into byte ranges ([`super::ranges`]), each
//! claimed, read and cleaned by whichever worker is free, and the calling
//! thread, a worker too, writes the results in input order. A fixed
//! number of pieces is in flight, so memory is bounded by the batch size,
//! whatever the shard size.

use std::fs::File;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::lines::{Batch, Limits, LineReader, Piece, Spare};
use super::pipeline::{self, Flow};
use super::ranges::{self, Part, Ranges};
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
    /// A record whose text held this many unpaired UTF-16 surrogate
    /// escapes (not characters), cleaned with each read as U+FFFD.
    Repaired(usize),
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
    /// A record cleaned with `replaced` unpaired surrogate escapes of its
    /// text read as U+FFFD.
    Repaired {
        id: Option<String>,
        replaced: usize,
    },
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
    /// A line over the record limit, line `line` of the shard, that starts
    /// at `offset` of the shard's file and ends at its next `\n`: the
    /// writer copies it to the rejects in pieces.
    LongLine {
        line: u64,
        offset: u64,
    },
    /// What one range of a shard file holds, in order.
    Range(Vec<Staged>),
}

/// Where a shard's lines come from.
pub enum Source {
    /// A stream (stdin, a compressed file, a pipe), read one piece after
    /// another.
    Stream(Box<dyn BufRead + Send>),
    /// A regular uncompressed file of `len` bytes, read in ranges by the
    /// workers, each its own.
    File { file: File, len: u64 },
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
    input: Source,
    name: &str,
    settings: &Settings,
    sinks: Sinks,
) -> io::Result<Report> {
    // Three buffers a piece: its input, output and `--explain` records.
    let spare = Arc::new(Spare::new(3 * settings.limits.in_flight + 3));
    let workers = rayon::current_num_threads();
    let in_flight = settings.limits.in_flight;
    // What a worker makes of a piece, from a stream or a range.
    let stage = |piece: Piece| match piece {
        Piece::Batch(batch) => {
            let out = clean_batch(&batch, name, settings, &spare);
            Staged::Cleaned(batch, Box::new(out))
        }
        other => Staged::Passed(other),
    };
    match input {
        Source::Stream(input) => {
            let mut reader = LineReader::new(input, settings.limits).with_spare(spare.clone());
            let mut writer = ShardWriter::new(settings, sinks, &spare, None);
            pipeline::run(
                workers,
                in_flight,
                || reader.next_piece(),
                stage,
                |staged| writer.write(staged),
            )?;
            Ok(writer.report)
        }
        Source::File { file, len } => {
            let ranges = Ranges::new(file, len, settings.limits);
            let mut writer = ShardWriter::new(settings, sinks, &spare, Some(ranges.file()));
            let mut next = 0..ranges.count();
            pipeline::run(
                workers,
                in_flight,
                || next.next(),
                |k| {
                    let mut parts = ranges.read(k, &spare);
                    // One batch, the usual range, is handed on as it is:
                    // no vector made here for the writer to free. (A
                    // small block one thread allocates and another frees
                    // goes to the freeing thread's cache and is handed out
                    // again there, and growing it then takes the lock of
                    // the arena it came from, which the first thread is
                    // using: at -j 2 the two threads waited on each other
                    // some 1,500 times a run.)
                    if let [Part::Piece(Piece::Batch(_))] = parts.as_slice()
                        && let Some(Part::Piece(piece)) = parts.pop()
                    {
                        return stage(piece);
                    }
                    Staged::Range(
                        parts
                            .into_iter()
                            .map(|part| match part {
                                Part::Piece(piece) => stage(piece),
                                Part::LongLine { line, offset } => {
                                    Staged::LongLine { line, offset }
                                }
                            })
                            .collect(),
                    )
                },
                |staged| writer.write(staged),
            )?;
            Ok(writer.report)
        }
    }
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

/// A line split into the byte order mark kept before it, and the record:
/// a mark before a shard's first line is kept, not parsed; anywhere else
/// it is the record's (and makes it a bad one).
pub fn split_bom(line: &[u8], first: bool) -> (&'static [u8], &[u8]) {
    match line.strip_prefix(UTF8_BOM) {
        Some(rest) if first => (UTF8_BOM, rest),
        _ => (&[], line),
    }
}

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
    let (bom, line) = split_bom(line, line_no == 1);
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
            repaired,
        } => {
            explain::write_values(&records, &mut acc.explain);
            if let (Some(sample), Some(cleaned)) = (acc.report.as_mut(), cleaned) {
                let name = record_name(name, id.as_deref(), line_no);
                let rules = settings.line.cleaner.rules();
                sample.record(name, cleaned, rules, settings.report);
            }
            (repaired > 0).then_some(Event::Repaired {
                id,
                replaced: repaired,
            })
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
    /// The shard's file, when it is read in ranges: long lines are copied
    /// from it.
    file: Option<&'s File>,
}

impl<'s, 'a> ShardWriter<'s, 'a> {
    fn new(
        settings: &'s Settings<'s>,
        sinks: Sinks<'a>,
        spare: &'s Spare,
        file: Option<&'s File>,
    ) -> ShardWriter<'s, 'a> {
        ShardWriter {
            settings,
            sinks,
            spare,
            report: Report::new(settings.report),
            oversize_bytes: 0,
            file,
        }
    }

    /// Copies a line over the record limit from the shard's file, from
    /// `offset` to its `\n`, as the pieces a stream passes on.
    fn write_long_line(&mut self, line: u64, offset: u64) -> io::Result<Flow> {
        let Some(file) = self.file else {
            unreachable!("long lines come from ranges of a file");
        };
        let mut at = offset;
        loop {
            let mut bytes = Vec::new();
            let piece = match ranges::read_at(
                file,
                &mut bytes,
                at,
                self.settings.limits.batch_bytes.max(1),
            ) {
                Ok(got) => {
                    at += got as u64;
                    let newline = memchr::memchr(b'\n', &bytes);
                    if let Some(i) = newline {
                        bytes.truncate(i);
                    }
                    Piece::Oversize {
                        line,
                        bytes,
                        end: newline.is_some() || got == 0,
                    }
                }
                Err(error) => Piece::Failed {
                    after_line: line - 1,
                    partial: self.oversize_bytes,
                    error,
                },
            };
            let last = !matches!(piece, Piece::Oversize { end: false, .. });
            let flow = self.write(Staged::Passed(piece))?;
            if last || flow == Flow::Stop {
                return Ok(flow);
            }
        }
    }

    /// Writes the next piece; stops at a bad record with `OnError::Fail`,
    /// and where reading failed.
    fn write(&mut self, staged: Staged) -> io::Result<Flow> {
        let staged = match staged {
            Staged::Range(parts) => {
                for part in parts {
                    if self.write(part)? == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                }
                return Ok(Flow::Continue);
            }
            Staged::LongLine { line, offset } => return self.write_long_line(line, offset),
            other => other,
        };
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
                        Event::Repaired { id, replaced } => {
                            report.stats.problem("unpaired-surrogate");
                            notice(Notice {
                                line: line_no,
                                id,
                                kind: NoticeKind::Repaired(replaced),
                            });
                        }
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
                report.stats.problem(super::TRUNCATED_INPUT);
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
                // Nothing is read after a failure: a stream ends there,
                // and the ranges after it are not written.
                return Ok(Flow::Stop);
            }
            Staged::Passed(Piece::Batch(_)) | Staged::Range(_) | Staged::LongLine { .. } => {}
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
        let stream: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(input.as_bytes().to_vec()));
        run_source(Source::Stream(stream), threads, limits, on_error)
    }

    /// The same run with the input in a file, read in ranges.
    fn run_file(input: &str, threads: usize, limits: Limits, on_error: OnError) -> Run {
        let mut file = tempfile::tempfile().expect("a temporary file");
        file.write_all(input.as_bytes()).expect("a temporary file");
        let len = input.len() as u64;
        run_source(Source::File { file, len }, threads, limits, on_error)
    }

    fn run_source(input: Source, threads: usize, limits: Limits, on_error: OnError) -> Run {
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
        assert_same(&four, &one);
        assert_eq!(four.progress.1, 400);
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

    /// The runs agree in everything a user sees.
    fn assert_same(a: &Run, b: &Run) {
        assert_eq!(a.out, b.out);
        assert_eq!(a.explain, b.explain);
        assert_eq!(a.rejects, b.rejects);
        assert_eq!(a.notices, b.notices);
        assert_eq!(a.progress, b.progress);
        assert_eq!(a.report.rejected, b.report.rejected);
        assert_eq!(a.report.stopped, b.report.stopped);
        assert_eq!(
            serde_json::to_string(&a.report.stats).expect("stats serialize"),
            serde_json::to_string(&b.report.stats).expect("stats serialize")
        );
    }

    #[test]
    fn a_file_read_in_ranges_gives_what_a_stream_gives() {
        let input = shard(400);
        let stream = run(&input, 1, ONE_BATCH, OnError::Skip);
        // Ranges of 100 bytes: most lines start in one range and end in
        // another; some ranges hold no line start at all.
        for threads in [1, 4] {
            let file = run_file(&input, threads, TINY, OnError::Skip);
            assert_same(&file, &stream);
            let file = run_file(&input, threads, ONE_BATCH, OnError::Skip);
            assert_same(&file, &stream);
        }
        assert!(stream.explain.contains("\"shard:396\""));
        // Without a final `\n`, and with blank lines at the end.
        for input in [input.trim_end().to_string(), format!("{input}\n \n\n")] {
            let stream = run(&input, 1, ONE_BATCH, OnError::Skip);
            assert_same(&run_file(&input, 4, TINY, OnError::Skip), &stream);
        }
        // Where a run stops, the batches written before differ with the
        // batch size, and so does the progress told; the rest agrees.
        let fail_stream = run(&input, 1, ONE_BATCH, OnError::Fail);
        let fail_file = run_file(&input, 4, TINY, OnError::Fail);
        assert_eq!(fail_file.out, fail_stream.out);
        assert_eq!(fail_file.explain, fail_stream.explain);
        assert_eq!(fail_file.notices, fail_stream.notices);
        assert!(fail_file.report.stopped && fail_stream.report.stopped);
        let empty = run_file("", 2, TINY, OnError::Skip);
        assert_eq!((empty.out.as_str(), empty.progress), ("", (0, 0)));
    }

    #[test]
    fn lines_over_the_limit_in_a_file_are_rejected_whole_as_in_a_stream() {
        // Records of about 170 bytes; a limit of 300 bytes; ranges of 100
        // (a long line starts in one and goes on through several) and of
        // 1,000 (a long line ends inside the range that holds it).
        let mut input = shard(30);
        let long = serde_json::json!({ "id": "long", "text": "x".repeat(900) }).to_string();
        let mut lines: Vec<String> = input.lines().map(str::to_string).collect();
        lines.insert(3, long.clone());
        lines.insert(10, long.clone());
        lines.insert(11, long.clone());
        lines.push(long.clone());
        // Longer than a worker reads on past its range at a time: copied
        // to the rejects from the file by the writer.
        let longer = serde_json::json!({ "id": "longer", "text": "y".repeat(200_000) }).to_string();
        lines.insert(20, longer.clone());
        input = lines.join("\n");
        let limits = |batch_bytes| Limits {
            batch_bytes,
            batch_lines: 1 << 20,
            max_record_bytes: 300,
            in_flight: 6,
        };
        let stream = run(&input, 1, limits(1 << 20), OnError::Skip);
        // The five long lines and the two bad records of `shard(30)`.
        assert_eq!(stream.report.rejected, 5 + 2, "{:?}", stream.notices);
        for batch_bytes in [100, 1000] {
            for threads in [1, 3] {
                let file = run_file(&input, threads, limits(batch_bytes), OnError::Skip);
                assert_same(&file, &stream);
            }
        }
        assert!(stream.rejects.contains(&long));
        assert!(stream.rejects.contains(&format!("\n{longer}\n")));
        // At the first bad line with `OnError::Fail`: the long line 4
        // comes before the first bad record (line 5, then 6).
        let file = run_file(&input, 3, limits(100), OnError::Fail);
        assert!(file.report.stopped);
        assert_eq!(file.notices.len(), 1);
        assert_eq!(file.notices[0].0, 4);
        assert_eq!(file.out.lines().count(), 3);
    }
}
