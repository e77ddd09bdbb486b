//! Running a settled `sapu clean`: every input of the plan in order, text
//! documents in chunks on the rayon pool, each JSONL shard through
//! [`sapu::corpus::clean_shard`] on a thread of its own (several at a
//! time, `--parallel-shards`), so that the serial stages of one shard
//! (decompressing, splitting, compressing, writing) do not bound the run.
//! The `--explain` and `--rejects` records of a shard wait in a spill file
//! (in memory up to a size, then on disk) until the shards before it are
//! done, so both files keep input order whatever finishes first.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{Scope, ScopedJoinHandle};

use rayon::prelude::*;
use tempfile::SpooledTempFile;

use sapu::Cleaner;
use sapu::corpus::{
    self, Compression, Format, Notice, NoticeKind, OnError, RecordError, clean_shard, compress,
};
use sapu::document::{self, Layout};
use sapu::input::{AtomicFile, FileFilter, ReadError, read_document, walk, write_atomic};
use sapu::output::explain;
use sapu::output::report::{self, Cutoffs, HeldDoc, ReportSample};
use sapu::output::stats::{STOPPED_AT_BAD_RECORD, Stats};

mod parquet;

use super::args::Config;
use super::plan::Target;
use super::progress::Progress;
use crate::cli::messages;

/// Text documents processed together; bounds memory on huge trees.
const CHUNK: usize = 512;

/// Problems printed per shard; the rest are counted in the summary.
const NOTICES_PER_SHARD: u64 = 50;

/// Spill files keep this much in memory before moving to disk.
const SPILL_IN_MEMORY: usize = 4 << 20;

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
        }
    }

    /// Prints the problem and counts it.
    pub fn report(self, stats: &mut Stats) {
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

    fn unwritable(path: &Path, error: impl fmt::Display) -> Problem {
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
        }
    }
}

/// An `--explain` or `--rejects` file. A failed write is reported at once,
/// naming the file, and the file is given up (later writes are dropped);
/// the run goes on, and [`ReportFile::finish`] counts the problem.
pub struct ReportFile {
    path: PathBuf,
    what: &'static str,
    out: Option<BufWriter<File>>,
    failed: bool,
}

impl ReportFile {
    /// Creates the file; `Err` is the message of why it cannot be.
    pub fn create(path: &Path, what: &'static str) -> Result<ReportFile, String> {
        let file = File::create(path)
            .map_err(|e| format!("{}: cannot create the {what} file: {e}", path.display()))?;
        Ok(ReportFile {
            path: path.to_path_buf(),
            what,
            out: Some(BufWriter::new(file)),
            failed: false,
        })
    }

    fn give_up(&mut self, e: &io::Error) {
        self.out = None;
        self.failed = true;
        messages::error(Problem::unwritable(
            &self.path,
            format!("the {} file: {e}", self.what),
        ));
    }

    /// Flushes the file, and counts a failure in `stats`.
    fn finish(&mut self, stats: &mut Stats) {
        if let Some(out) = self.out.as_mut()
            && let Err(e) = out.flush()
        {
            self.give_up(&e);
        }
        if self.failed {
            stats.problem("unwritable");
        }
    }
}

