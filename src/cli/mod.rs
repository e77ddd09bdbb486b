//! Flags and subcommands.

mod check;
mod clean;
mod diff_rules;
mod eval;
mod interrupt;
mod learn;
pub mod messages;
mod report;
mod rules;
mod train;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use sapu::rules::RuleConfig;

#[derive(Parser)]
#[command(
    name = "sapu",
    version,
    about = "Strip boilerplate from scraped text and write clean, normalized documents.",
    long_about = "sapu removes page clutter (duplicated titles, bylines, captions, promos, \
                  sidebar lists, tails, spam) from scraped text line by line, with rules \
                  that are data, and says which rule dropped which line."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of the biggest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Clean documents: files, directory trees or stdin.
    Clean(clean::CleanArgs),
    /// Check golden cases: DIR/<case>/{input.txt,expected.txt[,rules.toml]}.
    Check(check::CheckArgs),
    /// Run the examples of rule files as tests (the embedded set when no FILE is given).
    CheckRules(rules::CheckRulesArgs),
    /// List the rules: id, kind, description.
    Rules(rules::ListArgs),
    /// Show one rule: where it is defined, the rule as written (TOML you can
    /// copy into a file of your own) and its options in effect. `sapu
    /// explain ID` is an alias.
    #[command(alias = "explain")]
    Rule(rules::RuleArgsOne),
    /// Score cleaning on pages with must-keep / must-drop snippets (RAW/NAME.txt, EXPECT/NAME.json).
    Eval(eval::EvalArgs),
    /// Learn site furniture: lines repeated across a corpus, written as a rule file to review.
    Learn(learn::LearnArgs),
    /// Train a line model from golden cases (content lines: those of expected.txt).
    Train(train::TrainArgs),
    /// Clean the same documents with two rule sets and report the lines they decide otherwise (exit 1 when any).
    DiffRules(diff_rules::DiffRulesArgs),
}

/// Where the rules come from; shared by every subcommand that cleans.
#[derive(Args, Clone, Debug)]
pub struct RuleArgs {
    /// Add a rule file, or a directory of .toml rule files (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the embedded default rules.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Turn off one rule by id (repeatable).
    #[arg(long = "disable", value_name = "ID")]
    pub disable: Vec<String>,
    /// The line model of `generic.model`: a file `sapu train` wrote,
    /// instead of the embedded default model.
    #[arg(long = "model", value_name = "FILE")]
    pub model: Option<PathBuf>,
}

impl RuleArgs {
    pub fn config(&self) -> RuleConfig {
        RuleConfig {
            default_rules: !self.no_default_rules,
            extra: self.rules.clone(),
            disable: self.disable.clone(),
            model: self.model.clone(),
        }
    }

    /// Compiles the rules, printing every problem. `None` means the run
    /// cannot start.
    pub fn compile(&self) -> Option<sapu::RuleSet> {
        match self.config().compile() {
            Ok(set) => {
                if let Some(model) = &self.model
                    && set.model_rule_options().is_none()
                {
                    messages::warning(format!(
                        "--model {}: not used, no model rule runs (generic.model is disabled or the default rules are off; a rule file of yours can add one with detector = \"model\")",
                        model.display()
                    ));
                }
                Some(set)
            }
            Err(errors) => {
                for e in &errors.0 {
                    messages::error(e);
                }
                messages::note(format!(
                    "{} problem(s) in the rules or the model; nothing was done",
                    errors.0.len()
                ));
                None
            }
        }
    }
}

pub use messages::{EXIT_FAILED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE};

pub fn run() -> i32 {
    // Before any thread starts (see interrupt::install).
    interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Check(args) => check::run(args),
        Command::CheckRules(args) => rules::check_rules(args),
        Command::Rules(args) => rules::list(args),
        Command::Rule(args) => rules::show(args),
        Command::Eval(args) => eval::run(args),
        Command::Learn(args) => learn::run(args),
        Command::Train(args) => train::run(args),
        Command::DiffRules(args) => diff_rules::run(args),
    }
}

/// The standard output of a subcommand, buffered. When its reader goes
/// away (`sapu rules | head -5`), the rest of the output is dropped
/// quietly and the command finishes with its own exit status; any other
/// write error is reported once and turns a successful status into
/// [`EXIT_FAILED`].
pub struct Stdout {
    inner: io::BufWriter<io::StdoutLock<'static>>,
    closed: bool,
    failed: bool,
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout {
            inner: io::BufWriter::new(io::stdout().lock()),
            closed: false,
            failed: false,
        }
    }

    /// Writes `bytes`, unless the output is closed.
    pub fn write(&mut self, bytes: &[u8]) {
        if !self.closed
            && let Err(e) = self.inner.write_all(bytes)
        {
            self.fail(e);
        }
    }

    /// Writes formatted text: `writeln!(out, ...)` works as on a writer,
    /// and there is no result to check.
    pub fn write_fmt(&mut self, args: std::fmt::Arguments) {
        if !self.closed
            && let Err(e) = self.inner.write_fmt(args)
        {
            self.fail(e);
        }
    }

    fn fail(&mut self, e: io::Error) {
        self.closed = true;
        if e.kind() != io::ErrorKind::BrokenPipe {
            messages::error(format!("cannot write to stdout: {e}"));
            self.failed = true;
        }
    }

    /// Flushes, and returns the exit status `code` of the command, or
    /// [`EXIT_FAILED`] for a success whose output could not be written.
    pub fn finish(mut self, code: i32) -> i32 {
        if !self.closed
            && let Err(e) = self.inner.flush()
        {
            self.fail(e);
        }
        if self.failed && code == EXIT_OK {
            EXIT_FAILED
        } else {
            code
        }
    }
}

/// Sizes the global thread pool from `-j N` (all cores without it). A
/// zero is a usage error, reported here: the exit code is returned.
pub fn set_threads(threads: Option<usize>) -> Result<(), i32> {
    let Some(n) = threads else {
        return Ok(());
    };
    if n == 0 {
        messages::error("-j takes a number of threads of 1 or more");
        return Err(messages::EXIT_USAGE);
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let n = match most_threads(cores) {
        most if n > most => {
            messages::warning(format!(
                "-j {n}: more threads than {THREADS_PER_CORE} a core only slow the run (this machine runs {cores} at once); using {most}"
            ));
            most
        }
        _ => n,
    };
    // Fails only if a pool exists already, which it cannot this early.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global();
    Ok(())
}

/// Threads a core may have before `-j` is cut down: idle workers look
/// for work in every other's queue, so a pool far larger than the machine
/// spends its time looking (`-j 100000` on two cores ran for minutes on a
/// one-line file). The output is the same for any `-j`.
const THREADS_PER_CORE: usize = 8;

/// The most threads `-j` gets on a machine of `cores`.
fn most_threads(cores: usize) -> usize {
    (cores * THREADS_PER_CORE).max(64)
}

pub use sapu::output::count;

/// Parses a share in [0, 1] for flags such as `--max-removed`.
pub fn parse_share(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number; give a share such as 0.5"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not a share between 0 and 1"))
    }
}
