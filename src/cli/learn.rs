//! `sapu learn`: count lines repeated across a corpus, write a rule file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use rayon::prelude::*;

use sapu::input::{FileFilter, ReadError, read_document, walk, write_atomic};
use sapu::learn::{Counter, ProposeOptions, ScanOptions, ScannedDoc, rulefile, scan};
use sapu::rules::examples::check_examples;
use sapu::rules::{ParsedRule, RuleSource, parse_source};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, Stdout, parse_share};

#[derive(Args)]
#[command(
    after_help = "Memory is bounded: the counter holds at most --max-entries lines \
    (about 50 bytes each, plus the text and 3 example paths of lines seen in 2+ documents, \
    lines of at most 1000 characters) and at most 512 documents are in memory at once, \
    however large the corpus. When the counter is full, the lines seen in the fewest \
    documents are forgotten and the file says that its counts are lower bounds."
)]
pub struct LearnArgs {
    /// Corpus files, directories (walked recursively) or `-` for stdin.
    #[arg(required = true, value_name = "CORPUS")]
    inputs: Vec<PathBuf>,
    /// The rule file to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Which files of a directory are documents (glob on the relative path;
    /// repeatable).
    #[arg(long = "glob", value_name = "GLOB", default_value = "*.txt")]
    globs: Vec<String>,
    /// Worker threads (default: all cores); the file is byte-identical for
    /// any N.
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// A line must occur in at least N documents.
    #[arg(long, value_name = "N", default_value = "5")]
    min_docs: u64,
    /// ... and in at least this share of the documents.
    #[arg(long, value_name = "SHARE", default_value = "0.01", value_parser = parse_share)]
    min_share: f64,
    /// The most distinct lines and prefixes counted at once (bounds memory).
    #[arg(long, value_name = "N", default_value = "2000000")]
    max_entries: usize,
    /// Also propose lines that read as full sentences (a disclaimer on every
    /// page), in a rule of their own (`learned.sentences`) to review line by
    /// line.
    #[arg(long)]
    include_sentences: bool,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

/// Documents read and scanned together.
const CHUNK: usize = 512;

pub fn run(args: LearnArgs) -> i32 {
    let started = Instant::now();
    if let Some(n) = args.threads {
        if n == 0 {
            eprintln!("sapu: error: -j takes a number of threads of 1 or more");
            return EXIT_USAGE;
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    if args.max_entries == 0 {
        eprintln!("sapu: error: --max-entries must be at least 1");
        return EXIT_USAGE;
    }
    if args.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("sapu: error: `-` (stdin) can be given once");
        return EXIT_USAGE;
    }
    let filter = match FileFilter::new(&args.globs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("sapu: error: --glob: {e}");
            return EXIT_USAGE;
        }
    };
    let scan_options = ScanOptions {
        include_sentences: args.include_sentences,
    };
    let mut counter = Counter::new(args.max_entries);
    let mut failed = false;
    let mut chunk: Vec<PathBuf> = Vec::with_capacity(CHUNK);
    let flush = |chunk: &mut Vec<PathBuf>, counter: &mut Counter, failed: &mut bool| {
        let scanned: Vec<Scanned> = chunk
            .par_iter()
            .map(|path| read_and_scan(path, scan_options))
            .collect();
        for s in scanned {
            if let Some(m) = &s.message {
                eprintln!("sapu: {m}");
            }
            if let Some(doc) = &s.doc {
                counter.add(doc);
            }
            *failed |= s.failed;
        }
        chunk.clear();
    };
    for input in &args.inputs {
        if input.as_os_str() == "-" || input.is_file() {
            chunk.push(input.clone());
        } else if input.is_dir() {
            for rel in walk(input, &filter) {
                match rel {
                    Ok(rel) => chunk.push(input.join(rel)),
                    Err(e) => {
                        eprintln!("sapu: error: {}: {e}", input.display());
                        failed = true;
                    }
                }
                if chunk.len() >= CHUNK {
                    flush(&mut chunk, &mut counter, &mut failed);
                }
            }
        } else {
            eprintln!(
                "sapu: error: {}: no such file or directory",
                input.display()
            );
            failed = true;
        }
        if chunk.len() >= CHUNK {
            flush(&mut chunk, &mut counter, &mut failed);
        }
    }
    flush(&mut chunk, &mut counter, &mut failed);

    let learned = counter.propose(&ProposeOptions {
        min_docs: args.min_docs,
        min_share: args.min_share,
        include_sentences: args.include_sentences,
    });
    let text = rulefile::render(&learned);
    if let Err(problems) = self_check(&text) {
        for p in problems {
            eprintln!("sapu: error: the learned rule file fails its own check: {p}");
        }
        eprintln!("sapu: this is a bug in sapu; nothing was written");
        return EXIT_FAILED;
    }
    let mut out = Stdout::new();
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomic(path, text.as_bytes()) {
                eprintln!("sapu: error: {}: cannot write: {e}", path.display());
                return EXIT_FAILED;
            }
        }
        None => out.write(text.as_bytes()),
    }
    if !args.quiet {
        eprintln!(
            "sapu: {} documents: {} lines, {} prefixes, {} sentences in at least {} documents{} in {:.2}s",
            learned.documents,
            learned.lines.len(),
            learned.prefixes.len(),
            learned.sentences.len(),
            learned.min_documents,
            args.output
                .as_ref()
                .map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default(),
            started.elapsed().as_secs_f64()
        );
        if learned.pruning.rounds > 0 {
            eprintln!(
                "sapu: the counter was full {} time(s) (--max-entries {}): counts are lower bounds, at most {} low",
                learned.pruning.rounds, args.max_entries, learned.pruning.max_undercount
            );
        }
    }
    out.finish(if failed { EXIT_FAILED } else { EXIT_OK })
}

/// What reading one corpus file gave.
struct Scanned {
    doc: Option<ScannedDoc>,
    /// A warning (invalid UTF-8, binary file skipped) or an error.
    message: Option<String>,
    failed: bool,
}

fn read_and_scan(path: &Path, options: ScanOptions) -> Scanned {
    let name = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    match read_document(path) {
        Ok(doc) => Scanned {
            message: (doc.replaced_bytes > 0).then(|| {
                format!(
                    "warning: {name}: invalid UTF-8, {} byte(s) replaced with U+FFFD",
                    doc.replaced_bytes
                )
            }),
            doc: Some(scan(Arc::from(name), &doc.text, options)),
            failed: false,
        },
        Err(e) => {
            let binary = matches!(e, ReadError::Binary(_));
            Scanned {
                doc: None,
                message: Some(format!(
                    "{}{name}: {e}",
                    if binary { "warning: " } else { "error: " }
                )),
                failed: !binary,
            }
        }
    }
}

/// The written file must parse and its rules must pass their own examples,
/// as `sapu check-rules` would run them.
fn self_check(text: &str) -> Result<(), Vec<String>> {
    let source = RuleSource {
        name: "learned rules".into(),
        text: text.to_string(),
    };
    let parsed: Vec<ParsedRule> = parse_source(&source)
        .map_err(|e| e.0.iter().map(|e| e.to_string()).collect::<Vec<_>>())?
        .into_iter()
        .map(|(line, spec)| ParsedRule {
            file: source.name.clone(),
            line,
            spec,
        })
        .collect();
    let (_, failures) = check_examples(&parsed);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.iter().map(|f| f.to_string()).collect())
    }
}