impl Write for ReportFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(out) = self.out.as_mut()
            && let Err(e) = out.write_all(buf)
        {
            self.give_up(&e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where a document's clean text goes.
enum Dest {
    Stdout,
    File(PathBuf),
}

/// One document or shard to clean.
struct Job {
    src: PathBuf,
    dest: Dest,
    format: Format,
}

/// What cleaning one text document produced, for the serial printers.
struct Done {
    text: Option<String>,
    explain: Vec<u8>,
    stats: Stats,
    problems: Vec<Problem>,
    /// The document, offered to the `--report` sample.
    report: Option<ReportSample<HeldDoc>>,
}

/// What happened to one shard, for the run's totals.
#[derive(Default)]
struct ShardOutcome {
    stats: Stats,
    /// The `--report` sample of the shard.
    sample: Option<ReportSample<HeldDoc>>,
    /// Stopped at a bad record (`--on-error fail`): no more inputs are read.
    stopped: bool,
}

/// A shard cleaned on a thread of its own, with its reports waiting.
struct ShardDone {
    outcome: ShardOutcome,
    explain: Option<SpooledTempFile>,
    rejects: Option<SpooledTempFile>,
}

/// What every shard needs, shared by the threads that clean shards.
#[derive(Clone, Copy)]
struct ShardContext<'env> {
    settings: &'env corpus::Settings<'env>,
    progress: &'env Progress,
    text_field: &'env str,
}

/// The state of a run: where things go and what happened so far.
struct Runner<'scope, 'env, W: Write> {
    scope: &'scope Scope<'scope, 'env>,
    cleaner: &'env Cleaner<'env>,
    shard: ShardContext<'env>,
    explain_out: Option<ReportFile>,
    rejects_out: Option<ReportFile>,
    stdout: W,
    stats: Stats,
    chunk: Vec<Job>,
    /// JSONL shards being cleaned, oldest first. A finished shard waits
    /// here until the ones before it are committed.
    shards: VecDeque<ScopedJoinHandle<'scope, ShardDone>>,
    /// Shards cleaned at the same time, at most.
    parallel_shards: usize,
    /// Each shard thread sends one message here when it is done.
    shard_done: (Sender<()>, Receiver<()>),
    /// Started shards that have not said they are done.
    unfinished: usize,
    /// A bad record with `--on-error fail`: no more inputs are read.
    stopped: bool,
    /// The `--report` sample of everything cleaned so far.
    report: Option<ReportSample<HeldDoc>>,
}

/// The report files of a run.
#[derive(Default)]
pub struct Reports {
    pub explain: Option<ReportFile>,
    pub rejects: Option<ReportFile>,
}

/// Runs the plan. Returns the run's statistics and its `--report` sample,
/// or the error that ended it (a failed write to stdout).
pub fn execute(
    config: &Config,
    reports: Reports,
    progress: &Progress,
) -> io::Result<(Stats, Option<ReportSample<HeldDoc>>)> {
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
    };
    let stdout = io::stdout();
    std::thread::scope(|scope| {
        let mut runner = Runner {
            scope,
            cleaner: &cleaner,
            shard,
            explain_out: reports.explain,
            rejects_out: reports.rejects,
            stdout: BufWriter::new(stdout.lock()),
            stats: Stats::default(),
            chunk: Vec::with_capacity(CHUNK),
            shards: VecDeque::new(),
            parallel_shards: config.parallel_shards,
            shard_done: channel(),
            unfinished: 0,
            stopped: false,
            report: cutoffs.as_ref().map(|c| ReportSample::new(c.size())),
        };
        let result = runner.run_plan(config);
        // Whatever happened, running shards finish and are counted.
        runner.drain_shards();
        result.map(|()| (runner.stats, runner.report))
    })
}

