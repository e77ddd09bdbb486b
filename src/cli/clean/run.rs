//! Running a settled `sapu clean`: every input of the plan in order, text
//! documents streamed through the rayon pool (a bounded number in flight,
//! committed in input order as they finish), each shard (a JSONL shard through
//! [`sapu::corpus::clean_shard`], a Parquet file through
//! [`sapu::corpus::clean_parquet`], see [`parquet`]) on a thread of its
//! own (several at a time, `--parallel-shards`), so that the serial stages
//! of one shard (decompressing, splitting, compressing, writing) do not
//! bound the run.
//!
//! When reports are asked for, each output is written with its part (see
//! [`super::reports`]): a shard streams its `--explain` records into it,
//! and the report files are filled from the parts in input order as the
//! shards before are done, whatever finishes first. An output left alone
//! by `--resume` gives its part's records and counts in its place.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{Scope, ScopedJoinHandle};

use sapu::Cleaner;
use sapu::corpus::arrow::SchemaError;
use sapu::corpus::parquet::OpenError;
use sapu::corpus::{
    self, Compression, Format, Notice, NoticeKind, OnError, ParquetInput, RecordError, clean_shard,
    compress,
};
use sapu::document::{self, Layout};
use sapu::input::{AtomicFile, FileFilter, ReadError, read_document, walk, write_atomic};
use sapu::output::explain;
use sapu::output::report::{self, Cutoffs, HeldDoc, ReportSample};
use sapu::output::stats::{STOPPED_AT_BAD_RECORD, Stats};

use super::args::Config;
use super::plan::{Target, read_format};
use super::progress::Progress;
use super::reports::{
    Part, PartWriter, ReportFile, Wanted, remove_stale_part, takes_a_part, write_part,
};
use crate::cli::messages;

mod parquet;

/// Text documents between the walk and their commit, at most: bounds
/// memory on huge trees, and is deep enough that the workers keep busy
/// while finished documents wait for a slow one before them.
const TEXTS_IN_FLIGHT: usize = 512;

/// Problems printed per shard; the rest are counted in the summary.
const NOTICES_PER_SHARD: u64 = 50;

/// A problem with one input or output of the run: reported once, through
/// [`messages`], and counted in the statistics by its kind.
pub enum Problem {
    Missing(PathBuf),
    Unreadable {
        path: String,
        error: String,
    },
    /// A text document that was not read (binary, compressed, ...).
    Read {
        path: String,
        error: ReadError,
    },
    InvalidUtf8 {
        path: String,
        replaced: usize,
    },
    Unwritable {
        path: String,
        error: String,
    },
    /// A shard's output failed part-way.
    ShardUnwritable {
        src: String,
        dest: String,
        error: String,
    },
    /// A Parquet file that cannot be cleaned at all.
    Parquet {
        path: String,
        error: OpenError,
    },
    /// Text on stdin whose lines are JSON objects: cleaned as text (every
    /// line reads as code), as asked, with a hint. Not counted.
    LooksLikeJsonl,
}

/// Whether a text document's first lines are JSON objects, as a JSON
/// Lines shard's are.
fn looks_like_jsonl(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2);
    let is_object = |l: &str| {
        l.starts_with('{')
            && l.ends_with('}')
            && serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.is_object())
    };
    lines.next().is_some_and(is_object) && lines.all(is_object)
}

impl Problem {
    /// The kind counted in `--stats` and the summary.
    fn kind(&self) -> &'static str {
        match self {
            Problem::Missing(_) => "missing-input",
            Problem::Unreadable { .. } => "unreadable",
            Problem::Read { error, .. } => error.kind(),
            Problem::InvalidUtf8 { .. } => "invalid-utf8",
            Problem::Unwritable { .. } | Problem::ShardUnwritable { .. } => "unwritable",
            Problem::Parquet { error, .. } => error.kind(),
            Problem::LooksLikeJsonl => "looks-like-jsonl",
        }
    }

    /// Prints the problem and counts it.
    pub fn report(self, stats: &mut Stats) {
        if let Problem::LooksLikeJsonl = self {
            messages::warning(self);
            return;
        }
        stats.problem(self.kind());
        match self {
            Problem::Read {
                error: ReadError::Binary(_),
                ..
            }
            | Problem::InvalidUtf8 { .. } => messages::warning(self),
            _ => messages::error(self),
        }
    }

    pub(super) fn unwritable(path: &Path, error: impl fmt::Display) -> Problem {
        Problem::Unwritable {
            path: path.display().to_string(),
            error: error.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing(path) => write!(f, "{}: no such file or directory", path.display()),
            Problem::Unreadable { path, error } => write!(f, "{path}: cannot read: {error}"),
            Problem::Read { path, error } => write!(f, "{path}: {error}"),
            Problem::InvalidUtf8 { path, replaced } => write!(
                f,
                "{path}: invalid UTF-8, {replaced} byte(s) replaced with U+FFFD"
            ),
            Problem::Unwritable { path, error } => write!(f, "{path}: cannot write: {error}"),
            Problem::ShardUnwritable { src, dest, error } => write!(f, "{src} -> {dest}: {error}"),
            Problem::Parquet { path, error } => {
                let hint = match error {
                    // The right column, its strings kept in a dictionary
                    // (as pandas writes a categorical column).
                    OpenError::Schema(SchemaError::NonStringText { found, .. })
                        if found.starts_with("Dictionary(") =>
                    {
                        "; sapu reads a column of plain strings: write it without the dictionary (pandas: df[col] = df[col].astype(str))"
                    }
                    OpenError::Schema(_) => "; choose the text column with --text-field",
                    _ => "",
                };
                write!(f, "{path}: {error}{hint}; not cleaned")
            }
            Problem::LooksLikeJsonl => write!(
                f,
                "stdin was read as one text document, but its lines are JSON objects: to clean JSON Lines records on stdin, give --format jsonl"
            ),
        }
    }
}

