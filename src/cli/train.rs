//! `sapu train CASES... -o MODEL`: a line model from golden cases.

use std::path::PathBuf;
use std::time::Instant;

use clap::builder::TypedValueParser;
use clap::{Args, ValueEnum};

use sapu::input::write_atomic;
use sapu::model::cases::{LabelledCase, load_cases};
use sapu::model::file::Provenance;
use sapu::model::gbdt::TreeParams;
use sapu::model::linear::LinearParams;
use sapu::model::train::{FamilyParams, Training, case_views, train};
use sapu::rules::RuleSet;
use sapu::rules::kinds::DEFAULT_THRESHOLD;

use super::messages;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, RuleArgs};

#[derive(Args)]
#[command(
    after_help = "Any folder of golden cases is training data: a line of CASE/input.txt is \
    content when it is in CASE/expected.txt (or listed in CASE/meta.json's content_lines), \
    boilerplate otherwise. Each case is cleaned by the rules that run before the model \
    (the default rules, --rules, --disable; the model rules left out), and the model learns \
    on the lines they leave. The same cases, settings and rules give the same file, byte \
    for byte, on any number of threads."
)]
pub struct TrainArgs {
    /// Folders of golden cases (CASE/input.txt, CASE/expected.txt).
    #[arg(required = true, value_name = "CASES")]
    cases: Vec<PathBuf>,
    /// The model file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    params: ModelParams,
    /// Worker threads (default: all cores; at most 8 a core, or 64).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FamilyArg {
    /// Gradient-boosted decision trees.
    Trees,
    /// Logistic regression on standardized features.
    Linear,
}

/// How a model is fitted; shared by `sapu train` and `sapu eval --folds`.
#[derive(Args, Clone, Debug)]
pub struct ModelParams {
    /// The model family.
    #[arg(long, value_enum, default_value = "trees")]
    family: FamilyArg,
    /// Trees: how many.
    #[arg(long, value_name = "N", default_value_t = TreeParams::default().trees, value_parser = clap::value_parser!(u64).range(1..=100_000).map(|n| n as usize))]
    trees: usize,
    /// Trees: the deepest split (1 to 20).
    #[arg(long, value_name = "N", default_value_t = TreeParams::default().max_depth, value_parser = clap::value_parser!(u64).range(1..=20).map(|n| n as usize))]
    depth: usize,
    /// Trees: the learning rate (shrinkage of each tree; more than 0, at
    /// most 1).
    #[arg(long, value_name = "RATE", default_value_t = TreeParams::default().learning_rate, value_parser = learning_rate)]
    learning_rate: f64,
    /// Trees: the least weight of lines (hessian) a leaf holds.
    #[arg(long, value_name = "W", default_value_t = TreeParams::default().min_child_weight, value_parser = non_negative)]
    min_child_weight: f64,
    /// Trees: bins per feature (2 to 256).
    #[arg(long, value_name = "N", default_value_t = TreeParams::default().bins, value_parser = clap::value_parser!(u64).range(2..=256).map(|n| n as usize))]
    bins: usize,
    /// Linear: the L2 penalty.
    #[arg(long, value_name = "L2", default_value_t = LinearParams::default().l2, value_parser = non_negative)]
    l2: f64,
    /// How a page's lines share its weight: each weighs 1 / (the page's
    /// lines)^EXP. 0: every line weighs the same, so long pages (forums,
    /// listings) weigh more than short ones; 1: every page does, however
    /// long (0 to 2).
    #[arg(long, value_name = "EXP", default_value_t = 0.0, value_parser = page_weight)]
    page_weight: f64,
}

fn learning_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number more than 0 and at most 1")),
    }
}

fn non_negative(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number of 0 or more")),
    }
}

fn page_weight(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=2.0).contains(&v) => Ok(v),
        _ => Err(format!("{s:?} is not a number from 0 to 2")),
    }
}

impl ModelParams {
    /// How to train with the rules before the model: the model rule's
    /// threshold and length guard come from `rules` (the defaults when it
    /// holds no model rule).
    pub fn training(&self, rules: &RuleSet) -> Training {
        let (threshold, max_chars) = rules
            .model_rule_options()
            .unwrap_or((DEFAULT_THRESHOLD as f32, 300));
        Training {
            family: self.family(),
            threshold,
            max_chars,
            page_weight: self.page_weight,
        }
    }

    pub fn family(&self) -> FamilyParams {
        match self.family {
            FamilyArg::Trees => FamilyParams::Trees(TreeParams {
                trees: self.trees,
                max_depth: self.depth,
                learning_rate: self.learning_rate,
                min_child_weight: self.min_child_weight,
                bins: self.bins,
                ..TreeParams::default()
            }),
            FamilyArg::Linear => FamilyParams::Linear(LinearParams {
                l2: self.l2,
                ..LinearParams::default()
            }),
        }
    }
}

