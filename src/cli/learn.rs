//! `sapu learn`: count lines repeated across a corpus, write a rule file.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use rayon::prelude::*;

use super::count;
use sapu::check::check_examples;
use sapu::corpus::format::walk_globs;
use sapu::corpus::lines::{Piece, read_lines};
use sapu::corpus::{Compression, Fields, Format, Limits, Record, RecordError, compress};
use sapu::input::{FileFilter, ReadError, read_document, walk, write_atomic};
use sapu::learn::{Counter, ProposeOptions, ScanOptions, ScannedDoc, rulefile, scan};
use sapu::rules::{ParsedRule, RuleSource, parse_source};

use super::messages;
use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, Stdout, parse_share};

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
    /// The rule file to write (default, or `-`: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Which files of a directory are documents (glob on the relative path;
    /// repeatable). Default: *.txt and the JSONL names (*.jsonl, *.ndjson,
    /// each also .gz and .zst), as `sapu clean` walks.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// How inputs are read. Default: by name, as `sapu clean` reads them
    /// (.jsonl, .json, .ndjson, optionally .gz or .zst, are JSONL; anything
    /// else is text); stdin is text unless --format jsonl.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// JSONL: the field holding the document text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// JSONL: the field naming a record in example comments (FILE:ID;
    /// FILE:LINE when a record has none).
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// Worker threads (default: all cores; at most 8 a core, or 64); the
    /// file is byte-identical for any N.
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// A line must occur in at least N documents (2 or more: a line of one
    /// document is not site furniture).
    #[arg(long, value_name = "N", default_value = "5", value_parser = clap::value_parser!(u64).range(2..))]
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

/// Documents read and scanned together (text files, or JSONL records).
const CHUNK: usize = 512;

/// JSONL bad records reported per shard; the rest are counted.
const NOTICES_PER_SHARD: u64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Text,
    Jsonl,
}

