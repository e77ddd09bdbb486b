//! `sapu clean`: plan inputs and outputs, clean in parallel, print.
//!
//! Text documents are cleaned in chunks of files on the rayon pool. Each
//! JSONL shard goes through [`sapu::corpus::clean_shard`], which keeps every
//! core busy within a shard (reader → a batch per rayon task → ordered
//! writer, several batches in flight); several
//! shards run at once (`--parallel-shards`), so that the serial stages of
//! one shard (decompressing, splitting, compressing, writing) do not bound
//! the run. Memory is bounded by the pipelines in flight, and the
//! `--explain`/`--rejects` records of a shard wait in a spill file until the
//! shards before it are done, so both files keep input order.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tempfile::SpooledTempFile;

use sapu::corpus::{
    self, Compression, Fields, Format, Limits, Notice, OnError, Severity, clean_shard, compress,
};
use sapu::input::{AtomicFile, FileFilter, read_document, resolve, walk, write_atomic};
use sapu::output::report::{self, Cutoffs, HeldDoc, ReportSample};
use sapu::output::{explain, stats::Stats, text};
use sapu::{CleanOptions, Cleaner, RuleSet};

use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, RuleArgs, parse_share};

#[derive(Args)]
pub struct CleanArgs {
    /// Files, directories (walked recursively) or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output file (one input) or directory (a directory input, or several
    /// inputs). Without it, clean text goes to stdout.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Which files of a directory are documents (glob on the relative path;
    /// repeatable). Default: *.txt, or the JSONL names (*.jsonl, *.json,
    /// *.ndjson, each also .gz and .zst) with --format jsonl.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// How inputs are read. Default: by name (.jsonl, .json, .ndjson,
    /// optionally .gz or .zst, are JSONL; anything else is text); stdin is
    /// text unless --format jsonl.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// JSONL: the field holding the document text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// JSONL: the field naming a record in messages and --explain
    /// (FILE:ID; FILE:LINE when a record has none).
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// JSONL: add "sapu": {"dropped_lines", "dropped_chars", "rules"[,
    /// "flagged"]} to every cleaned record.
    #[arg(long)]
    annotate: bool,
    /// JSONL: copy bad lines here, verbatim, one per line.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// JSONL: on a bad line, report it and go on (skip) or stop the run (fail).
    #[arg(long, value_enum, default_value = "skip")]
    on_error: OnErrorArg,
    /// JSONL: lines longer than this are bad records (suffixes K, M, G).
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    max_record_bytes: usize,
    /// Leave outputs that exist already alone (they are complete: outputs
    /// appear under their name only when finished).
    #[arg(long)]
    resume: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// JSONL: shards cleaned at the same time, all on the same worker
    /// threads (default: half the threads, at least 2, at most 16; 1 with
    /// --on-error fail). Each adds a reader and a writer thread and its
    /// batches in flight.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    parallel_shards: Option<u64>,
    /// Write one JSON record per dropped or rewritten line to FILE.
    #[arg(long, value_name = "FILE")]
    explain: Option<PathBuf>,
    /// Write the run statistics as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    #[command(flatten)]
    report: super::report::ReportArgs,
    /// Flag documents that would lose more than this share of their text.
    #[arg(long, value_name = "SHARE", default_value = "0.6", value_parser = parse_share)]
    flag_removed: f64,
    /// Leave documents that would lose more than this share normalized but
    /// uncut.
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    max_removed: Option<f64>,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// JSONL: read, parse and write every record with its text unchanged,
    /// without cleaning (the I/O floor the benchmark measures).
    #[arg(long, hide = true)]
    no_clean: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OnErrorArg {
    Skip,
    Fail,
}

/// Parses a byte count with an optional K, M or G suffix (powers of 1024).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], t[i..].trim_start()),
        None => (t, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => {
            return Err(format!(
                "`{s}` is not a size; give bytes such as 1048576 or 64M"
            ));
        }
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size; give bytes such as 1048576 or 64M"))?;
    match n.checked_shl(shift).filter(|v| v >> shift == n) {
        Some(0) | None => Err(format!("`{s}`: give a size of 1 byte or more")),
        Some(v) => Ok(v),
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

/// What cleaning one document produced, for the serial printers.
struct Done {
    text: Option<String>,
    explain: Vec<u8>,
    stats: Stats,
    messages: Vec<String>,
    failed: bool,
    report: Option<ReportSample<HeldDoc>>,
}

/// Text documents processed together; bounds memory on huge trees.
const CHUNK: usize = 512;

/// JSONL batches: this many input bytes or lines, whichever comes first.
/// A batch is cleaned by one worker; small batches keep the workers busy
/// to the end of a shard, large ones cost less to hand around.
const BATCH_BYTES: usize = 1 << 20;
const BATCH_LINES: usize = 4096;
/// Smaller batches than this are not worth handing to a worker.
const MIN_BATCH_BYTES: usize = 128 << 10;
/// Input bytes in flight in all the shards of a run, at most (unless
/// batches would get smaller than [`MIN_BATCH_BYTES`]).
const IN_FLIGHT_BYTES: usize = 64 << 20;

/// Pieces in flight per shard and the batch size, for `threads` workers
/// and `shards` shards at a time: two batches per worker (one cleaned,
/// one waiting to be written) and two more (one being read, one being
/// written), in batches that keep all shards within [`IN_FLIGHT_BYTES`].
fn in_flight(threads: usize, shards: usize) -> (usize, usize) {
    let pieces = 2 * threads + 2;
    let batch = (IN_FLIGHT_BYTES / (pieces * shards)).clamp(MIN_BATCH_BYTES, BATCH_BYTES);
    (pieces, batch)
}

/// Problems printed per shard; the rest are counted in the summary.
const NOTICES_PER_SHARD: u64 = 50;

pub fn run(args: CleanArgs) -> i32 {
    let started = Instant::now();
    // Nothing is cleaned with --no-clean: the default rules are not
    // compiled, so that the I/O floor is reading, parsing and writing
    // alone (rule files given are still checked).
    let rule_args = if args.no_clean {
        RuleArgs {
            no_default_rules: true,
            disable: Vec::new(),
            ..args.rules.clone()
        }
    } else {
        args.rules.clone()
    };
    let Some(rules) = rule_args.compile() else {
        return EXIT_USAGE;
    };
    if let Some(n) = args.threads {
        if n == 0 {
            eprintln!("sapu: error: -j takes a number of threads of 1 or more");
            return EXIT_USAGE;
        }
        // Fails only if a pool exists already, which it cannot here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let format = args.format.map(Format::from);
    let globs = if !args.globs.is_empty() {
        args.globs.clone()
    } else if format == Some(Format::Jsonl) {
        corpus::format::jsonl_globs()
    } else {
        vec!["*.txt".to_string()]
    };
    let filter = match FileFilter::new(&globs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("sapu: error: --glob: {e}");
            return EXIT_USAGE;
        }
    };
    let plan = match plan(&args) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("sapu: error: {msg}");
            return EXIT_USAGE;
        }
    };
    let explain_out = match create_report_file(args.explain.as_deref(), "explain") {
        Ok(f) => f,
        Err(code) => return code,
    };
    let rejects_out = match create_report_file(args.rejects.as_deref(), "rejects") {
        Ok(f) => f,
        Err(code) => return code,
    };
    let options = CleanOptions {
        flag_removed: args.flag_removed,
        max_removed: args.max_removed,
    };
    let cleaner = Cleaner::new(&rules, options);
    let fields = Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
    };
    let threads = args.threads.unwrap_or_else(rayon::current_num_threads);
    let parallel_shards = if args.on_error == OnErrorArg::Fail {
        // Stop at the first bad record, in input order.
        1
    } else {
        args.parallel_shards
            .map_or_else(|| default_parallel_shards(threads), |n| n as usize)
    };
    let (pieces, batch_bytes) = in_flight(threads, parallel_shards);
    let cutoffs = args.report.size().map(|size| report::cutoffs(size, &rules));
    let settings = corpus::Settings {
        cleaner: &cleaner,
        rules: &rules,
        fields: &fields,
        annotate: args.annotate,
        explain: explain_out.is_some(),
        report: cutoffs.as_ref(),
        passthrough: args.no_clean,
        on_error: match args.on_error {
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Fail => OnError::Fail,
        },
        limits: Limits {
            batch_bytes,
            batch_lines: BATCH_LINES,
            max_record_bytes: args.max_record_bytes,
            in_flight: pieces,
        },
    };
    let progress = Progress::new(args.quiet);
    let shard = ShardContext {
        settings: &settings,
        progress: &progress,
    };
    let stdout = io::stdout();
    let (io_result, stats, failed, report) = std::thread::scope(|scope| {
        let mut runner = Runner {
            scope,
            cleaner: &cleaner,
            rules: &rules,
            shard,
            explain_out,
            rejects_out,
            stdout: BufWriter::new(stdout.lock()),
            stats: Stats::default(),
            chunk: Vec::with_capacity(CHUNK),
            shards: VecDeque::new(),
            parallel_shards,
            shard_done: channel(),
            unfinished: 0,
            failed: false,
            stopped: false,
            report: cutoffs.as_ref().map(|c| ReportSample::new(c.size())),
        };
        let io_result = runner.run_plan(&plan, format, &filter, args.resume);
        // Whatever happened, running shards finish and are counted.
        runner.drain_shards();
        (io_result, runner.stats, runner.failed, runner.report)
    });
    progress.bar.finish_and_clear();
    let mut stats = stats;
    let mut failed = failed;
    if let Err(e) = io_result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return EXIT_OK;
        }
        eprintln!("sapu: error: {e}");
        return EXIT_FAILED;
    }
    if let Some(path) = &args.stats {
        let json = serde_json::to_vec_pretty(&stats).unwrap_or_default();
        if let Err(e) = write_atomic(path, &json) {
            eprintln!(
                "sapu: error: {}: cannot write statistics: {e}",
                path.display()
            );
            failed = true;
            stats.problem("unwritable");
        }
    }
    if let (Some(path), Some(sample)) = (&args.report.report, report)
        && !super::report::write_clean(
            path,
            sample,
            &rules,
            &args.inputs,
            args.flag_removed,
            args.quiet,
        )
    {
        failed = true;
        stats.problem("unwritable");
    }
    if !args.quiet {
        eprint!("{}", stats.summary(started.elapsed()));
    }
    if failed {
        EXIT_FAILED
    } else if stats.records_rejected > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    }
}

