//! `sapu clean`: plan inputs and outputs, clean in parallel, print.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use sapu::input::{FileFilter, read_document, resolve, walk, write_atomic};
use sapu::output::{explain, stats::Stats, text};
use sapu::{CleanOptions, Cleaner, RuleSet};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs, parse_share};

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
    /// repeatable).
    #[arg(long = "glob", value_name = "GLOB", default_value = "*.txt")]
    globs: Vec<String>,
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

/// Where a document's clean text goes.
enum Dest {
    Stdout,
    File(PathBuf),
}

/// One document to clean.
struct Job {
    src: PathBuf,
    dest: Dest,
}

/// What cleaning one document produced, for the serial printers.
struct Done {
    text: Option<String>,
    explain: Vec<u8>,
    stats: Stats,
    messages: Vec<String>,
    failed: bool,
}

/// Inputs processed together; bounds memory on huge trees.
const CHUNK: usize = 512;

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
    let filter = match FileFilter::new(&args.globs) {
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
    let mut explain_out = match &args.explain {
        Some(path) => match File::create(path) {
            Ok(f) => Some(BufWriter::new(f)),
            Err(e) => {
                eprintln!(
                    "sapu: error: {}: cannot create the explain file: {e}",
                    path.display()
                );
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let options = CleanOptions {
        flag_removed: args.flag_removed,
        max_removed: args.max_removed,
    };
    let cleaner = Cleaner::new(&rules, options);
    let progress = progress_bar(args.quiet);
    let stdout = io::stdout();
    let mut stdout = BufWriter::new(stdout.lock());
    let mut stats = Stats::default();
    let mut failed = false;

    let mut chunk: Vec<Job> = Vec::with_capacity(CHUNK);
    let mut flush =
        |chunk: &mut Vec<Job>, stats: &mut Stats, failed: &mut bool| -> io::Result<()> {
            let done: Vec<Done> = chunk
                .par_iter()
                .map(|job| process(job, &cleaner, &rules, explain_out.is_some()))
                .collect();
            for d in done {
                for m in &d.messages {
                    progress.suspend(|| eprintln!("sapu: {m}"));
                }
                if let Some(t) = &d.text {
                    stdout.write_all(t.as_bytes())?;
                }
                if let Some(w) = explain_out.as_mut() {
                    w.write_all(&d.explain)?;
                }
                progress.inc(1);
                *failed |= d.failed;
                stats.merge(d.stats);
            }
            chunk.clear();
            Ok(())
        };

    let mut io_result = Ok(());
    'inputs: for target in &plan {
        match target {
            Target::One { src, dest } => {
                chunk.push(Job {
                    src: src.clone(),
                    dest: match dest {
                        Some(p) => Dest::File(p.clone()),
                        None => Dest::Stdout,
                    },
                });
            }
            Target::Tree { src, out } => {
                for rel in walk(src, &filter) {
                    match rel {
                        Ok(rel) => chunk.push(Job {
                            src: src.join(&rel),
                            dest: Dest::File(out.join(&rel)),
                        }),
                        Err(e) => {
                            progress.suspend(|| eprintln!("sapu: error: {}: {e}", src.display()));
                            stats.problem("unreadable");
                            failed = true;
                        }
                    }
                    if chunk.len() >= CHUNK {
                        io_result = flush(&mut chunk, &mut stats, &mut failed);
                        if io_result.is_err() {
                            break 'inputs;
                        }
                    }
                }
            }
            Target::Missing(path) => {
                progress.suspend(|| {
                    eprintln!("sapu: error: {}: no such file or directory", path.display())
                });
                stats.problem("missing-input");
                failed = true;
            }
        }
        if chunk.len() >= CHUNK {
            io_result = flush(&mut chunk, &mut stats, &mut failed);
            if io_result.is_err() {
                break;
            }
        }
    }
    if io_result.is_ok() {
        io_result = flush(&mut chunk, &mut stats, &mut failed);
    }
    if io_result.is_ok() {
        io_result = stdout.flush();
    }
    if io_result.is_ok()
        && let Some(w) = explain_out.as_mut()
    {
        io_result = w.flush();
    }
    progress.finish_and_clear();
    if let Err(e) = io_result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return EXIT_OK;
        }
        eprintln!("sapu: error: writing output: {e}");
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
        }
    }
    if !args.quiet {
        eprint!("{}", stats.summary(started.elapsed()));
    }
    if failed { EXIT_FAILED } else { EXIT_OK }
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents, {per_sec}, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

fn process(job: &Job, cleaner: &Cleaner, rules: &RuleSet, want_explain: bool) -> Done {
    let name = if job.src == Path::new("-") {
        "<stdin>".to_string()
    } else {
        job.src.display().to_string()
    };
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
                "stdin.txt".into()
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
