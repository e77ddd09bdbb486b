//! The flags of `sapu clean`, and the settled configuration they give: every
//! flag parsed and checked, the rules compiled, the inputs planned. What
//! runs after [`CleanArgs::settle`] only executes.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use sapu::corpus::{self, Fields, Format, Limits, OnError};
use sapu::document::Wants;
use sapu::input::FileFilter;
use sapu::{CleanOptions, RuleSet};

use super::plan::{Report, Target, plan, read_format};
use super::reports::Wanted;
use crate::cli::messages::{self, EXIT_USAGE};
use crate::cli::report::ReportArgs;
use crate::cli::{RuleArgs, parse_share};

#[derive(Args)]
pub struct CleanArgs {
    /// Files, directories (walked recursively) or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output file (one input) or directory (a directory input, or several
    /// inputs). Without it, or with `-`, clean text goes to stdout.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Which files of a directory are documents (glob on the relative path;
    /// repeatable). Default: *.txt, the JSONL names (*.jsonl, *.ndjson,
    /// each also .gz and .zst) and *.parquet; *.txt only with --format
    /// text; the JSONL names and *.json with --format jsonl; *.parquet with
    /// --format parquet.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// How inputs are read. Default: by name (.jsonl, .json, .ndjson,
    /// optionally .gz or .zst, are JSONL; .parquet is Parquet; anything
    /// else is text); stdin is text unless --format jsonl.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// JSONL and Parquet: the field (column) holding the document text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// JSONL and Parquet: the field (column) naming a record in messages
    /// and --explain (FILE:ID; FILE:LINE, or FILE:ROW, when a record has
    /// none).
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// JSONL: add "sapu": {"dropped_lines", "dropped_chars", "rules"[,
    /// "flagged"][, "reverted"]} to every cleaned record; Parquet: a struct column
    /// "sapu" of the same (with "flagged" and "reverted" always).
    #[arg(long)]
    annotate: bool,
    /// JSONL: copy bad lines here, verbatim, one per line. Parquet: the
    /// rows not cleaned, as JSON Lines with their file and row.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// JSONL and Parquet: on a bad record, report it and go on (skip) or
    /// stop the run (fail).
    #[arg(long, value_enum, default_value = "skip")]
    on_error: OnErrorArg,
    /// JSONL: lines longer than this are bad records; Parquet: texts
    /// longer than this (suffixes K, M, G).
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    max_record_bytes: usize,
    /// Leave outputs that exist already alone (they are complete: outputs
    /// appear under their name only when finished); the reports take their
    /// records from the part beside each (.NAME.sapu-part), and temporary
    /// files of interrupted runs are removed.
    #[arg(long)]
    resume: bool,
    /// Worker threads (default: all cores; at most 8 a core, or 64).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// JSONL and Parquet: shards cleaned at the same time, all on the same worker
    /// threads (default: half the threads, at least 2, at most 16; 1 with
    /// --on-error fail). Each adds its own thread, which cleans like a worker
    /// and writes the shard's output, and its batches in flight.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    parallel_shards: Option<u64>,
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
    #[command(flatten)]
    report: ReportArgs,
    /// JSONL and Parquet: read, parse and write every record with its text
    /// unchanged, without cleaning (the I/O floor the benchmark measures).
    #[arg(long, hide = true)]
    no_clean: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Jsonl,
    Parquet,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Parquet => Format::Parquet,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OnErrorArg {
    Skip,
    Fail,
}

/// A run of `sapu clean`, settled: nothing here is checked again.
pub struct Config {
    pub rules: RuleSet,
    /// The inputs as given, for the report's title.
    pub inputs: Vec<PathBuf>,
    pub report: ReportArgs,
    pub options: CleanOptions,
    pub plan: Vec<Target>,
    /// `None`: each input by its name.
    pub format: Option<Format>,
    /// Which files of a directory are documents.
    pub filter: FileFilter,
    pub fields: Fields,
    pub wants: Wants,
    /// `--no-clean`: records written back unchanged.
    pub passthrough: bool,
    pub on_error: OnError,
    pub limits: Limits,
    pub parallel_shards: usize,
    pub resume: bool,
    pub explain: Option<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub stats: Option<PathBuf>,
    pub quiet: bool,
}

impl CleanArgs {
    /// Parses and checks every flag, compiles the rules and plans the
    /// inputs. A problem is reported and the run cannot start: `Err` is
    /// the exit code.
    pub fn settle(self) -> Result<Config, i32> {
        let usage = |msg: String| {
            messages::error(msg);
            EXIT_USAGE
        };
        // Nothing is cleaned with --no-clean: the default rules are not
        // compiled, so that the I/O floor is reading, parsing and writing
        // alone (rule files given are still checked).
        let rule_args = if self.no_clean {
            RuleArgs {
                no_default_rules: true,
                disable: Vec::new(),
                ..self.rules.clone()
            }
        } else {
            self.rules.clone()
        };
        let fields = Fields {
            text: self.text_field.clone(),
            id: self.id_field.clone(),
        };
        for (flag, name) in [("--text-field", &fields.text), ("--id-field", &fields.id)] {
            if name.is_empty() {
                return Err(usage(format!(
                    "{flag}: give the name of a field (it is empty)"
                )));
            }
        }
        if let Some(clash) = fields.annotation_clash(self.annotate) {
            return Err(usage(format!("--text-field {}: {clash}", fields.text)));
        }
        // The pool is sized first: the rules compile on its threads.
        crate::cli::set_threads(self.threads)?;
        let rules = sapu::rules::threads::on_pool(|| rule_args.compile()).ok_or(EXIT_USAGE)?;
        let format = self.format.map(Format::from);
        let filter = FileFilter::given_or(&self.globs, || corpus::format::clean_walk_globs(format))
            .map_err(|e| usage(format!("--glob: {e}")))?;
        let stdin_name = match format {
            Some(Format::Jsonl) => "stdin.jsonl",
            Some(Format::Parquet) => "stdin.parquet",
            _ => "stdin.txt",
        };
        let reports: Vec<Report> = [
            ("--explain", &self.explain),
            ("--rejects", &self.rejects),
            ("--stats", &self.stats),
            ("--report", &self.report.report),
        ]
        .into_iter()
        .filter_map(|(flag, p)| p.as_deref().map(|path| Report { flag, path }))
        .collect();
        for r in &reports {
            report_named_plain(r.flag, r.path).map_err(usage)?;
        }
        let plan = plan(
            &self.inputs,
            self.output.as_deref().filter(|o| o.as_os_str() != "-"),
            stdin_name,
            &reports,
            &filter,
        )
        .map_err(usage)?;
        for t in &plan {
            if let Target::One {
                src,
                dest: Some(dest),
            } = t
            {
                output_named_for_its_format(src, dest, format).map_err(usage)?;
            }
        }
        // Text documents written to stdout one after another run together:
        // nothing marks where one ends (JSON Lines shards are records).
        let texts_to_stdout = plan
            .iter()
            .filter(|t| match t {
                Target::One { src, dest: None } => read_format(src, format) == Format::Text,
                _ => false,
            })
            .count();
        if texts_to_stdout > 1 {
            messages::warning(format!(
                "{texts_to_stdout} text documents go to stdout one after another, with nothing between them; give -o DIR to keep them apart"
            ));
        }
        // As `set_threads` sized the pool (`-j`, cut to what the machine can
        // use).
        let threads = rayon::current_num_threads();
        let on_error = match self.on_error {
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Fail => OnError::Fail,
        };
        let parallel_shards = if on_error == OnError::Fail {
            // Stop at the first bad record, in input order.
            1
        } else {
            self.parallel_shards
                .map_or_else(|| default_parallel_shards(threads), |n| n as usize)
        };
        Ok(Config {
            rules,
            inputs: self.inputs,
            report: self.report,
            options: CleanOptions {
                flag_removed: self.flag_removed,
                max_removed: self.max_removed,
                model_features: self.explain.is_some(),
            },
            plan,
            format,
            filter,
            fields,
            wants: Wants {
                explain: self.explain.is_some(),
                annotate: self.annotate,
            },
            passthrough: self.no_clean,
            on_error,
            limits: Limits::for_run(threads, parallel_shards, self.max_record_bytes),
            parallel_shards,
            resume: self.resume,
            explain: self.explain,
            rejects: self.rejects,
            stats: self.stats,
            quiet: self.quiet,
        })
    }
}

impl Config {
    /// Whether outputs get report parts (see `reports`): when any report
    /// is asked for; and which records they hold besides the statistics.
    pub fn parts(&self) -> Option<Wanted> {
        (self.explain.is_some() || self.rejects.is_some() || self.stats.is_some()).then_some(
            Wanted {
                explain: self.explain.is_some(),
                rejects: self.rejects.is_some(),
            },
        )
    }
}

/// Shards in flight by default: enough that the serial stages of one shard
/// (reading, decompressing, compressing, writing) never starve the workers,
/// few enough to keep memory small.
fn default_parallel_shards(threads: usize) -> usize {
    (threads / 2).clamp(2, 16)
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
        Some(0) => Err(format!("`{s}`: give a size of 1 byte or more")),
        None => Err(format!(
            "`{s}`: more bytes than this machine can count ({} at most)",
            usize::MAX
        )),
        Some(v) => Ok(v),
    }
}