pub fn run(mut args: LearnArgs) -> i32 {
    if args.output.as_ref().is_some_and(|o| o.as_os_str() == "-") {
        args.output = None;
    }
    let started = Instant::now();
    if let Err(code) = super::set_threads(args.threads) {
        return code;
    }
    if args.max_entries == 0 {
        messages::error("--max-entries must be at least 1");
        return EXIT_USAGE;
    }
    if let Some(out) = &args.output
        && let Err(e) = super::clean::refuse_writing_into(&args.inputs, out, "-o")
    {
        messages::error(e);
        return EXIT_USAGE;
    }
    if args.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        messages::error("`-` (stdin) can be given once");
        return EXIT_USAGE;
    }
    let format = args.format.map(|f| match f {
        FormatArg::Text => Format::Text,
        FormatArg::Jsonl => Format::Jsonl,
    });
    let filter = match FileFilter::given_or(&args.globs, || walk_globs(format)) {
        Ok(f) => f,
        Err(e) => {
            messages::error(format!("--glob: {e}"));
            return EXIT_USAGE;
        }
    };
    let mut learner = Learner {
        counter: Counter::new(args.max_entries),
        options: ScanOptions {
            include_sentences: args.include_sentences,
        },
        fields: Fields {
            text: args.text_field.clone(),
            id: args.id_field.clone(),
        },
        chunk: Vec::with_capacity(CHUNK),
        failed: false,
        rejected: 0,
    };
    let format_of = |path: &Path| {
        format.unwrap_or(if path == Path::new("-") {
            Format::Text
        } else {
            Format::from_path(path)
        })
    };
    for input in &args.inputs {
        if input.as_os_str() == "-" || input.is_file() {
            learner.add(input.clone(), format_of(input));
        } else if input.is_dir() {
            let mut files = walk(input, &filter);
            for rel in &mut files {
                match rel {
                    Ok(rel) => learner.add(input.join(&rel), format_of(&rel)),
                    Err(e) => {
                        messages::error(format!("{}: {e}", input.display()));
                        learner.failed = true;
                    }
                }
            }
            for note in files.notes() {
                if note.is_error() {
                    learner.failed = true;
                    messages::error(note);
                } else {
                    messages::warning(note);
                }
            }
        } else {
            messages::error(format!("{}: no such file or directory", input.display()));
            learner.failed = true;
        }
    }
    learner.flush();
    let Learner {
        counter,
        failed,
        rejected,
        ..
    } = learner;

    let learned = counter.propose(&ProposeOptions {
        min_docs: args.min_docs,
        min_share: args.min_share,
        include_sentences: args.include_sentences,
    });
    if learned.documents == 0 {
        messages::error(
            "no document was read from the corpus (see the messages above; \
             JSON Lines records need their text in --text-field): nothing to learn, nothing written",
        );
        return EXIT_FAILED;
    }
    let text = rulefile::render(&learned);
    if let Err(problems) = self_check(&text) {
        for p in problems {
            messages::error(format!("the learned rule file fails its own check: {p}"));
        }
        messages::note("this is a bug in sapu; nothing was written");
        return EXIT_FAILED;
    }
    let mut out = Stdout::new();
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomic(path, text.as_bytes()) {
                messages::error(format!("{}: cannot write: {e}", path.display()));
                return EXIT_FAILED;
            }
        }
        None => out.write(text.as_bytes()),
    }
    if !args.quiet {
        messages::note(format!(
            "{}: {}, {}, {} in at least {}{} in {:.2}s",
            count(learned.documents, "document", "documents"),
            count(learned.lines.len() as u64, "line", "lines"),
            count(learned.prefixes.len() as u64, "prefix", "prefixes"),
            count(learned.sentences.len() as u64, "sentence", "sentences"),
            count(learned.min_documents, "document", "documents"),
            args.output
                .as_ref()
                .map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default(),
            started.elapsed().as_secs_f64()
        ));
        if learned.pruning.rounds > 0 {
            messages::note(format!(
                "the counter was full {} time(s) (--max-entries {}): counts are lower bounds, at most {} low",
                learned.pruning.rounds, args.max_entries, learned.pruning.max_undercount
            ));
        }
    }
    if rejected > 0 {
        messages::note(format!(
            "{} skipped",
            count(rejected, "bad record", "bad records")
        ));
    }
    out.finish(if failed {
        EXIT_FAILED
    } else if rejected > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

/// The counter and what reading the corpus found so far.
struct Learner {
    counter: Counter,
    options: ScanOptions,
    fields: Fields,
    /// Text files waiting to be read and scanned together.
    chunk: Vec<PathBuf>,
    failed: bool,
    /// JSONL lines that were not records with a text.
    rejected: u64,
}

impl Learner {
    /// Takes one input: a text file waits for a chunk; a JSONL shard is
    /// read now (after the text files before it, to count in corpus order).
    fn add(&mut self, path: PathBuf, format: Format) {
        match format {
            // Parquet is read by `sapu clean` only; read as a text
            // document, it is named as Parquet in the error.
            Format::Text | Format::Parquet => {
                self.chunk.push(path);
                if self.chunk.len() >= CHUNK {
                    self.flush();
                }
            }
            Format::Jsonl => {
                self.flush();
                self.learn_shard(&path);
            }
        }
    }

    /// Reads and scans the text files of the chunk, counts them in order.
    fn flush(&mut self) {
        let options = self.options;
        let scanned: Vec<Scanned> = self
            .chunk
            .par_iter()
            .map(|path| read_and_scan(path, options))
            .collect();
        for s in scanned {
            if let Some(m) = &s.message {
                messages::note(m);
            }
            if let Some(doc) = &s.doc {
                self.counter.add(doc);
            }
            self.failed |= s.failed;
        }
        self.chunk.clear();
    }

    /// Streams one JSONL shard (plain, .gz or .zst; stdin by its first
    /// bytes) through the corpus line reader, and counts the text field of
    /// every record, a batch of records scanned in parallel.
    fn learn_shard(&mut self, path: &Path) {
        let name = display_name(path);
        let input = if path == Path::new("-") {
            compress::sniffing_reader(io::stdin())
        } else {
            File::open(path).and_then(|f| compress::reader(f, Compression::from_path(path)))
        };
        let input = match input {
            Ok(i) => i,
            Err(e) => {
                messages::error(format!("{name}: cannot read: {e}"));
                self.failed = true;
                return;
            }
        };
        let limits = Limits {
            batch_bytes: 8 << 20,
            batch_lines: CHUNK,
            max_record_bytes: MAX_RECORD_BYTES,
            in_flight: 1,
        };
        let mut shown = 0u64;
        let mut bad = |line: u64, problem: &dyn std::fmt::Display, rejected: &mut u64| {
            *rejected += 1;
            shown += 1;
            if shown <= NOTICES_PER_SHARD {
                messages::error(format!("{name}:{line}: {problem}; skipped"));
            }
        };
        let (options, fields) = (self.options, &self.fields);
        read_lines(input, limits, |piece| {
            match piece {
                Piece::Batch(batch) => {
                    let scanned: Vec<Result<Option<ScannedDoc>, RecordError>> = (0..batch.len())
                        .into_par_iter()
                        .map(|i| {
                            let line = batch.line(i);
                            if line.iter().all(u8::is_ascii_whitespace) {
                                return Ok(None);
                            }
                            let record = Record::parse(line, fields)?;
                            let doc = match &record.id {
                                Some(id) => format!("{name}:{id}"),
                                None => format!("{name}:{}", batch.first_line + i as u64),
                            };
                            Ok(Some(scan(Arc::from(doc), &record.text, options)))
                        })
                        .collect();
                    for (i, s) in scanned.into_iter().enumerate() {
                        match s {
                            Ok(Some(doc)) => self.counter.add(&doc),
                            Ok(None) => {}
                            Err(e) => bad(batch.first_line + i as u64, &e, &mut self.rejected),
                        }
                    }
                }
                Piece::Oversize { line, end, .. } => {
                    if end {
                        let e = format!("record over {MAX_RECORD_BYTES} bytes");
                        bad(line, &e, &mut self.rejected);
                    }
                }
                Piece::Failed {
                    after_line, error, ..
                } => {
                    messages::error(format!(
                        "{name}: cannot read after line {after_line}: {error}; \
                         the records before it were counted"
                    ));
                    self.failed = true;
                }
            }
            true
        });
        if shown > NOTICES_PER_SHARD {
            messages::note(format!(
                "{name}: {} more bad records not shown",
                shown - NOTICES_PER_SHARD
            ));
        }
    }
}

/// JSONL lines longer than this are bad records (as `sapu clean`'s default
/// `--max-record-bytes`).
const MAX_RECORD_BYTES: usize = 64 << 20;

fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// What reading one corpus file gave.
struct Scanned {
    doc: Option<ScannedDoc>,
    /// A warning (invalid UTF-8, binary file skipped) or an error.
    message: Option<String>,
    failed: bool,
}

fn read_and_scan(path: &Path, options: ScanOptions) -> Scanned {
    let name = display_name(path);
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