impl<'scope, 'env, W: Write> Runner<'scope, 'env, W> {
    /// Feeds every input of the plan to [`Runner::add`], then finishes.
    fn run_plan(&mut self, config: &Config) -> io::Result<()> {
        for target in &config.plan {
            match target {
                Target::One { src, dest } => {
                    let format = config.format.unwrap_or(if src.as_os_str() == "-" {
                        Format::Text
                    } else {
                        Format::from_path(src)
                    });
                    let dest = match dest {
                        Some(p) => Dest::File(p.clone()),
                        None => Dest::Stdout,
                    };
                    let job = Job {
                        src: src.clone(),
                        dest,
                        format,
                    };
                    self.add(job, config.resume)?;
                }
                Target::Tree { src, out } => {
                    self.add_tree(src, out, config.format, &config.filter, config.resume)?;
                }
                Target::Missing(path) => {
                    Problem::Missing(path.clone()).report(&mut self.stats);
                }
            }
            if self.stopped {
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
                    };
                    self.add(job, resume)?;
                }
                Err(e) => Problem::Unreadable {
                    path: src.display().to_string(),
                    error: e.to_string(),
                }
                .report(&mut self.stats),
            }
            if self.stopped {
                break;
            }
        }
        for note in files.notes() {
            if note.is_error() {
                self.stats.problem("no-documents");
                messages::error(note);
            } else {
                messages::warning(note);
            }
        }
        Ok(())
    }

    /// Takes one job: text documents wait for a chunk; a JSONL shard starts
    /// on a thread of its own when fewer than `parallel_shards` are running
    /// (after the text documents before it, to keep the reports in order),
    /// or runs here when it writes to stdout or shards run one at a time.
    fn add(&mut self, job: Job, resume: bool) -> io::Result<()> {
        if resume
            && let Dest::File(path) = &job.dest
            && path.exists()
        {
            self.stats.skipped_existing += 1;
            return Ok(());
        }
        match job.format {
            Format::Text => {
                self.chunk.push(job);
                if self.chunk.len() >= CHUNK {
                    self.flush_text()?;
                }
            }
            Format::Jsonl | Format::Parquet => {
                self.flush_text()?;
                if self.parallel_shards <= 1 || matches!(job.dest, Dest::Stdout) {
                    self.drain_shards();
                    let outcome = clean_one_shard(
                        &job,
                        self.shard,
                        Some(&mut self.stdout),
                        self.explain_out.as_mut().map(|w| w as &mut dyn Write),
                        self.rejects_out.as_mut().map(|w| w as &mut dyn Write),
                    )?;
                    self.absorb(outcome);
                } else {
                    self.start_shard(job);
                }
            }
        }
        Ok(())
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
        let (want_explain, want_rejects) = (self.explain_out.is_some(), self.rejects_out.is_some());
        let done = self.shard_done.0.clone();
        self.unfinished += 1;
        self.shards.push_back(self.scope.spawn(move || {
            let mut explain = want_explain.then(|| SpooledTempFile::new(SPILL_IN_MEMORY));
            let mut rejects = want_rejects.then(|| SpooledTempFile::new(SPILL_IN_MEMORY));
            let outcome = clean_one_shard(
                &job,
                ctx,
                None,
                explain.as_mut().map(|w| w as &mut dyn Write),
                rejects.as_mut().map(|w| w as &mut dyn Write),
            )
            // Only writes to stdout can fail here, and these shards write
            // to files.
            .unwrap_or_default();
            let _ = done.send(());
            ShardDone {
                outcome,
                explain,
                rejects,
            }
        }));
    }

    /// Commits the finished shards at the front of the queue.
    fn commit_finished(&mut self) {
        while self.shards.front().is_some_and(|h| h.is_finished()) {
            if let Some(h) = self.shards.pop_front() {
                self.commit(h);
            }
        }
    }

    /// Waits for every running shard and commits them in order.
    fn drain_shards(&mut self) {
        while let Some(h) = self.shards.pop_front() {
            self.commit(h);
        }
        while self.unfinished > 0 {
            let _ = self.shard_done.1.recv();
            self.unfinished -= 1;
        }
    }

    fn commit(&mut self, handle: ScopedJoinHandle<'scope, ShardDone>) {
        let done = match handle.join() {
            Ok(d) => d,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        for (spill, report) in [
            (done.explain, self.explain_out.as_mut()),
            (done.rejects, self.rejects_out.as_mut()),
        ] {
            if let (Some(mut spill), Some(report)) = (spill, report) {
                let copied = spill
                    .seek(SeekFrom::Start(0))
                    .and_then(|_| io::copy(&mut spill, report));
                if let Err(e) = copied {
                    // Reading the spill file back failed; the report is
                    // incomplete from here.
                    report.give_up(&e);
                }
            }
        }
        self.absorb(done.outcome);
    }

    fn absorb(&mut self, outcome: ShardOutcome) {
        self.stopped |= outcome.stopped;
        if outcome.stopped {
            self.stats.problem(STOPPED_AT_BAD_RECORD);
        }
        self.stats.merge(outcome.stats);
        self.merge_sample(outcome.sample);
    }

    /// Adds a sample of some documents to the run's.
    fn merge_sample(&mut self, sample: Option<ReportSample<HeldDoc>>) {
        if let (Some(all), Some(sample), Some(cutoffs)) =
            (self.report.as_mut(), sample, self.shard.settings.report)
        {
            all.merge(sample);
            cutoffs.lower(all);
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush_text()?;
        self.drain_shards();
        self.stdout.flush()?;
        for report in [self.explain_out.as_mut(), self.rejects_out.as_mut()]
            .into_iter()
            .flatten()
        {
            report.finish(&mut self.stats);
        }
        Ok(())
    }

    fn flush_text(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        // Reports of the shards before these documents come first.
        self.drain_shards();
        let (cleaner, want_explain) = (self.cleaner, self.explain_out.is_some());
        let cutoffs = self.shard.settings.report;
        let done: Vec<Done> = self
            .chunk
            .par_iter()
            .map(|job| clean_text(job, cleaner, want_explain, cutoffs))
            .collect();
        self.chunk.clear();
        for d in done {
            for p in d.problems {
                p.report(&mut self.stats);
            }
            if let Some(t) = &d.text {
                self.stdout.write_all(t.as_bytes())?;
            }
            if let Some(report) = self.explain_out.as_mut() {
                // A report file never fails a write: it reports and gives up.
                let _ = report.write_all(&d.explain);
            }
            self.shard.progress.add(d.stats.bytes_in, 1);
            self.stats.merge(d.stats);
            self.merge_sample(d.report);
        }
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

/// Cleans one text document into its file (or, for stdout, into `text`),
/// and offers it to the report within `cutoffs`.
fn clean_text(job: &Job, cleaner: &Cleaner, want_explain: bool, cutoffs: Option<&Cutoffs>) -> Done {
    let name = display_name(&job.src);
    let mut done = Done {
        text: None,
        explain: Vec::new(),
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
    if let (Some(c), Some(decisions)) = (cutoffs, cleaned.cleaned) {
        let mut sample = ReportSample::new(c.size());
        sample.record(name, decisions, cleaner.rules(), Some(c));
        done.report = Some(sample);
    }
    match &job.dest {
        Dest::Stdout => done.text = Some(out),
        Dest::File(path) => {
            if let Err(e) = write_atomic(path, out.as_bytes()) {
                done.problems.push(Problem::unwritable(path, e));
            }
        }
    }
    done
}

/// The words of a shard's notice on the command line: its flags named.
fn notice_message(n: &Notice, ctx: ShardContext, rejects: bool) -> String {
    let settings = ctx.settings;
    let action = if settings.on_error == OnError::Fail {
        "stopping (--on-error fail)"
    } else if rejects {
        "skipped, copied to the rejects file"
    } else {
        "skipped"
    };
    match &n.kind {
        NoticeKind::EmptyText => {
            format!("empty \"{}\"; passed through unchanged", ctx.text_field)
        }
        NoticeKind::Rejected(e @ RecordError::MissingText(_)) => {
            format!("{e} (choose the field with --text-field); {action}")
        }
        NoticeKind::Rejected(RecordError::TooLarge(bytes)) => format!(
            "record of {bytes} bytes or more, over --max-record-bytes ({} bytes); {action}",
            settings.limits.max_record_bytes
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

/// Cleans one shard, JSONL or Parquet, as its job says.
fn clean_one_shard(
    job: &Job,
    ctx: ShardContext,
    stdout: Option<&mut dyn Write>,
    explain: Option<&mut dyn Write>,
    rejects: Option<&mut dyn Write>,
) -> io::Result<ShardOutcome> {
    match job.format {
        Format::Parquet => parquet::clean_parquet(job, ctx, stdout, explain, rejects),
        _ => clean_jsonl(job, ctx, stdout, explain, rejects),
    }
}

/// Cleans one JSONL shard into its output file (or `stdout` when the job
/// says so). Problems with the shard are reported and counted in the
/// outcome; the error is for writing stdout, which ends the run.
fn clean_jsonl(
    job: &Job,
    ctx: ShardContext,
    stdout: Option<&mut dyn Write>,
    explain: Option<&mut dyn Write>,
    rejects: Option<&mut dyn Write>,
) -> io::Result<ShardOutcome> {
    let mut outcome = ShardOutcome::default();
    let name = display_name(&job.src);
    let input = if job.src == Path::new("-") {
        compress::sniffing_reader(io::stdin())
    } else {
        File::open(&job.src).and_then(|f| compress::reader(f, Compression::from_path(&job.src)))
    };
    let input = match input {
        Ok(i) => i,
        Err(e) => {
            Problem::Unreadable {
                path: name,
                error: e.to_string(),
            }
            .report(&mut outcome.stats);
            return Ok(outcome);
        }
    };
    let mut file_out = match &job.dest {
        Dest::Stdout => None,
        Dest::File(path) => {
            match AtomicFile::create(path)
                .and_then(|f| compress::Encoder::new(f, Compression::from_path(path)))
            {
                Ok(f) => Some(f),
                Err(e) => {
                    Problem::unwritable(path, e).report(&mut outcome.stats);
                    return Ok(outcome);
                }
            }
        }
    };
    let mut stdout = stdout;
    let out: &mut dyn Write = match (file_out.as_mut(), stdout.as_mut()) {
        (Some(f), _) => f,
        (None, Some(w)) => w,
        (None, None) => return Err(io::Error::other("a shard for stdout needs stdout")),
    };
    let has_rejects = rejects.is_some();
    // The sinks are borrowed for this call only: `&mut &mut dyn Write` is a
    // writer of its own.
    let (mut explain, mut rejects) = (explain, rejects);
    let mut shown = 0u64;
    let mut hidden = 0u64;
    let mut notice = |n: Notice| {
        if shown >= NOTICES_PER_SHARD {
            hidden += 1;
            return;
        }
        shown += 1;
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
            NoticeKind::EmptyText => messages::warning(msg),
            NoticeKind::Rejected(_) => messages::bad_record(msg),
            NoticeKind::Unreadable { .. } => messages::error(msg),
        }
    };
    let mut on_batch = |bytes, docs| ctx.progress.add(bytes, docs);
    let result = clean_shard(
        input,
        &name,
        ctx.settings,
        corpus::Sinks {
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
            // Dropped uncommitted: the temporary file is removed.
            return Ok(outcome);
        }
        if let Err(e) = f.finish().and_then(AtomicFile::commit) {
            Problem::unwritable(path, e).report(&mut outcome.stats);
        }
    }
    Ok(outcome)
}