/// Where a document's clean text goes.
enum Dest {
    Stdout,
    File(PathBuf),
}

impl Dest {
    /// Stdout, a device or a pipe: written on the run's own thread, its
    /// reports straight into the report files (there is no part beside
    /// it).
    fn writes_in_place(&self) -> bool {
        match self {
            Dest::Stdout => true,
            Dest::File(path) => !takes_a_part(path),
        }
    }
}

/// One document or shard to clean.
struct Job {
    src: PathBuf,
    dest: Dest,
    format: Format,
    /// Its output exists and is left alone (`--resume`): its part stands
    /// in for it in the reports.
    skip: bool,
}

/// What cleaning one text document produced, for the serial printers.
struct Done {
    /// Bytes read, for the progress line.
    read: u64,
    text: Option<String>,
    /// Its `--explain` records, when its output was written.
    explain: Vec<u8>,
    /// Its output was written with its report part.
    with_part: bool,
    stats: Stats,
    problems: Vec<Problem>,
    /// The document, offered to the `--report` sample.
    report: Option<ReportSample<HeldDoc>>,
}

/// What happened to one shard, for the run's totals.
#[derive(Default)]
struct ShardDone {
    stats: Stats,
    /// Stopped at a bad record (`--on-error fail`): no more inputs are read.
    stopped: bool,
    /// The output was written with its part: its records are there.
    part: Option<PathBuf>,
    /// The `--report` sample of the shard.
    sample: Option<ReportSample<HeldDoc>>,
}

/// A shard in the queue of the run, in input order.
enum Pending<'scope> {
    Running(ScopedJoinHandle<'scope, ShardDone>),
    /// Done already: cleaned here, or left alone (`--resume`, its output).
    Done(Box<ShardDone>),
    Skipped(PathBuf),
}

impl Pending<'_> {
    fn is_finished(&self) -> bool {
        match self {
            Pending::Running(h) => h.is_finished(),
            Pending::Done(_) | Pending::Skipped(_) => true,
        }
    }
}

/// What every shard needs, shared by the threads that clean shards.
#[derive(Clone, Copy)]
struct ShardContext<'env> {
    settings: &'env corpus::Settings<'env>,
    progress: &'env Progress,
    text_field: &'env str,
    /// Reports are asked for: each output gets its part.
    parts: Option<Wanted>,
}

/// A text document of the run, in input order, until it is committed.
enum TextSlot {
    /// Being cleaned on the pool.
    Running,
    Cleaned(Box<Done>),
    /// Left alone (`--resume`): its part takes its place in the reports.
    Skipped(PathBuf),
}

/// What a text document's task sends back: its number and what it did.
type TextResult = (u64, std::thread::Result<Done>);

/// Text documents cleaned on the rayon pool, each a task of its own, and
/// committed in input order: no document waits for a batch of others to
/// be finished.
struct Texts {
    /// The documents not committed yet, in input order; the first is
    /// number `first`.
    slots: VecDeque<TextSlot>,
    first: u64,
    done: (Sender<TextResult>, Receiver<TextResult>),
}

/// The state of a run: where things go and what happened so far.
struct Runner<'scope, 'env, 'tasks, W: Write> {
    scope: &'scope Scope<'scope, 'env>,
    /// Where text documents are cleaned.
    tasks: &'tasks rayon::Scope<'env>,
    cleaner: &'env Cleaner<'env>,
    shard: ShardContext<'env>,
    reports: Reports,
    stdout: W,
    ran: Ran,
    texts: Texts,
    /// Shards in input order. A finished shard waits here until the
    /// ones before it are committed.
    shards: VecDeque<Pending<'scope>>,
    /// Shards cleaned at the same time, at most.
    parallel_shards: usize,
    /// Each shard thread sends one message here when it is done.
    shard_done: (Sender<()>, Receiver<()>),
    /// Started shards that have not said they are done.
    unfinished: usize,
}

/// The report files of a run.
#[derive(Default)]
pub struct Reports {
    pub explain: Option<ReportFile>,
    pub rejects: Option<ReportFile>,
}

/// Outputs left alone (`--resume`) whose records a report lacks: no part
/// beside them, or one written without that report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Uncovered {
    pub explain: u64,
    pub rejects: u64,
    pub stats: u64,
}