/// Compressions sapu reads and writes by no name: an output or a report
/// named for one would not be what its name says.
const OTHER_COMPRESSIONS: [&str; 6] = ["bz2", "xz", "lz4", "br", "zip", "7z"];

/// The last extension of `path`, lowercased.
fn extension(path: &std::path::Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// `Err` when a report is named as compressed: reports are written as
/// plain text (JSON Lines, JSON, HTML).
fn report_named_plain(flag: &str, path: &std::path::Path) -> Result<(), String> {
    let ext = extension(path).unwrap_or_default();
    if ext == "gz" || ext == "zst" || OTHER_COMPRESSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "{flag} {}: a report is written uncompressed; name it without .{ext} (compress it after the run)",
            path.display()
        ));
    }
    Ok(())
}

/// `Err` when the name of `dest`, the output of `src`, says another format
/// than the one written: text documents are written as plain text, JSON
/// Lines as JSON Lines (compressed as the name says), Parquet as Parquet.
/// A name that says otherwise misleads whoever reads the file next (sapu
/// included, which reads a file by its name).
fn output_named_for_its_format(
    src: &std::path::Path,
    dest: &std::path::Path,
    format: Option<Format>,
) -> Result<(), String> {
    use sapu::corpus::Compression;
    let read = read_format(src, format);
    let named = Format::from_path(dest);
    let compressed = Compression::from_path(dest) != Compression::None;
    if let Some(other) = extension(dest).filter(|e| OTHER_COMPRESSIONS.contains(&e.as_str())) {
        return Err(format!(
            "-o {}: sapu does not write .{other} files (it compresses JSON Lines as .gz or .zst, by the output's name); name the output for what is written",
            dest.display()
        ));
    }
    let wrong = match read {
        Format::Text if compressed || named != Format::Text => {
            Some("a text document is written as plain text")
        }
        Format::Jsonl if named == Format::Parquet => Some("JSON Lines are written as JSON Lines"),
        Format::Jsonl if extension(dest).as_deref() == Some("txt") => {
            Some("JSON Lines are written as JSON Lines")
        }
        Format::Parquet if named != Format::Parquet || compressed => {
            Some("a Parquet file is written as Parquet")
        }
        _ => None,
    };
    match wrong {
        Some(what) => Err(format!(
            "-o {}: the name says another format than the one written ({what}, from {}); name the output for it",
            dest.display(),
            src.display()
        )),
        None => Ok(()),
    }
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
        // Too many, not too few (the message said "1 byte or more").
        let too_many = parse_size("99999999999G").unwrap_err();
        assert!(
            too_many.contains("more bytes than this machine can count"),
            "{too_many}"
        );
        assert!(parse_size("0").unwrap_err().contains("1 byte or more"));
    }
}
