//! `sapu clean`: plan inputs and outputs, clean in parallel, print.
//!
//! Text documents are cleaned in chunks of files on the rayon pool. JSONL
//! shards go one at a time through [`sapu::corpus::clean_shard`], which
//! keeps both cores busy within a shard (reader → rayon → ordered writer);
//! running shards one after the other keeps memory bounded by one
//! pipeline and the `--explain`/`--rejects` files in input order.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use sapu::corpus::{
    self, Compression, Fields, Format, Limits, Notice, OnError, Severity, clean_shard, compress,
};
use sapu::input::{AtomicFile, FileFilter, read_document, resolve, walk, write_atomic};
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
    /// Write one JSON record per dropped or rewritten line to FILE.
    #[arg(long, value_name = "FILE")]
    explain: Option<PathBuf>,
    /// Write the run statistics as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
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
}

/// Text documents processed together; bounds memory on huge trees.
const CHUNK: usize = 512;

/// JSONL batches: this many input bytes or lines, whichever comes first.
const BATCH_BYTES: usize = 8 << 20;
const BATCH_LINES: usize = 4096;

/// Problems printed per shard; the rest are counted in the summary.
const NOTICES_PER_SHARD: u64 = 50;

pub fn run(args: CleanArgs) -> i32 {
    let started = Instant::now();
    let Some(rules) = args.rules.compile() else {
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
    let settings = corpus::Settings {
        cleaner: &cleaner,
        rules: &rules,
        fields: &fields,
        annotate: args.annotate,
        explain: explain_out.is_some(),
        on_error: match args.on_error {
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Fail => OnError::Fail,
        },
        limits: Limits {
            batch_bytes: BATCH_BYTES,
            batch_lines: BATCH_LINES,
            max_record_bytes: args.max_record_bytes,
        },
    };
    let stdout = io::stdout();
    let mut runner = Runner {
        cleaner: &cleaner,
        rules: &rules,
        settings: &settings,
        explain_out,
        rejects_out,
        stdout: BufWriter::new(stdout.lock()),
        progress: Progress::new(args.quiet),
        stats: Stats::default(),
        chunk: Vec::with_capacity(CHUNK),
        failed: false,
        stopped: false,
    };

    let mut io_result = Ok(());
    'inputs: for target in &plan {
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
                io_result = runner.add(
                    Job {
                        src: src.clone(),
                        dest,
                        format,
                    },
                    args.resume,
                );
            }
            Target::Tree { src, out } => {
                for rel in walk(src, &filter) {
                    match rel {
                        Ok(rel) => {
                            let format = format.unwrap_or(Format::from_path(&rel));
                            io_result = runner.add(
                                Job {
                                    src: src.join(&rel),
                                    dest: Dest::File(out.join(&rel)),
                                    format,
                                },
                                args.resume,
                            );
                        }
                        Err(e) => {
                            runner
                                .progress
                                .suspend(|| eprintln!("sapu: error: {}: {e}", src.display()));
                            runner.stats.problem("unreadable");
                            runner.failed = true;
                        }
                    }
                    if io_result.is_err() || runner.stopped {
                        break 'inputs;
                    }
                }
            }
            Target::Missing(path) => {
                runner.progress.suspend(|| {
                    eprintln!("sapu: error: {}: no such file or directory", path.display())
                });
                runner.stats.problem("missing-input");
                runner.failed = true;
            }
        }
        if io_result.is_err() || runner.stopped {
            break;
        }
    }
    if io_result.is_ok() {
        io_result = runner.finish();
    }
    runner.progress.bar.finish_and_clear();
    let Runner {
        mut stats,
        mut failed,
        ..
    } = runner;
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

/// Documents and bytes per second on stderr, when it is a terminal.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    docs: Cell<u64>,
    bytes: Cell<u64>,
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
            docs: Cell::new(0),
            bytes: Cell::new(0),
        }
    }

    fn add(&self, bytes: u64, docs: u64) {
        self.docs.set(self.docs.get() + docs);
        self.bytes.set(self.bytes.get() + bytes);
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let mb = self.bytes.get() as f64 / 1e6;
        self.bar.set_message(format!(
            "{} documents ({:.0}/s), {mb:.1} MB ({:.1} MB/s)",
            self.docs.get(),
            self.docs.get() as f64 / secs,
            mb / secs
        ));
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }
}

/// The state of a run: where things go and what happened so far.
struct Runner<'a, W: Write> {
    cleaner: &'a Cleaner<'a>,
    rules: &'a RuleSet,
    settings: &'a corpus::Settings<'a>,
    explain_out: Option<BufWriter<File>>,
    rejects_out: Option<BufWriter<File>>,
    stdout: W,
    progress: Progress,
    stats: Stats,
    chunk: Vec<Job>,
    failed: bool,
    /// A bad record with `--on-error fail`: no more inputs are read.
    stopped: bool,
}