/// What a run did.
#[derive(Default)]
pub struct Ran {
    /// The counts of what this run cleaned and wrote.
    pub stats: Stats,
    /// The counts of the outputs left alone, from their parts.
    pub earlier: Stats,
    pub uncovered: Uncovered,
    /// Outputs with a report part beside them: written by this run, or
    /// left alone with theirs.
    pub parts: u64,
    /// Stopped at a bad record (`--on-error fail`).
    pub stopped: bool,
    /// The `--report` sample of everything cleaned.
    pub sample: Option<ReportSample<HeldDoc>>,
}

/// Runs the plan into `reports`. Returns what the run did and the report
/// files, still to commit, or the error that ended it (a failed write to
/// stdout).
pub fn execute(
    config: &Config,
    reports: Reports,
    progress: &Progress,
) -> io::Result<(Ran, Reports)> {
    let cleaner = Cleaner::new(&config.rules, config.options.clone());
    let cutoffs = config
        .report
        .size()
        .map(|size| report::cutoffs(size, &config.rules));
    let settings = corpus::Settings {
        line: corpus::LineSettings {
            cleaner: &cleaner,
            fields: &config.fields,
            wants: config.wants,
            passthrough: config.passthrough,
        },
        on_error: config.on_error,
        limits: config.limits,
        report: cutoffs.as_ref(),
    };
    let shard = ShardContext {
        settings: &settings,
        progress,
        text_field: &config.fields.text,
        parts: config.parts(),
    };
    let stdout = io::stdout();
    std::thread::scope(|scope| {
        rayon::in_place_scope(|tasks| {
            let mut runner = Runner {
                scope,
                tasks,
                cleaner: &cleaner,
                shard,
                reports,
                stdout: NamedStdout(BufWriter::new(stdout.lock())),
                ran: Ran {
                    sample: cutoffs.as_ref().map(|c| ReportSample::new(c.size())),
                    ..Ran::default()
                },
                texts: Texts {
                    slots: VecDeque::new(),
                    first: 0,
                    done: channel(),
                },
                shards: VecDeque::new(),
                parallel_shards: config.parallel_shards,
                shard_done: channel(),
                unfinished: 0,
            };
            let result = runner.run_plan(config);
            // Whatever happened, running shards finish and are counted.
            runner.drain_shards();
            result.map(|()| (runner.ran, runner.reports))
        })
    })
}

/// Stdout, whose write errors say they are stdout's (a file's name its
/// file): "cannot write to stdout: No space left on device".
struct NamedStdout<W>(W);

impl<W: Write> NamedStdout<W> {
    fn named(e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("cannot write to stdout: {e}"))
    }
}

impl<W: Write> Write for NamedStdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Self::named)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(Self::named)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Self::named)
    }
}