/// Shards in flight by default: enough that the serial stages of one shard
/// (reading, decompressing, compressing, writing) never starve the workers,
/// few enough to keep memory small.
fn default_parallel_shards(threads: usize) -> usize {
    (threads / 2).clamp(2, 16)
}

/// Creates the `--explain` or `--rejects` file; `Err` is the exit code.
fn create_report_file(path: Option<&Path>, what: &str) -> Result<Option<BufWriter<File>>, i32> {
    let Some(path) = path else {
        return Ok(None);
    };
    match File::create(path) {
        Ok(f) => Ok(Some(BufWriter::new(f))),
        Err(e) => {
            eprintln!(
                "sapu: error: {}: cannot create the {what} file: {e}",
                path.display()
            );
            Err(EXIT_USAGE)
        }
    }
}

/// Documents and bytes per second on stderr, when it is a terminal. Shared
/// by the shards cleaned at the same time.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    docs: AtomicU64,
    bytes: AtomicU64,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            // Keeps the spinner and the clock moving between batches.
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            bar
        };
        Progress {
            bar,
            started: Instant::now(),
            docs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    fn add(&self, bytes: u64, docs: u64) {
        let docs = self.docs.fetch_add(docs, Ordering::Relaxed) + docs;
        let bytes = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let mb = bytes as f64 / 1e6;
        self.bar.set_message(format!(
            "{docs} documents ({:.0}/s), {mb:.1} MB ({:.1} MB/s)",
            docs as f64 / secs,
            mb / secs
        ));
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }
}

