//! `sapu diff-rules OLD NEW INPUT...`: cleans the same documents with two
//! rule sets and reports the lines they decide otherwise (newly dropped,
//! newly kept, dropped by another rule), per rule on stderr and, with
//! `--report`, as the report's page view. The exit code says whether any
//! line changed, so a CI job can ask for a reviewed report of every rule
//! change.

use std::fs::File;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use sapu::corpus::{self, Compression, Fields, Format, Record, compress};
use sapu::input::{FileFilter, read_document, walk};
use sapu::output::report::{
    self, DiffCounts, PageDoc, ReportSample, RuleInfo, RuleTotals, compare, page,
};
use sapu::{CleanOptions, Cleaner, RuleConfig, RuleSet};

use super::messages;
use super::report::ReportArgs;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, parse_share};

#[derive(Args)]
pub struct DiffRulesArgs {
    /// The old rules: `default` (the embedded set), a rule file, or a
    /// directory of .toml rule files.
    #[arg(value_name = "OLD")]
    old: String,
    /// The new rules, given the same way.
    #[arg(value_name = "NEW")]
    new: String,
    /// Files or directories (walked recursively): text documents, or JSONL
    /// shards (.jsonl, .json, .ndjson, optionally .gz or .zst).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Load the embedded default rules under a side given as a file or a
    /// directory (for rule files written on top of the defaults).
    #[arg(long)]
    with_defaults: bool,
    /// Which files of a directory are documents (default: *.txt, or the
    /// JSONL names with --format jsonl; repeatable).
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// How inputs are read (default: by name).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// JSONL: the field holding the document text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// JSONL: the field naming a record (FILE:ID; FILE:LINE without one).
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// Flag documents that would lose more than this share of their text.
    #[arg(long, value_name = "SHARE", default_value = "0.6", value_parser = parse_share)]
    flag_removed: f64,
    #[command(flatten)]
    report: ReportArgs,
    /// Worker threads (default: all cores; at most 8 a core, or 64).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Jsonl,
}

/// The two rule sets and their cleaners.
struct Sides<'a> {
    old: Cleaner<'a>,
    new: Cleaner<'a>,
}

/// What comparing some documents found; adding two up is merging them.
struct Found {
    counts: DiffCounts,
    sample: ReportSample<PageDoc>,
    /// Inputs that could not be read.
    unreadable: u64,
    /// JSONL lines that are not records.
    bad_records: u64,
    /// The first of them (line, problem), in line order, as many as are
    /// named on stderr.
    first_bad: Vec<(u64, String)>,
}

/// Bad lines named on stderr for each shard (all are counted), as `sapu
/// clean` names them.
const BAD_LINES_SHOWN: usize = 50;

impl Found {
    fn new(size: usize) -> Found {
        Found {
            counts: DiffCounts::default(),
            sample: ReportSample::new(size),
            unreadable: 0,
            bad_records: 0,
            first_bad: Vec::new(),
        }
    }

    fn merge(mut self, other: Found) -> Found {
        self.counts.add(&other.counts);
        self.sample.merge(other.sample);
        self.unreadable += other.unreadable;
        self.bad_records += other.bad_records;
        // Each side holds its own first lines, in order: the first of all
        // are among them.
        self.first_bad.extend(other.first_bad);
        self.first_bad.sort_unstable();
        self.first_bad.truncate(BAD_LINES_SHOWN);
        self
    }

    /// Cleans `text` both ways and keeps what differs.
    fn compare(&mut self, sides: &Sides, name: String, text: &str) {
        let (old_rules, new_rules) = (sides.old.rules(), sides.new.rules());
        let old = sides.old.clean(text);
        let new = sides.new.clean(text);
        self.sample.count(&page::facts_of(&new));
        if !page::any_difference(&old, old_rules, &new, new_rules) {
            return;
        }
        let c = compare(name.clone(), &old, old_rules, &new, new_rules);
        self.counts.add(&c.counts);
        let touched: Vec<(&str, RuleTotals)> = c
            .touched
            .iter()
            .map(|(id, t)| (id.as_str(), t.clone()))
            .collect();
        self.sample.offer(name, c.page.facts, &touched, c.page);
    }
}