impl<'scope, 'env, W: Write> Runner<'scope, 'env, '_, W> {
    /// Feeds every input of the plan to [`Runner::add`], then finishes.
    fn run_plan(&mut self, config: &Config) -> io::Result<()> {
        for target in &config.plan {
            match target {
                Target::One { src, dest } => {
                    let format = read_format(src, config.format);
                    let dest = match dest {
                        Some(p) => Dest::File(p.clone()),
                        None => Dest::Stdout,
                    };
                    let job = Job {
                        src: src.clone(),
                        dest,
                        format,
                        skip: false,
                    };
                    self.add(job, config.resume)?;
                }
                Target::Tree { src, out } => {
                    self.add_tree(src, out, config.format, &config.filter, config.resume)?;
                }
                Target::Missing(path) => {
                    Problem::Missing(path.clone()).report(&mut self.ran.stats);
                }
            }
            if self.ran.stopped {
                break;
            }
        }
        self.finish()
    }

    fn add_tree(
        &mut self,
        src: &Path,
        out: &Path,
        format: Option<Format>,
        filter: &FileFilter,
        resume: bool,
    ) -> io::Result<()> {
        let mut files = walk(src, filter);
        for rel in &mut files {
            match rel {
                Ok(rel) => {
                    let job = Job {
                        src: src.join(&rel),
                        dest: Dest::File(out.join(&rel)),
                        format: format.unwrap_or(Format::from_path(&rel)),
                        skip: false,
                    };
                    self.add(job, resume)?;
                }
                Err(e) => Problem::Unreadable {
                    path: src.display().to_string(),
                    error: e.to_string(),
                }
                .report(&mut self.ran.stats),
            }
            if self.ran.stopped {
                break;
            }
        }
        for note in files.notes() {
            if note.is_error() {
                self.ran.stats.problem("no-documents");
                messages::error(note);
            } else {
                messages::warning(note);
            }
        }
        Ok(())
    }

    /// Takes one job: a text document starts on the pool (after the shards
    /// before it are committed, to keep the reports in order); a shard starts
    /// on a thread of its own when fewer than `parallel_shards` are running
    /// (after the text documents before it, to keep the reports in order),
    /// or runs here when it writes to stdout or shards run one at a time.
    /// An output that exists is left alone with `--resume`; its part takes
    /// its place in the reports, in order.
    fn add(&mut self, mut job: Job, resume: bool) -> io::Result<()> {
        if resume
            && let Dest::File(path) = &job.dest
            && path.exists()
        {
            self.ran.stats.skipped_existing += 1;
            self.shard.progress.file_done();
            if self.shard.parts.is_none() {
                return Ok(());
            }
            job.skip = true;
        }
        match job.format {
            Format::Text => {
                if !self.shards.is_empty() {
                    self.drain_shards();
                }
                self.start_text(job)?;
            }
            Format::Jsonl | Format::Parquet => {
                self.drain_texts()?;
                if let (true, Dest::File(path)) = (job.skip, &job.dest) {
                    self.shards.push_back(Pending::Skipped(path.clone()));
                    self.commit_finished();
                } else if self.parallel_shards <= 1 || job.dest.writes_in_place() {
                    self.drain_shards();
                    let done = self.clean_here(&job)?;
                    self.shard.progress.file_done();
                    self.shards.push_back(Pending::Done(Box::new(done)));
                    self.commit_finished();
                } else {
                    self.start_shard(job);
                }
            }
        }
        Ok(())
    }

    /// Cleans a shard on this thread; one for stdout writes its records
    /// straight into the reports.
    fn clean_here(&mut self, job: &Job) -> io::Result<ShardDone> {
        match &job.dest {
            Dest::Stdout => clean_one_shard(
                job,
                self.shard,
                ShardOut::Stdout {
                    out: &mut self.stdout,
                    explain: self.reports.explain.as_mut().map(|w| w as &mut dyn Write),
                    rejects: self.reports.rejects.as_mut().map(|w| w as &mut dyn Write),
                },
            ),
            Dest::File(path) if !takes_a_part(path) => clean_one_shard(
                job,
                self.shard,
                ShardOut::Device {
                    path,
                    explain: self.reports.explain.as_mut().map(|w| w as &mut dyn Write),
                    rejects: self.reports.rejects.as_mut().map(|w| w as &mut dyn Write),
                },
            ),
            Dest::File(path) => clean_one_shard(job, self.shard, ShardOut::File(path)),
        }
    }

    fn start_shard(&mut self, job: Job) {
        while self.unfinished >= self.parallel_shards {
            // A shard thread always sends before it ends; the channel
            // cannot close while `self` holds its sender.
            let _ = self.shard_done.1.recv();
            self.unfinished -= 1;
            self.commit_finished();
        }
        let ctx = self.shard;
        let done = self.shard_done.0.clone();
        self.unfinished += 1;
        self.shards
            .push_back(Pending::Running(self.scope.spawn(move || {
                let Dest::File(path) = &job.dest else {
                    unreachable!("shards for stdout run on the main thread");
                };
                // Only writes to stdout can fail here, and these shards
                // write to files.
                let outcome = clean_one_shard(&job, ctx, ShardOut::File(path)).unwrap_or_default();
                ctx.progress.file_done();
                let _ = done.send(());
                outcome
            })));
    }

    /// Commits the finished shards at the front of the queue.
    fn commit_finished(&mut self) {
        while self.shards.front().is_some_and(Pending::is_finished) {
            if let Some(p) = self.shards.pop_front() {
                self.commit(p);
            }
        }
    }

    /// Waits for every running shard and commits them in order.
    fn drain_shards(&mut self) {
        while let Some(p) = self.shards.pop_front() {
            self.commit(p);
        }
        while self.unfinished > 0 {
            let _ = self.shard_done.1.recv();
            self.unfinished -= 1;
        }
    }

    fn commit(&mut self, pending: Pending<'scope>) {
        let done = match pending {
            Pending::Running(handle) => match handle.join() {
                Ok(d) => d,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Pending::Done(d) => *d,
            Pending::Skipped(path) => {
                self.take_part(&path);
                return;
            }
        };
        if let Some(output) = &done.part {
            self.ran.parts += 1;
            self.copy_part(output);
        }
        self.ran.stopped |= done.stopped;
        if done.stopped {
            self.ran.stats.problem(STOPPED_AT_BAD_RECORD);
        }
        self.ran.stats.merge(done.stats);
        self.merge_sample(done.sample);
    }

    /// Adds a sample of some documents to the run's.
    fn merge_sample(&mut self, sample: Option<ReportSample<HeldDoc>>) {
        if let (Some(all), Some(sample), Some(cutoffs)) =
            (self.ran.sample.as_mut(), sample, self.shard.settings.report)
        {
            all.merge(sample);
            cutoffs.lower(all);
        }
    }

    /// Copies the records of a shard's part, written by this run, into the
    /// reports.
    fn copy_part(&mut self, output: &Path) {
        let mut part = match Part::open(output) {
            Ok(Some(part)) => part,
            Ok(None) => return,
            Err(msg) => {
                let e = io::Error::other(msg);
                for report in [self.reports.explain.as_mut(), self.reports.rejects.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    report.give_up(&e);
                }
                return;
            }
        };
        if let Some(report) = self.reports.explain.as_mut() {
            part.copy_explain(report);
        }
        if let Some(report) = self.reports.rejects.as_mut() {
            part.copy_rejects(report);
        }
    }

    /// The records and counts of an output left alone (`--resume`), from
    /// its part; what its part lacks is counted as not covered.
    fn take_part(&mut self, output: &Path) {
        let wanted = (
            self.reports.explain.is_some(),
            self.reports.rejects.is_some(),
            self.shard.parts.is_some(),
        );
        let uncovered = &mut self.ran.uncovered;
        let mut part = match Part::open(output) {
            Ok(Some(part)) => part,
            Ok(None) => {
                uncovered.explain += wanted.0 as u64;
                uncovered.rejects += wanted.1 as u64;
                uncovered.stats += wanted.2 as u64;
                return;
            }
            Err(msg) => {
                messages::warning(msg);
                uncovered.explain += wanted.0 as u64;
                uncovered.rejects += wanted.1 as u64;
                uncovered.stats += wanted.2 as u64;
                return;
            }
        };
        self.ran.parts += 1;
        if let Some(report) = self.reports.explain.as_mut()
            && !part.copy_explain(report)
        {
            uncovered.explain += 1;
        }
        if let Some(report) = self.reports.rejects.as_mut()
            && !part.copy_rejects(report)
        {
            uncovered.rejects += 1;
        }
        // An output written from an input that could not be read to its
        // end is not whole: left alone, it still fails the run.
        let cut_short: u64 = READ_FAILURES
            .iter()
            .filter_map(|kind| part.stats.problems.get(*kind))
            .sum();
        if cut_short > 0 {
            messages::error(format!(
                "{}: left alone (--resume), but written from an input that could not be read to its end; remove it and run again once the input is whole",
                output.display()
            ));
        }
        self.ran.earlier.merge(part.stats);
    }

    fn finish(&mut self) -> io::Result<()> {
        self.drain_texts()?;
        self.drain_shards();
        self.stdout.flush()
    }

    /// Starts cleaning a text document on the pool, once fewer than
    /// [`TEXTS_IN_FLIGHT`] are waiting to be committed; one left alone
    /// (`--resume`) takes its place in the queue.
    fn start_text(&mut self, job: Job) -> io::Result<()> {
        while self.texts.slots.len() >= TEXTS_IN_FLIGHT {
            self.wait_text()?;
        }
        let n = self.texts.first + self.texts.slots.len() as u64;
        if job.skip {
            let Dest::File(path) = job.dest else {
                unreachable!("only outputs that exist are left alone");
            };
            self.texts.slots.push_back(TextSlot::Skipped(path));
            return self.commit_texts();
        }
        self.texts.slots.push_back(TextSlot::Running);
        let (cleaner, ctx) = (self.cleaner, self.shard);
        let want_explain = self.reports.explain.is_some();
        let done = self.texts.done.0.clone();
        self.tasks.spawn(move |_| {
            // A panic goes to the runner, which raises it: left in the
            // task, it would leave the runner waiting for this document.
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                clean_text(&job, cleaner, want_explain, ctx.parts, ctx.settings.report)
            }));
            let _ = done.send((n, result));
        });
        Ok(())
    }

    /// Waits for one text document to be cleaned, then commits those that
    /// are next in order.
    fn wait_text(&mut self) -> io::Result<()> {
        // The runner holds a sender: the channel cannot close.
        let Ok((n, result)) = self.texts.done.1.recv() else {
            unreachable!("the runner holds a sender of the channel");
        };
        let done = result.unwrap_or_else(|payload| panic::resume_unwind(payload));
        let i = (n - self.texts.first) as usize;
        self.texts.slots[i] = TextSlot::Cleaned(Box::new(done));
        self.commit_texts()
    }

    /// Commits the text documents at the front of the queue that are done.
    fn commit_texts(&mut self) -> io::Result<()> {
        while let Some(slot) = self.texts.slots.front() {
            if matches!(slot, TextSlot::Running) {
                break;
            }
            let Some(slot) = self.texts.slots.pop_front() else {
                break;
            };
            self.texts.first += 1;
            match slot {
                TextSlot::Running => unreachable!("a running document is not committed"),
                TextSlot::Skipped(path) => self.take_part(&path),
                TextSlot::Cleaned(d) => self.commit_text(*d)?,
            }
        }
        Ok(())
    }

    /// Waits for every text document started and commits them in order.
    fn drain_texts(&mut self) -> io::Result<()> {
        while !self.texts.slots.is_empty() {
            self.wait_text()?;
        }
        Ok(())
    }

    fn commit_text(&mut self, d: Done) -> io::Result<()> {
        for p in d.problems {
            p.report(&mut self.ran.stats);
        }
        if let Some(t) = &d.text {
            self.stdout.write_all(t.as_bytes())?;
        }
        if let Some(report) = self.reports.explain.as_mut() {
            // A report file never fails a write: it reports and gives up.
            let _ = report.write_all(&d.explain);
        }
        self.ran.parts += u64::from(d.with_part);
        self.shard.progress.add(d.read, 1);
        self.shard.progress.file_done();
        self.ran.stats.merge(d.stats);
        self.merge_sample(d.report);
        Ok(())
    }
}