/// Reports of a shard cleaned on a thread of its own: its `--explain` and
/// `--rejects` records wait in spill files (in memory up to a size, then on
/// disk) until the shards before it are done, so both files stay in input
/// order whatever finishes first.
struct ShardDone {
    outcome: ShardOutcome,
    explain: Option<SpooledTempFile>,
    rejects: Option<SpooledTempFile>,
}

/// Spill files keep this much in memory before moving to disk.
const SPILL_IN_MEMORY: usize = 4 << 20;

/// What happened to one shard, for the run's totals.
#[derive(Default)]
struct ShardOutcome {
    stats: Stats,
    failed: bool,
    stopped: bool,
    sample: Option<ReportSample<HeldDoc>>,
}

/// Settings a shard needs, shared by the threads that clean shards.
#[derive(Clone, Copy)]
struct ShardContext<'env> {
    settings: &'env corpus::Settings<'env>,
    progress: &'env Progress,
}

/// The state of a run: where things go and what happened so far.
struct Runner<'scope, 'env, W: Write> {
    scope: &'scope Scope<'scope, 'env>,
    cleaner: &'env Cleaner<'env>,
    rules: &'env RuleSet,
    shard: ShardContext<'env>,
    explain_out: Option<BufWriter<File>>,
    rejects_out: Option<BufWriter<File>>,
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
    failed: bool,
    /// A bad record with `--on-error fail`: no more inputs are read.
    stopped: bool,
    /// The `--report` sample of everything cleaned so far.
    report: Option<ReportSample<HeldDoc>>,
}