pub fn run(args: DiffRulesArgs) -> i32 {
    if let Err(code) = super::set_threads(args.threads) {
        return code;
    }
    if let Some(p) = args.inputs.iter().find(|p| p.as_os_str() == "-") {
        messages::error(format!(
            "{}: diff-rules reads files and directories, not stdin",
            p.display()
        ));
        return EXIT_USAGE;
    }
    if let Err(msg) = args.report.refuse_inputs(&args.inputs) {
        messages::error(msg);
        return EXIT_USAGE;
    }
    let (Some(old_rules), Some(new_rules)) = (
        compile_side("old", &args.old, args.with_defaults),
        compile_side("new", &args.new, args.with_defaults),
    ) else {
        return EXIT_USAGE;
    };
    let format = args.format.map(|f| match f {
        FormatArg::Text => Format::Text,
        FormatArg::Jsonl => Format::Jsonl,
    });
    let defaults = || {
        if format == Some(Format::Jsonl) {
            corpus::format::jsonl_globs()
        } else {
            vec!["*.txt".to_string()]
        }
    };
    let filter = match FileFilter::given_or(&args.globs, defaults) {
        Ok(f) => f,
        Err(e) => {
            messages::error(format!("--glob: {e}"));
            return EXIT_USAGE;
        }
    };
    let options = CleanOptions {
        flag_removed: args.flag_removed,
        ..CleanOptions::default()
    };
    let sides = Sides {
        old: Cleaner::new(&old_rules, options.clone()),
        new: Cleaner::new(&new_rules, options),
    };
    let fields = Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
    };
    let size = args.report.report_sample;

    let mut found = Found::new(size);
    let mut text_files: Vec<PathBuf> = Vec::new();
    let mut shards: Vec<PathBuf> = Vec::new();
    for input in &args.inputs {
        let mut take = |path: PathBuf| match format.unwrap_or_else(|| Format::from_path(&path)) {
            // Parquet is read by `sapu clean` only; read as a text
            // document, it is named as Parquet in the error.
            Format::Text | Format::Parquet => text_files.push(path),
            Format::Jsonl => shards.push(path),
        };
        if input.is_dir() {
            let mut files = walk(input, &filter);
            for rel in files.by_ref() {
                match rel {
                    Ok(rel) => take(input.join(rel)),
                    Err(e) => {
                        messages::error(format!("{}: {e}", input.display()));
                        found.unreadable += 1;
                    }
                }
            }
            // A directory that gives no document is an error, as for
            // `clean`: compared with nothing, a rule change would pass.
            for note in files.notes() {
                if note.is_error() {
                    messages::error(&note);
                    found.unreadable += 1;
                } else {
                    messages::warning(&note);
                }
            }
        } else if input.exists() {
            take(input.clone());
        } else {
            messages::error(format!("{}: no such file or directory", input.display()));
            found.unreadable += 1;
        }
    }
    let texts = text_files
        .par_iter()
        .fold(
            || Found::new(size),
            |mut acc, path| {
                match read_document(path) {
                    Ok(doc) => acc.compare(&sides, path.display().to_string(), &doc.text),
                    Err(e) => {
                        messages::error(format!("{}: {e}", path.display()));
                        acc.unreadable += 1;
                    }
                }
                acc
            },
        )
        .reduce(|| Found::new(size), Found::merge);
    found = found.merge(texts);
    for shard in &shards {
        found = found.merge(compare_shard(shard, &sides, &fields, size));
    }

    let Found {
        counts,
        sample,
        unreadable,
        bad_records,
        first_bad: _,
    } = found;
    let totals = sample.totals();
    if !args.quiet {
        eprint!("{}", summary(&totals, &counts, bad_records));
    }
    let mut trouble = unreadable > 0;
    if let Some(path) = &args.report.report {
        let sides = (
            side_name(&args.old, args.with_defaults),
            side_name(&args.new, args.with_defaults),
        );
        let title = format!(
            "{} → {}: {}",
            sides.0,
            sides.1,
            super::report::title_of(&args.inputs)
        );
        let page = report::diff_page(
            sample,
            counts,
            rule_infos(&old_rules, &new_rules),
            title,
            sides,
            args.flag_removed,
        );
        trouble |= !super::report::write(path, page, args.quiet);
    }
    if trouble {
        EXIT_USAGE
    } else if counts.any() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Reads one side's rules: `default`, or a file or directory (with the
/// defaults under it when asked).
fn compile_side(side: &str, spec: &str, with_defaults: bool) -> Option<RuleSet> {
    let config = if spec == "default" {
        RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
    } else {
        RuleConfig {
            default_rules: with_defaults,
            extra: vec![PathBuf::from(spec)],
            ..RuleConfig::default()
        }
    };
    match config.compile() {
        Ok(rules) => Some(rules),
        Err(errors) => {
            for e in &errors.0 {
                messages::error(format!("{side} rules: {e}"));
            }
            None
        }
    }
}