fn display_name(src: &Path) -> String {
    if src == Path::new("-") {
        "<stdin>".to_string()
    } else {
        src.display().to_string()
    }
}

/// Cleans one text document into its file (with its part, when reports
/// are asked for) or, for stdout, into `text`, and offers it to the
/// report within `cutoffs`.
fn clean_text(
    job: &Job,
    cleaner: &Cleaner,
    want_explain: bool,
    parts: Option<Wanted>,
    cutoffs: Option<&Cutoffs>,
) -> Done {
    let name = display_name(&job.src);
    let mut done = Done {
        read: 0,
        text: None,
        explain: Vec::new(),
        with_part: false,
        stats: Stats::default(),
        problems: Vec::new(),
        report: None,
    };
    let doc = match read_document(&job.src) {
        Ok(d) => d,
        Err(error) => {
            done.problems.push(Problem::Read { path: name, error });
            return done;
        }
    };
    done.read = doc.bytes as u64;
    if job.src.as_os_str() == "-" && looks_like_jsonl(&doc.text) {
        done.problems.push(Problem::LooksLikeJsonl);
    }
    if doc.replaced_bytes > 0 {
        done.problems.push(Problem::InvalidUtf8 {
            path: name.clone(),
            replaced: doc.replaced_bytes,
        });
    }
    let wants = document::Wants {
        explain: want_explain,
        annotate: false,
    };
    let cleaned = document::process(
        cleaner,
        &name,
        &doc.text,
        Layout::File,
        wants,
        &mut done.stats,
    );
    let out = cleaned.text;
    done.stats.bytes(doc.bytes, out.len());
    explain::write_values(&cleaned.explain, &mut done.explain);
    let decisions = cleaned.cleaned;
    let written = match &job.dest {
        Dest::Stdout => {
            done.text = Some(out);
            true
        }
        Dest::File(path) => match write_with_part(path, out.as_bytes(), parts, &done) {
            Ok(()) => {
                done.with_part = parts.is_some();
                true
            }
            Err(problem) => {
                done.problems.push(problem);
                done.stats = not_written(std::mem::take(&mut done.stats));
                done.explain.clear();
                false
            }
        },
    };
    if let (true, Some(c), Some(decisions)) = (written, cutoffs, decisions) {
        let mut sample = ReportSample::new(c.size());
        sample.record(name, decisions, cleaner.rules(), Some(c));
        done.report = Some(sample);
    }
    done
}