impl<'scope, 'env, W: Write> Runner<'scope, 'env, W> {
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
                Ok(())
            }
            Format::Jsonl => {
                self.flush_text()?;
                if self.parallel_shards <= 1 || matches!(job.dest, Dest::Stdout) {
                    self.drain_shards();
                    let outcome = clean_jsonl(
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
                Ok(())
            }
        }
    }

    /// Feeds every input of the plan to [`Runner::add`], then finishes.
    fn run_plan(
        &mut self,
        plan: &[Target],
        format: Option<Format>,
        filter: &FileFilter,
        resume: bool,
    ) -> io::Result<()> {
        let mut io_result = Ok(());
        'inputs: for target in plan {
            match target {
                Target::One { src, dest } => {
                    let format = format.unwrap_or(if src.as_os_str() == "-" {
                        Format::Text
                    } else {
                        Format::from_path(src)
                    });
                    let dest = match dest {
                        Some(p) => Dest::File(p.clone()),
                        None => Dest::Stdout,
                    };
                    io_result = self.add(
                        Job {
                            src: src.clone(),
                            dest,
                            format,
                        },
                        resume,
                    );
                }
                Target::Tree { src, out } => {
                    for rel in walk(src, filter) {
                        match rel {
                            Ok(rel) => {
                                let format = format.unwrap_or(Format::from_path(&rel));
                                io_result = self.add(
                                    Job {
                                        src: src.join(&rel),
                                        dest: Dest::File(out.join(&rel)),
                                        format,
                                    },
                                    resume,
                                );
                            }
                            Err(e) => {
                                self.shard
                                    .progress
                                    .suspend(|| eprintln!("sapu: error: {}: {e}", src.display()));
                                self.stats.problem("unreadable");
                                self.failed = true;
                            }
                        }
                        if io_result.is_err() || self.stopped {
                            break 'inputs;
                        }
                    }
                }
                Target::Missing(path) => {
                    self.shard.progress.suspend(|| {
                        eprintln!("sapu: error: {}: no such file or directory", path.display())
                    });
                    self.stats.problem("missing-input");
                    self.failed = true;
                }
            }
            if io_result.is_err() || self.stopped {
                break;
            }
        }
        if io_result.is_ok() {
            io_result = self.finish();
        }
        io_result
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
            let outcome = clean_jsonl(
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
        for (spill, out, what) in [
            (done.explain, self.explain_out.as_mut(), "explain"),
            (done.rejects, self.rejects_out.as_mut(), "rejects"),
        ] {
            if let (Some(mut spill), Some(out)) = (spill, out)
                && let Err(e) = spill
                    .seek(SeekFrom::Start(0))
                    .and_then(|_| io::copy(&mut spill, out))
            {
                self.shard
                    .progress
                    .suspend(|| eprintln!("sapu: error: cannot write the {what} file: {e}"));
                self.stats.problem("unwritable");
                self.failed = true;
            }
        }
        self.absorb(done.outcome);
    }

    fn absorb(&mut self, outcome: ShardOutcome) {
        self.failed |= outcome.failed;
        self.stopped |= outcome.stopped;
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
        if let Some(w) = self.explain_out.as_mut() {
            w.flush()?;
        }
        if let Some(w) = self.rejects_out.as_mut() {
            w.flush()?;
        }
        Ok(())
    }

    fn flush_text(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        // Reports of the shards before these documents come first.
        self.drain_shards();
        let (cleaner, rules, want_explain) = (self.cleaner, self.rules, self.explain_out.is_some());
        let cutoffs = self.shard.settings.report;
        let done: Vec<Done> = self
            .chunk
            .par_iter()
            .map(|job| process(job, cleaner, rules, want_explain, cutoffs))
            .collect();
        self.chunk.clear();
        for d in done {
            for m in &d.messages {
                self.shard.progress.suspend(|| eprintln!("sapu: {m}"));
            }
            if let Some(t) = &d.text {
                self.stdout.write_all(t.as_bytes())?;
            }
            if let Some(w) = self.explain_out.as_mut() {
                w.write_all(&d.explain)?;
            }
            self.shard.progress.add(d.stats.bytes_in, 1);
            self.failed |= d.failed;
            self.stats.merge(d.stats);
            self.merge_sample(d.report);
        }
        Ok(())
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
    let ShardContext { settings, progress } = ctx;
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
            progress.suspend(|| eprintln!("sapu: error: {name}: cannot read: {e}"));
            outcome.stats.problem("unreadable");
            outcome.failed = true;
            return Ok(outcome);
        }
    };
    let mut file_out = match &job.dest {
        Dest::Stdout => None,
        Dest::File(path) => {
            match AtomicFile::create(path)
                .and_then(|f| corpus::compress::Encoder::new(f, Compression::from_path(path)))
            {
                Ok(f) => Some(f),
                Err(e) => {
                    progress.suspend(|| {
                        eprintln!("sapu: error: {}: cannot write: {e}", path.display())
                    });
                    outcome.stats.problem("unwritable");
                    outcome.failed = true;
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
        let level = match n.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let id = n.id.map(|id| format!(" (id {id})")).unwrap_or_default();
        progress.suspend(|| eprintln!("sapu: {level}: {name}:{}{id}: {}", n.line, n.message));
    };
    let mut on_batch = |bytes, docs| progress.add(bytes, docs);
    let result = clean_shard(
        input,
        &name,
        settings,
        corpus::Sinks {
            out,
            explain: explain.as_mut().map(|w| w as &mut dyn Write),
            rejects: rejects.as_mut().map(|w| w as &mut dyn Write),
            notice: &mut notice,
            progress: &mut on_batch,
        },
    );
    if hidden > 0 {
        progress.suspend(|| {
            eprintln!("sapu: {name}: {hidden} more problems not shown (counted in the summary and --stats)")
        });
    }
    let report = match result {
        Ok(r) => r,
        Err(e) if matches!(job.dest, Dest::Stdout) && e.kind() == io::ErrorKind::BrokenPipe => {
            return Err(e);
        }
        Err(e) => {
            let target = match &job.dest {
                Dest::File(p) => p.display().to_string(),
                Dest::Stdout => "<stdout>".into(),
            };
            progress.suspend(|| eprintln!("sapu: error: {name} -> {target}: {e}"));
            outcome.stats.problem("unwritable");
            outcome.failed = true;
            // Dropping the unfinished output removes its temporary file.
            return Ok(outcome);
        }
    };
    outcome.failed |= report.read_failed;
    outcome.stopped |= report.stopped;
    outcome.stats.merge(report.stats);
    outcome.sample = report.sample;
    if let (Some(f), Dest::File(path)) = (file_out, &job.dest) {
        if report.stopped {
            progress.suspend(|| {
                eprintln!(
                    "sapu: {}: not written (stopped at a bad record)",
                    path.display()
                )
            });
            // Dropped uncommitted: the temporary file is removed.
            return Ok(outcome);
        }
        if let Err(e) = f.finish().and_then(AtomicFile::commit) {
            progress.suspend(|| eprintln!("sapu: error: {}: cannot write: {e}", path.display()));
            outcome.stats.problem("unwritable");
            outcome.failed = true;
        }
    }
    Ok(outcome)
}

fn display_name(src: &Path) -> String {
    if src == Path::new("-") {
        "<stdin>".to_string()
    } else {
        src.display().to_string()
    }
}

fn process(
    job: &Job,
    cleaner: &Cleaner,
    rules: &RuleSet,
    want_explain: bool,
    cutoffs: Option<&Cutoffs>,
) -> Done {
    let name = display_name(&job.src);
    let mut done = Done {
        text: None,
        explain: Vec::new(),
        stats: Stats::default(),
        messages: Vec::new(),
        failed: false,
        report: None,
    };
    let doc = match read_document(&job.src) {
        Ok(d) => d,
        Err(e) => {
            let binary = matches!(e, sapu::input::ReadError::Binary(_));
            done.messages.push(format!(
                "{}{name}: {e}",
                if binary { "warning: " } else { "error: " }
            ));
            done.stats.problem(e.kind());
            done.failed = !binary;
            return done;
        }
    };
    if doc.replaced_bytes > 0 {
        done.messages.push(format!(
            "warning: {name}: invalid UTF-8, {} byte(s) replaced with U+FFFD",
            doc.replaced_bytes
        ));
        done.stats.problem("invalid-utf8");
    }
    let cleaned = cleaner.clean(&doc.text);
    let out = text::render(&cleaned);
    done.stats.record(&cleaned, rules, doc.bytes, out.len());
    if want_explain {
        explain::write_records(&name, &cleaned, rules, &mut done.explain);
    }
    match &job.dest {
        Dest::Stdout => done.text = Some(out),
        Dest::File(path) => {
            if let Err(e) = write_atomic(path, out.as_bytes()) {
                done.messages
                    .push(format!("error: {}: cannot write: {e}", path.display()));
                done.stats.problem("unwritable");
                done.failed = true;
            }
        }
    }
    done.report = cutoffs.map(|c| {
        let mut s = ReportSample::new(c.size());
        s.record(name, cleaned, rules, Some(c));
        s
    });
    done
}

/// What to do with one command-line input.
enum Target {
    /// A file or stdin, to `dest` (stdout when `None`).
    One { src: PathBuf, dest: Option<PathBuf> },
    /// A directory mirrored into `out`.
    Tree { src: PathBuf, out: PathBuf },
    /// A path that does not exist: reported, the others still run.
    Missing(PathBuf),
}

/// Decides where every input goes, and refuses plans that would write into
/// an input.
fn plan(args: &CleanArgs) -> Result<Vec<Target>, String> {
    let stdin_count = args.inputs.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err("`-` (stdin) can be given once".into());
    }
    let several = args.inputs.len() > 1;
    let mut targets = Vec::new();
    let mut names = std::collections::HashSet::new();
    for input in &args.inputs {
        let is_stdin = input.as_os_str() == "-";
        if !is_stdin && !input.exists() {
            targets.push(Target::Missing(input.clone()));
            continue;
        }
        let is_dir = !is_stdin && input.is_dir();
        if let (Some(report), false) = (&args.report.report, is_stdin) {
            refuse_writing_into(input, report, is_dir, "--report")?;
        }
        let Some(out) = &args.output else {
            if is_dir {
                return Err(format!(
                    "{} is a directory: give -o OUT to mirror it into OUT",
                    input.display()
                ));
            }
            targets.push(Target::One {
                src: input.clone(),
                dest: None,
            });
            continue;
        };
        if !is_stdin {
            refuse_writing_into(input, out, is_dir, "-o")?;
        }
        let dest = if several {
            let name = if is_stdin {
                match args.format {
                    Some(FormatArg::Jsonl) => "stdin.jsonl".into(),
                    _ => "stdin.txt".into(),
                }
            } else {
                input
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_os_string()))
                    .unwrap_or_else(|| input.as_os_str().to_os_string())
            };
            if !names.insert(name.clone()) {
                return Err(format!(
                    "two inputs are named {}: with several inputs each goes to OUT/<its name>; rename one or run them apart",
                    Path::new(&name).display()
                ));
            }
            out.join(name)
        } else {
            out.clone()
        };
        if is_dir {
            if dest.is_file() {
                return Err(format!(
                    "{} is a file; a directory input needs an output directory",
                    dest.display()
                ));
            }
            targets.push(Target::Tree {
                src: input.clone(),
                out: dest,
            });
        } else {
            if dest.is_dir() {
                return Err(format!(
                    "{} is a directory; give a file name for the output of {}",
                    dest.display(),
                    input.display()
                ));
            }
            targets.push(Target::One {
                src: input.clone(),
                dest: Some(dest),
            });
        }
    }
    Ok(targets)
}

pub(super) fn refuse_writing_into(
    input: &Path,
    out: &Path,
    is_dir: bool,
    flag: &str,
) -> Result<(), String> {
    let (Ok(i), Ok(o)) = (resolve(input), resolve(out)) else {
        return Ok(());
    };
    if o == i || (is_dir && o.starts_with(&i)) {
        return Err(format!(
            "refusing to write {} into the input {}: sapu never writes into its input; choose another {flag}",
            out.display(),
            input.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
        assert_eq!(parse_size("3mb"), Ok(3 << 20));
        assert!(parse_size("0").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("12T").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