fn side_name(spec: &str, with_defaults: bool) -> String {
    if spec != "default" && with_defaults {
        format!("default + {spec}")
    } else {
        spec.to_string()
    }
}

/// The rules of both sides, the new description first.
fn rule_infos(old: &RuleSet, new: &RuleSet) -> Vec<RuleInfo> {
    let mut infos = report::rule_infos(new);
    for info in report::rule_infos(old) {
        if !infos.iter().any(|i| i.id == info.id) {
            infos.push(info);
        }
    }
    infos
}

/// Records read and compared at a time in a shard.
const SHARD_BATCH: usize = 2048;

/// Compares the records of one JSONL shard, a batch at a time.
fn compare_shard(path: &Path, sides: &Sides, fields: &Fields, size: usize) -> Found {
    let mut found = Found::new(size);
    let name = path.display().to_string();
    let mut input =
        match File::open(path).and_then(|f| compress::reader(f, Compression::from_path(path))) {
            Ok(r) => r,
            Err(e) => {
                messages::error(format!("{name}: cannot read: {e}"));
                found.unreadable += 1;
                return found;
            }
        };
    let mut line_no = 0u64;
    loop {
        let mut batch: Vec<(u64, Vec<u8>)> = Vec::with_capacity(SHARD_BATCH);
        let mut ended = false;
        while batch.len() < SHARD_BATCH {
            let mut line = Vec::new();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => {
                    ended = true;
                    break;
                }
                Ok(_) => {
                    line_no += 1;
                    if line.last() == Some(&b'\n') {
                        line.pop();
                    }
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        batch.push((line_no, line));
                    }
                }
                Err(e) => {
                    messages::error(format!("{name}: cannot read past line {line_no}: {e}"));
                    found.unreadable += 1;
                    ended = true;
                    break;
                }
            }
        }
        let part = batch
            .par_iter()
            .fold(
                || Found::new(size),
                |mut acc, (n, line)| {
                    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
                    match Record::parse(line, fields) {
                        Ok(record) if record.text.trim().is_empty() => {}
                        Ok(record) => {
                            let doc = match &record.id {
                                Some(id) => format!("{name}:{id}"),
                                None => format!("{name}:{n}"),
                            };
                            acc.compare(sides, doc, &record.text);
                        }
                        Err(e) => {
                            if acc.first_bad.len() < BAD_LINES_SHOWN {
                                acc.first_bad.push((*n, e.to_string()));
                            }
                            acc.bad_records += 1;
                        }
                    }
                    acc
                },
            )
            .reduce(|| Found::new(size), Found::merge);
        let shown_before = found.first_bad.len();
        found = found.merge(part);
        // A batch's lines come after the last's: the new ones, in order.
        for (n, problem) in &found.first_bad[shown_before..] {
            messages::warning(format!("{name}:{n}: {problem}; skipped"));
        }
        if ended {
            if found.bad_records > found.first_bad.len() as u64 {
                messages::warning(format!(
                    "{name}: {} more lines that are not records, skipped (counted below)",
                    found.bad_records - found.first_bad.len() as u64
                ));
            }
            return found;
        }
    }
}

fn summary(totals: &report::Totals, counts: &DiffCounts, bad_records: u64) -> String {
    let mut s = format!(
        "sapu: {} compared, {} with changes: {} lines newly dropped, {} newly kept, {} dropped by another rule or rewritten otherwise\n",
        super::count(totals.documents, "document", "documents"),
        totals.offered,
        counts.newly_dropped,
        counts.newly_kept,
        counts.changed
    );
    let mut rules: Vec<(&String, &RuleTotals)> = totals.rules.iter().collect();
    rules.sort_by(|a, b| {
        (b.1.lines + b.1.released)
            .cmp(&(a.1.lines + a.1.released))
            .then(a.0.cmp(b.0))
    });
    for (id, t) in rules {
        let plus = if t.lines > 0 {
            format!("+{}", t.lines)
        } else {
            String::new()
        };
        let minus = if t.released > 0 {
            format!("-{}", t.released)
        } else {
            String::new()
        };
        s.push_str(&format!("  {plus:>8} {minus:>8}  {id}\n"));
    }
    if bad_records > 0 {
        s.push_str(&format!(
            "sapu: {bad_records} JSONL lines were not records and were skipped\n"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::side_name;

    #[test]
    fn sides_say_what_they_hold() {
        assert_eq!(side_name("default", true), "default");
        assert_eq!(side_name("site.toml", true), "default + site.toml");
        assert_eq!(side_name("rules/", false), "rules/");
    }
}