/// Writes a text document's output, its part first when reports are asked
/// for (so that an output that exists has its part), or with no part left
/// of an earlier run.
fn write_with_part(
    path: &Path,
    out: &[u8],
    parts: Option<Wanted>,
    done: &Done,
) -> Result<(), Problem> {
    match parts {
        Some(wanted) => write_part(path, wanted, &done.explain, &done.stats)
            .map_err(|e| Problem::unwritable(path, format!("its report part: {e}")))?,
        None => remove_stale_part(path),
    }
    write_atomic(path, out).map_err(|e| {
        if parts.is_some() {
            remove_stale_part(path);
        }
        Problem::unwritable(path, e)
    })
}

/// The counts of an output that was not written: its problems and bad
/// records (reported), not its documents, bytes and drops.
fn not_written(stats: Stats) -> Stats {
    Stats {
        problems: stats.problems,
        records_rejected: stats.records_rejected,
        ..Stats::default()
    }
}

/// What a shard does with a bad record, in the words of its notices.
fn bad_record_action(ctx: ShardContext, rejects: bool) -> &'static str {
    if ctx.settings.on_error == OnError::Fail {
        "stopping (--on-error fail)"
    } else if rejects {
        "skipped, copied to the rejects file"
    } else {
        "skipped"
    }
}

/// The words of a JSONL shard's notice on the command line: its flags
/// named.
fn notice_message(n: &Notice, ctx: ShardContext, rejects: bool) -> String {
    let action = bad_record_action(ctx, rejects);
    match &n.kind {
        NoticeKind::EmptyText => {
            format!("empty \"{}\"; passed through unchanged", ctx.text_field)
        }
        NoticeKind::Repaired(replaced) => format!(
            "\"{}\": {replaced} unpaired UTF-16 surrogate escape(s) such as \\ud800 (not characters) replaced with U+FFFD",
            ctx.text_field
        ),
        NoticeKind::Rejected(e @ RecordError::MissingText(_)) => {
            format!("{e} (choose the field with --text-field); {action}")
        }
        NoticeKind::Rejected(RecordError::TooLarge(bytes)) => format!(
            "record of {bytes} bytes or more, over --max-record-bytes ({} bytes); {action}",
            ctx.settings.limits.max_record_bytes
        ),
        NoticeKind::Rejected(e) => format!("{e}; {action}"),
        NoticeKind::Unreadable { partial, error } => {
            let after = n.line - 1;
            let lost = if *partial > 0 {
                format!("; {partial} bytes of line {} were lost", n.line)
            } else {
                String::new()
            };
            format!(
                "cannot read past line {after} (the last complete line): {error}{lost}; the records before it were written (is the file truncated or corrupt?)"
            )
        }
    }
}

/// The notices of one shard on the command line: the first
/// [`NOTICES_PER_SHARD`] printed, the rest counted and named in one note
/// at the end.
struct Notices<'a> {
    name: &'a str,
    shown: u64,
    hidden: u64,
}