impl<W: Write> Runner<'_, W> {
    /// Takes one job: text documents wait for a chunk, a JSONL shard runs
    /// at once (after the text documents before it, to keep output order).
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
                self.clean_jsonl(&job)
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush_text()?;
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
        let (cleaner, rules, want_explain) = (self.cleaner, self.rules, self.explain_out.is_some());
        let done: Vec<Done> = self
            .chunk
            .par_iter()
            .map(|job| process(job, cleaner, rules, want_explain))
            .collect();
        self.chunk.clear();
        for d in done {
            for m in &d.messages {
                self.progress.suspend(|| eprintln!("sapu: {m}"));
            }
            if let Some(t) = &d.text {
                self.stdout.write_all(t.as_bytes())?;
            }
            if let Some(w) = self.explain_out.as_mut() {
                w.write_all(&d.explain)?;
            }
            self.progress.add(d.stats.bytes_in, 1);
            self.failed |= d.failed;
            self.stats.merge(d.stats);
        }
        Ok(())
    }

    /// Cleans one JSONL shard. Problems with the shard are reported and
    /// counted; the error is for writing stdout, which ends the run.
    fn clean_jsonl(&mut self, job: &Job) -> io::Result<()> {
        let name = display_name(&job.src);
        let input = if job.src == Path::new("-") {
            compress::sniffing_reader(io::stdin())
        } else {
            File::open(&job.src).and_then(|f| compress::reader(f, Compression::from_path(&job.src)))
        };
        let input = match input {
            Ok(i) => i,
            Err(e) => {
                self.progress
                    .suspend(|| eprintln!("sapu: error: {name}: cannot read: {e}"));
                self.stats.problem("unreadable");
                self.failed = true;
                return Ok(());
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
                        self.progress.suspend(|| {
                            eprintln!("sapu: error: {}: cannot write: {e}", path.display())
                        });
                        self.stats.problem("unwritable");
                        self.failed = true;
                        return Ok(());
                    }
                }
            }
        };
        let mut shown = 0u64;
        let mut hidden = 0u64;
        let progress = &self.progress;
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
        let out: &mut dyn Write = match file_out.as_mut() {
            Some(f) => f,
            None => &mut self.stdout,
        };
        let result = clean_shard(
            input,
            &name,
            self.settings,
            corpus::Sinks {
                out,
                explain: self.explain_out.as_mut().map(|w| w as &mut dyn Write),
                rejects: self.rejects_out.as_mut().map(|w| w as &mut dyn Write),
                notice: &mut notice,
                progress: &mut on_batch,
            },
        );
        if hidden > 0 {
            self.progress.suspend(|| {
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
                self.progress
                    .suspend(|| eprintln!("sapu: error: {name} -> {target}: {e}"));
                self.stats.problem("unwritable");
                self.failed = true;
                // Dropping the unfinished output removes its temporary file.
                return Ok(());
            }
        };
        self.failed |= report.read_failed;
        self.stopped |= report.stopped;
        self.stats.merge(report.stats);
        if let (Some(f), Dest::File(path)) = (file_out, &job.dest) {
            if report.stopped {
                self.progress.suspend(|| {
                    eprintln!(
                        "sapu: {}: not written (stopped at a bad record)",
                        path.display()
                    )
                });
                // Dropped uncommitted: the temporary file is removed.
                return Ok(());
            }
            if let Err(e) = f.finish().and_then(AtomicFile::commit) {
                self.progress
                    .suspend(|| eprintln!("sapu: error: {}: cannot write: {e}", path.display()));
                self.stats.problem("unwritable");
                self.failed = true;
            }
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

fn process(job: &Job, cleaner: &Cleaner, rules: &RuleSet, want_explain: bool) -> Done {
    let name = display_name(&job.src);
    let mut done = Done {
        text: None,
        explain: Vec::new(),
        stats: Stats::default(),
        messages: Vec::new(),
        failed: false,
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
            refuse_writing_into(input, out, is_dir)?;
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

fn refuse_writing_into(input: &Path, out: &Path, is_dir: bool) -> Result<(), String> {
    let (Ok(i), Ok(o)) = (resolve(input), resolve(out)) else {
        return Ok(());
    };
    if o == i || (is_dir && o.starts_with(&i)) {
        return Err(format!(
            "refusing to write {} into the input {}: sapu never writes into its input; choose another -o",
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