/// Reads the cases, or says why not.
pub fn read_cases(paths: &[PathBuf]) -> Option<Vec<LabelledCase>> {
    match load_cases(paths) {
        Ok(c) if c.is_empty() => {
            messages::error("no cases (a case is a folder with input.txt and expected.txt)");
            None
        }
        Ok(c) => {
            warn_unmatched(&c);
            Some(c)
        }
        Err(e) => {
            messages::error(e);
            None
        }
    }
}

/// Names the cases whose expected text has lines not on the page: they
/// are not labelled content, so a mistyped line trains and scores as
/// boilerplate.
pub fn warn_unmatched(cases: &[LabelledCase]) {
    const SHOWN: usize = 20;
    let with: Vec<&LabelledCase> = cases.iter().filter(|c| !c.unmatched.is_empty()).collect();
    for c in with.iter().take(SHOWN) {
        let numbers: Vec<String> = c.unmatched.iter().take(5).map(|n| n.to_string()).collect();
        messages::warning(format!(
            "{}: {} of expected.txt not found on the page, in order (line {}{}): not labelled content (a mistyped line, or one a rewrite cut to less than half of its page line); fix expected.txt or give meta.json's content_lines",
            c.dir.join("expected.txt").display(),
            if c.unmatched.len() == 1 {
                "1 line".to_string()
            } else {
                format!("{} lines", c.unmatched.len())
            },
            numbers.join(", "),
            if c.unmatched.len() > 5 { ", ..." } else { "" }
        ));
    }
    if with.len() > SHOWN {
        messages::warning(format!(
            "{} more cases have lines of expected.txt not found on their page",
            with.len() - SHOWN
        ));
    }
}

/// Compiles the rules that run before the model.
pub fn rules_before_model(args: &RuleArgs) -> Option<RuleSet> {
    match args.config().compile_before_model() {
        Ok(set) => Some(set),
        Err(errors) => {
            for e in &errors.0 {
                messages::error(e);
            }
            None
        }
    }
}

pub fn run(args: TrainArgs) -> i32 {
    let started = Instant::now();
    if let Err(code) = super::set_threads(args.threads) {
        return code;
    }
    if let Some(model) = &args.rules.model {
        messages::error(format!(
            "--model {}: train writes a model and reads none (the rules before the model run, then the model is trained); leave out --model",
            model.display()
        ));
        return EXIT_USAGE;
    }
    if args.output.as_os_str() == "-" {
        messages::error("-o -: a model is written to a file; name one (-o model.json)");
        return EXIT_USAGE;
    }
    if let Err(e) = super::clean::refuse_writing_into(&args.cases, &args.output, "-o") {
        messages::error(e);
        return EXIT_USAGE;
    }
    let Some(cases) = read_cases(&args.cases) else {
        return EXIT_USAGE;
    };
    let Some(rules) = rules_before_model(&args.rules) else {
        return EXIT_USAGE;
    };
    let views = case_views(&cases, &rules);
    let lines: usize = views.iter().map(|v| v.labels.len()).sum();
    let content = views
        .iter()
        .flat_map(|v| &v.labels)
        .filter(|&&y| y > 0.5)
        .count();
    // A model learns what tells the two kinds of line apart: without one
    // of them it would only learn a constant.
    if content == 0 || content == lines {
        let (what, add) = match (lines, content) {
            (0, _) => ("no line", "cases whose input.txt holds lines"),
            (_, 0) => (
                "no content line (no line of input.txt is in expected.txt)",
                "cases with content",
            ),
            _ => (
                "no boilerplate line (every line of input.txt is in expected.txt)",
                "cases with boilerplate",
            ),
        };
        messages::error(format!(
            "nothing to learn from: the {} cases hold {what} after the {} rules before the model; add {add}",
            cases.len(),
            rules.rules.len()
        ));
        return EXIT_USAGE;
    }
    let provenance = Provenance {
        cases: args.cases.iter().map(|p| p.display().to_string()).collect(),
        pages: cases.len(),
        lines,
        rules: rules.rules.len(),
        page_weight: 0.0,
    };
    let model = train(&views, &args.params.training(&rules), provenance);
    if let Err(e) = write_atomic(&args.output, model.to_json().as_bytes()) {
        messages::error(format!("{}: cannot write: {e}", args.output.display()));
        return EXIT_FAILED;
    }
    if !args.quiet {
        messages::note(format!(
            "trained on {}, {} lines after {} rules ({} content, {} boilerplate) in {:.1}s: {}",
            super::count(cases.len() as u64, "page", "pages"),
            lines,
            rules.rules.len(),
            content,
            lines - content,
            started.elapsed().as_secs_f64(),
            args.output.display()
        ));
    }
    EXIT_OK
}