impl<'a> Notices<'a> {
    fn new(name: &'a str) -> Notices<'a> {
        Notices {
            name,
            shown: 0,
            hidden: 0,
        }
    }

    /// Whether the next notice is printed; one that is not is counted.
    fn show_next(&mut self) -> bool {
        if self.shown >= NOTICES_PER_SHARD {
            self.hidden += 1;
            return false;
        }
        self.shown += 1;
        true
    }

    /// Says how many notices were not printed.
    fn end(&self) {
        if self.hidden > 0 {
            messages::note(format!(
                "{}: {} more problems not shown (counted in the summary and --stats)",
                self.name, self.hidden
            ));
        }
    }
}

/// The problems of a shard read only in part: its output is not whole.
const READ_FAILURES: [&str; 2] = [corpus::TRUNCATED_INPUT, corpus::CORRUPT_PARQUET];

/// Where a shard's records go.
enum ShardOut<'a> {
    /// To stdout, its reports straight into the report files (nothing to
    /// resume, so no part).
    Stdout {
        out: &'a mut dyn Write,
        explain: Option<&'a mut dyn Write>,
        rejects: Option<&'a mut dyn Write>,
    },
    /// To its output file, with its part when reports are asked for.
    File(&'a Path),
    /// To a device or a pipe (`-o /dev/null`), which takes no part beside
    /// it: its reports straight into the report files, as stdout's.
    Device {
        path: &'a Path,
        explain: Option<&'a mut dyn Write>,
        rejects: Option<&'a mut dyn Write>,
    },
}

/// `Err` when a shard named as plain JSON Lines starts as a compressed or
/// Parquet file does: read as text, each of its chunks was a bad record
/// that said to re-encode the file.
fn refuse_binary_shard(file: &File) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 4];
    let n = file.read_at(&mut head, 0)?;
    let head = &head[..n];
    let what = match Compression::sniff(head) {
        Compression::Gzip => "gzip-compressed; name it .jsonl.gz",
        Compression::Zstd => "zstd-compressed; name it .jsonl.zst",
        Compression::None if head == b"PAR1" => {
            "a Parquet file; name it .parquet or give --format parquet"
        }
        Compression::None => return Ok(()),
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        format!("read as JSON Lines, but it is {what}"),
    ))
}

/// A shard opened for cleaning.
enum ShardInput {
    Jsonl(corpus::Source),
    Parquet(ParquetInput),
}

impl ShardInput {
    /// Opens the shard of `job`, by its format; `Err` says why it cannot
    /// be cleaned (nothing is written).
    fn open(job: &Job, name: &str, ctx: ShardContext) -> Result<ShardInput, Problem> {
        if job.format == Format::Parquet {
            return parquet::open(job, name, ctx).map(ShardInput::Parquet);
        }
        let input = if job.src == Path::new("-") {
            compress::sniffing_reader(io::stdin()).map(corpus::Source::Stream)
        } else {
            File::open(&job.src).and_then(|file| {
                let compression = Compression::from_path(&job.src);
                let meta = file.metadata()?;
                // A regular plain file is read in ranges by the workers;
                // anything else as a stream, and so is a file that says it
                // is empty (as files under /proc do, whatever they hold).
                if compression == Compression::None && meta.is_file() && meta.len() > 0 {
                    refuse_binary_shard(&file)?;
                    Ok(corpus::Source::File {
                        file,
                        len: meta.len(),
                    })
                } else if compression == Compression::None {
                    // A pipe given by path (`<(gzip -c ...)`) has no name
                    // to go by: its first bytes say, as stdin's do.
                    compress::sniffing_reader(file).map(corpus::Source::Stream)
                } else {
                    compress::reader(file, compression).map(corpus::Source::Stream)
                }
            })
        };
        input
            .map(ShardInput::Jsonl)
            .map_err(|e| Problem::Unreadable {
                path: name.to_string(),
                error: e.to_string(),
            })
    }

    /// How the output file `path` is compressed: a JSONL shard's by its
    /// name; a Parquet file compresses its own columns.
    fn compression(&self, path: &Path) -> Compression {
        match self {
            ShardInput::Jsonl(_) => Compression::from_path(path),
            ShardInput::Parquet(_) => Compression::None,
        }
    }

    /// Cleans the shard into `out` and the report sinks, its notices
    /// worded and counted.
    fn clean(
        self,
        name: &str,
        ctx: ShardContext,
        out: &mut dyn Write,
        explain: Option<&mut dyn Write>,
        rejects: Option<&mut dyn Write>,
    ) -> io::Result<corpus::Report> {
        match self {
            ShardInput::Jsonl(input) => run_shard(input, name, ctx, out, explain, rejects),
            ShardInput::Parquet(input) => {
                parquet::run_parquet(&input, name, ctx, out, explain, rejects)
            }
        }
    }
}

/// Cleans one shard, JSONL or Parquet, into its output file and part, or
/// into stdout. Problems with the shard are reported and counted; the
/// error is for writing stdout, which ends the run.
fn clean_one_shard(job: &Job, ctx: ShardContext, sinks: ShardOut) -> io::Result<ShardDone> {
    let mut done = ShardDone::default();
    let name = display_name(&job.src);
    let input = match ShardInput::open(job, &name, ctx) {
        Ok(i) => i,
        Err(problem) => {
            problem.report(&mut done.stats);
            return Ok(done);
        }
    };
    // A device's records go straight into the reports.
    let (path, direct) = match sinks {
        ShardOut::Stdout {
            out,
            explain,
            rejects,
        } => {
            match input.clean(&name, ctx, out, explain, rejects) {
                Ok(report) => {
                    note_read_failure(&report);
                    done.stopped = report.stopped;
                    done.stats.merge(report.stats);
                    done.sample = report.sample;
                }
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(e),
                Err(e) => Problem::ShardUnwritable {
                    src: name,
                    dest: "<stdout>".into(),
                    error: e.to_string(),
                }
                .report(&mut done.stats),
            }
            return Ok(done);
        }
        ShardOut::File(path) => (path, (None, None)),
        ShardOut::Device {
            path,
            explain,
            rejects,
        } => (path, (explain, rejects)),
    };
    let opened = AtomicFile::create(path)
        .and_then(|f| compress::Encoder::new(f, input.compression(path)))
        .and_then(|f| {
            let part = match ctx.parts {
                Some(wanted) => PartWriter::create(path, wanted)?,
                None => {
                    remove_stale_part(path);
                    None
                }
            };
            Ok((f, part))
        });
    let (mut out, mut part) = match opened {
        Ok(o) => o,
        Err(e) => {
            Problem::unwritable(path, e).report(&mut done.stats);
            return Ok(done);
        }
    };
    let result = match part.as_mut() {
        Some(p) => {
            let (mut explain, rejects) = p.sinks();
            input.clean(
                &name,
                ctx,
                &mut out,
                explain.as_mut().map(|w| w as &mut dyn Write),
                rejects.map(|w| w as &mut dyn Write),
            )
        }
        None => input.clean(&name, ctx, &mut out, direct.0, direct.1),
    };
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            Problem::ShardUnwritable {
                src: name,
                dest: path.display().to_string(),
                error: e.to_string(),
            }
            .report(&mut done.stats);
            // Dropping the unfinished output and part removes their
            // temporary files.
            return Ok(done);
        }
    };
    note_read_failure(&report);
    done.stopped = report.stopped;
    if report.stopped {
        messages::note(format!(
            "{}: not written (stopped at a bad record)",
            path.display()
        ));
        // Dropped uncommitted: the temporary files are removed.
        done.stats.merge(not_written(report.stats));
        return Ok(done);
    }
    let committed = out.finish().and_then(|out| {
        // The part first: an output that exists has its part.
        if let Some(p) = part.take() {
            p.commit(&report.stats)?;
            done.part = Some(path.to_path_buf());
        }
        out.commit().inspect_err(|_| {
            if done.part.take().is_some() {
                remove_stale_part(path);
            }
        })
    });
    match committed {
        Ok(()) => {
            done.stats.merge(report.stats);
            done.sample = report.sample;
        }
        Err(e) => {
            Problem::unwritable(path, e).report(&mut done.stats);
            done.stats.merge(not_written(report.stats));
        }
    }
    Ok(done)
}

/// A shard cut off by a read error was written up to it; the run fails.
fn note_read_failure(report: &corpus::Report) {
    if report.read_failed {
        messages::set_failed();
    }
}

/// Runs [`clean_shard`] with the shard's notices worded and counted.
fn run_shard(
    input: corpus::Source,
    name: &str,
    ctx: ShardContext,
    out: &mut dyn Write,
    explain: Option<&mut dyn Write>,
    rejects: Option<&mut dyn Write>,
) -> io::Result<corpus::Report> {
    let has_rejects = rejects.is_some();
    let mut notices = Notices::new(name);
    let mut notice = |n: Notice| {
        if !notices.show_next() {
            return;
        }
        let id =
            n.id.as_ref()
                .map(|id| format!(" (id {id})"))
                .unwrap_or_default();
        let msg = format!(
            "{name}:{}{id}: {}",
            n.line,
            notice_message(&n, ctx, has_rejects)
        );
        match n.kind {
            NoticeKind::EmptyText | NoticeKind::Repaired(_) => messages::warning(msg),
            NoticeKind::Rejected(_) => messages::bad_record(msg),
            NoticeKind::Unreadable { .. } => messages::error(msg),
        }
    };
    let mut on_batch = |bytes, docs| ctx.progress.add(bytes, docs);
    // The sinks are borrowed for this call only: `&mut &mut dyn Write` is
    // a writer of its own.
    let (mut explain, mut rejects) = (explain, rejects);
    let result = clean_shard(
        input,
        name,
        ctx.settings,
        corpus::Sinks {
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

#[cfg(test)]
mod tests {
    use super::*;

    // Found by a black-box sweep: a text column kept as a dictionary (a
    // pandas categorical) was refused with "choose the text column with
    // --text-field", the wrong advice for the right column.
    #[test]
    fn a_dictionary_text_column_is_told_apart_from_a_wrong_column() {
        let problem = |found: &str| {
            Problem::Parquet {
                path: "p.parquet".into(),
                error: OpenError::Schema(SchemaError::NonStringText {
                    field: "text".into(),
                    found: found.into(),
                }),
            }
            .to_string()
        };
        let dictionary = problem("Dictionary(Int32, Utf8)");
        assert!(
            dictionary.contains("without the dictionary"),
            "{dictionary}"
        );
        assert!(!dictionary.contains("--text-field"), "{dictionary}");
        assert!(problem("Int64").contains("choose the text column with --text-field"));
    }
}
