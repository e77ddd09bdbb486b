//! Validation and compilation of rule files into a [`RuleSet`].
//!
//! Parsing is strict and every problem is reported with the file, the line
//! and the rule id. Compilation happens once per run; the cleaner only sees
//! the compiled form.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use regex::Regex;
use regex_syntax::hir::Hir;

use super::matcher::{Anchor, LineMatcher, MatcherBuilder, Pattern};
use super::threads::{join, map_in_order};

use super::kinds::{
    GenericOptions, HeaderOptions, KindOptions, SuffixGate, SuffixRegex, check_kind_keys,
    compile_kind, default_max_chars,
};
use super::spec::{Detector, Kind, RuleFileSpec, RuleOrigin, RuleSpec, Zone};
use crate::model::file::Model;

/// The text of one rule file and the name it is reported under.
#[derive(Clone, Debug)]
pub struct RuleSource {
    /// A path, or `embedded:rules/NAME.toml` for the default set.
    pub name: String,
    pub text: String,
}

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    /// 1-based line of the rule (or of the syntax error), when known.
    pub line: Option<usize>,
    pub rule: Option<String>,
    pub problem: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// All problems found while compiling a set of rule files.
#[derive(Debug, Clone, thiserror::Error)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// What guards a rule's matches: a line that fails one is never dropped
/// by the rule, whatever its patterns say.
#[derive(Debug)]
pub struct Guards {
    /// The length guard: longer lines (in characters) never match.
    pub max_chars: usize,
    /// Lines with more words never match.
    pub max_words: usize,
    /// A line that reads as a full sentence never matches.
    pub keep_sentences: bool,
    /// Where in the document the rule applies.
    pub zone: Zone,
    /// Vetoes: a line matching this is never dropped by the rule.
    pub unless: Option<Regex>,
}

/// A compiled rule: metadata for printers, its guards and its kind's
/// options for the cleaner. Patterns themselves live in the shared
/// [`LineMatcher`].
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// Where it was defined: `file:line`.
    pub origin: String,
    pub options: KindOptions,
    pub guards: Guards,
    pub case_insensitive: bool,
    /// The rule as written, for `sapu rule`.
    pub written: RuleSpec,
}

impl Rule {
    pub fn kind(&self) -> Kind {
        self.options.kind()
    }

    /// The detector as written in the rule file, if the rule has one.
    pub fn detector(&self) -> Option<Detector> {
        self.options.detector()
    }

    /// The patterns as written: (`exact`, `prefix`, `suffix`, `contains`
    /// or `regex`, the pattern).
    pub fn patterns(&self) -> Vec<(&'static str, &str)> {
        let w = &self.written;
        let mut out = Vec::new();
        for (field, list) in [
            ("regex", &w.regex),
            ("exact", &w.exact),
            ("prefix", &w.prefix),
            ("suffix", &w.suffix),
            ("contains", &w.contains),
        ] {
            out.extend(list.iter().map(|p| (field, p.as_str())));
        }
        out
    }
}

/// The compiled rules of one run.
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub matcher: LineMatcher,
    /// No line longer than this (in characters) can match any pattern.
    pub max_pattern_chars: usize,
    pub(crate) title_suffix_rules: Vec<u32>,
    /// Which of their regexes a title may match.
    pub(crate) title_suffix_gate: SuffixGate,
    pub(crate) detector_rules: Vec<u32>,
    pub(crate) generic_rules: Vec<u32>,
    /// Line rules with `cut_glued`, and the longest part any of them cuts
    /// (its length guard, in characters).
    pub(crate) cut_glued_rules: Vec<u32>,
    pub(crate) cut_glued_max_chars: usize,
    /// The rules of the trained model (at most one is useful).
    pub(crate) model_rules: Vec<u32>,
    /// The line model, when a model rule is in the set.
    pub model: Option<Arc<Model>>,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules.len())
            .finish()
    }
}

/// The 1-based line of any byte offset in one text, by binary search in
/// the offsets where its lines start: numbering every rule of a file costs
/// one pass over the file, not one per rule (10,000 rules of a learned file
/// took seconds to load that way).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
        LineIndex {
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// The number of lines that start at or before `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split(['.', '-', '_']).all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// A rule as parsed from a file, before compilation.
#[derive(Debug, Clone)]
pub struct ParsedRule {
    pub file: String,
    pub line: usize,
    pub spec: RuleSpec,
}

/// Parses one file into raw specs with the line of each rule. Every rule
/// with a problem is reported, each with its line and id.
pub fn parse_source(source: &RuleSource) -> Result<Vec<(usize, RuleSpec)>, RuleErrors> {
    let (rules, errors) = parse_rules(source);
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(RuleErrors(errors))
    }
}

/// Parses one file: the rules that read well, and a problem for each rule
/// that does not (or one for the file, when it is not TOML).
pub fn parse_rules(source: &RuleSource) -> (Vec<(usize, RuleSpec)>, Vec<RuleError>) {
    let text = &source.text;
    let lines = LineIndex::new(text);
    let raw: RuleFileSpec = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let error = RuleError {
                file: source.name.clone(),
                line: e.span().map(|s| lines.line_of(s.start)),
                rule: None,
                problem: e.message().trim().to_string(),
            };
            return (Vec::new(), vec![error]);
        }
    };
    // A table's span covers its `[[rule]]` header; its keys run to the next
    // header.
    let starts: Vec<usize> = raw.rule.iter().map(|t| t.span().start).collect();
    let shared: Arc<str> = Arc::from(text.as_str());
    let mut out = Vec::with_capacity(raw.rule.len());
    let mut errors = Vec::new();
    for (i, table) in raw.rule.into_iter().enumerate() {
        let span = starts[i]..starts.get(i + 1).copied().unwrap_or(text.len());
        let table = table.into_inner();
        let id = table.get("id").and_then(|v| v.as_str()).map(str::to_string);
        let id_line = id
            .as_deref()
            .and_then(|id| find_key_line(text, &lines, span.clone(), "id", Some(id)))
            .unwrap_or_else(|| lines.line_of(span.start));
        match serde_path_to_error::deserialize::<_, RuleSpec>(toml::Value::Table(table)) {
            Ok(mut rule) => {
                rule.origin = Some(RuleOrigin {
                    text: Arc::clone(&shared),
                    span,
                });
                out.push((id_line, rule))
            }
            Err(e) => {
                let key = key_of(e.path());
                let message = e.into_inner().message().trim().to_string();
                // A wrong value names its key and points at its line; a
                // problem with the rule's table as a whole (an unknown or
                // missing key) names the key in its message.
                let (problem, line) = match key {
                    Some(key) => {
                        let last = key.rsplit('.').next().unwrap_or(&key);
                        let problem = if message.contains(&format!("`{last}`")) {
                            message
                        } else {
                            format!("`{key}`: {message}")
                        };
                        (problem, key_line(text, &lines, span.clone(), &key))
                    }
                    None => (message, None),
                };
                let line = line
                    .or_else(|| culprit_line(text, &lines, span, &problem))
                    .unwrap_or(id_line);
                errors.push(RuleError {
                    file: source.name.clone(),
                    line: Some(line),
                    rule: id,
                    problem,
                });
            }
        }
    }
    (out, errors)
}

/// The dotted key (`keep_sentences`, `examples.drop`) whose value failed
/// to read, without list indices; `None` for the rule's table itself.
fn key_of(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Map { key } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    (!keys.is_empty()).then(|| keys.join("."))
}

/// The line that sets the dotted `key` (`examples.drop = ...`), else the
/// line that sets its first part (`examples = { ... }`).
fn key_line(
    text: &str,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    key: &str,
) -> Option<usize> {
    find_key_line(text, lines, span.clone(), key, None).or_else(|| {
        let first = key.split('.').next()?;
        find_key_line(text, lines, span, first, None)
    })
}

/// The line of the key or value a deserialization message names
/// (``unknown field `foo` ``, ``unknown variant `lime` ``), within one
/// rule's text.
fn culprit_line(
    text: &str,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    problem: &str,
) -> Option<usize> {
    let name = problem.split('`').nth(1)?;
    find_key_line(text, lines, span.clone(), name, None)
        .or_else(|| find_pattern_line(text, lines, span, name))
}

/// The line of `pattern` (a `regex` or `unless` pattern) in the rule's
/// file.
fn pattern_line(origin: &RuleOrigin, pattern: &str) -> Option<usize> {
    let lines = LineIndex::new(&origin.text);
    find_pattern_line(&origin.text, &lines, origin.span.clone(), pattern)
}

/// The line in `span` that holds the string `pattern` (a value or a
/// pattern), as TOML writes it (a basic string escapes `\` and `"`, a
/// literal string does not); else where it appears at all.
fn find_pattern_line(
    text: &str,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    pattern: &str,
) -> Option<usize> {
    let body = text.get(span.clone())?;
    let escaped = pattern.replace('\\', "\\\\").replace('"', "\\\"");
    let quoted = [format!("\"{escaped}\""), format!("'{pattern}'")];
    let at = quoted
        .iter()
        .find_map(|q| body.find(q.as_str()))
        .or_else(|| body.find(pattern))
        .or_else(|| body.find(escaped.as_str()))?;
    Some(lines.line_of(span.start + at))
}

/// The line in `span` where `key` is set (`key = ...`, or `key.sub = ...`),
/// to `value` when given.
fn find_key_line(
    text: &str,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    key: &str,
    value: Option<&str>,
) -> Option<usize> {
    let body = text.get(span.clone())?;
    let mut offset = span.start;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            let rest = rest.trim_start();
            let sets = rest.starts_with('=') || rest.starts_with('.');
            let matches_value = value.is_none_or(|v| {
                let r = rest.trim_start_matches('=').trim();
                r.strip_prefix(['"', '\'']).is_some_and(|r| {
                    r.strip_prefix(v)
                        .is_some_and(|r| r.starts_with(['"', '\'']))
                })
            });
            if sets && matches_value {
                return Some(lines.line_of(offset));
            }
        }
        offset += line.len();
    }
    None
}

/// What compiling the rule set does with one parsed rule.
enum Step {
    /// Its id was defined before, at this place (`file:line`).
    Duplicate(String),
    /// `--disable`d: validated, not compiled.
    Disabled,
    Compile,
}

/// Options for compiling a rule set.
#[derive(Debug, Default, Clone)]
pub struct CompileOptions {
    /// Rule ids to leave out. Unknown ids are an error.
    pub disable: Vec<String>,
    /// The line model for `detector = "model"` rules; `None`: the embedded
    /// default model.
    pub model: Option<Arc<Model>>,
    /// Compile the model rules but do not run them (no model is loaded):
    /// the rules that run before the model, as `sapu train` cleans its
    /// cases with, and the model rule's options.
    pub without_model: bool,
}

impl RuleSet {
    /// Parses, validates and compiles rule files. All problems in all files
    /// are reported together.
    pub fn compile(
        sources: &[RuleSource],
        options: &CompileOptions,
    ) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for source in sources {
            let (rules, problems) = parse_rules(source);
            errors.extend(problems);
            parsed.extend(rules.into_iter().map(|(line, r)| ParsedRule {
                file: source.name.clone(),
                line,
                spec: r,
            }));
        }
        // The rules that parsed are still checked, so that one run reports
        // every problem.
        match Self::compile_parsed(parsed, options) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(RuleErrors(errors)),
            Err(more) => {
                errors.extend(more.0);
                Err(RuleErrors(errors))
            }
        }
    }

    /// Compiles rules that were already parsed (see [`parse_source`]).
    pub fn compile_parsed(
        parsed: Vec<ParsedRule>,
        options: &CompileOptions,
    ) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut builder = MatcherBuilder::default();
        let mut rules = Vec::new();
        let disabled: HashSet<&str> = options.disable.iter().map(String::as_str).collect();
        // Which rules compile: a duplicate id is reported, a disabled rule
        // only validated, in the order of the files.
        let steps: Vec<Step> = parsed
            .iter()
            .map(|ParsedRule { file, line, spec }| {
                if let Some(first) = seen.get(&spec.id) {
                    return Step::Duplicate(first.clone());
                }
                seen.insert(spec.id.clone(), format!("{file}:{line}"));
                if disabled.contains(spec.id.as_str()) {
                    Step::Disabled
                } else {
                    Step::Compile
                }
            })
            .collect();
        // The rules compile on the run's threads (parsing their regexes is
        // most of it), and the embedded model is read beside them when a
        // model rule runs without a model of the user's.
        let compiles = |detector: &dyn Fn(Detector) -> bool| {
            parsed.iter().zip(&steps).any(|(p, step)| {
                matches!(step, Step::Compile) && p.spec.detector.is_some_and(detector)
            })
        };
        let loads_default_model = !options.without_model
            && options.model.is_none()
            && compiles(&|d| d == Detector::Model);
        // So are the stop lists, which every generic rule reads (built on
        // the first document otherwise, while the other workers wait).
        let counts_stop_words = compiles(&|d| d.kind() == Kind::Generic);
        let (compiled, _) = join(
            || {
                map_in_order(parsed.into_iter().zip(steps).collect(), |(p, step)| {
                    let ParsedRule { file, line, spec } = p;
                    let compiled = match step {
                        Step::Duplicate(first) => Some(Err((
                            vec![(
                                None,
                                format!(
                                    "duplicate id: already defined at {first}; give this rule an id of its own, prefixed with your site or project (`mysite.{}`)",
                                    spec.id
                                ),
                            )],
                            spec.id,
                        ))),
                        // Validated, not compiled.
                        Step::Disabled => validate(&spec)
                            .err()
                            .map(|p| Err((p.into_iter().map(|p| (None, p)).collect(), spec.id))),
                        Step::Compile => Some(compile_rule(spec)),
                    };
                    (file, line, compiled)
                })
            },
            || {
                if loads_default_model {
                    // Its error, if any, is reported below.
                    let _ = crate::model::default_model();
                }
                if counts_stop_words {
                    crate::text::lang::stop_words();
                }
            },
        );
        for (file, line, compiled) in compiled {
            match compiled {
                None => {}
                Some(Ok((mut rule, regexes))) => {
                    add_patterns(&mut builder, rules.len() as u32, &rule, regexes);
                    rule.origin = format!("{file}:{line}");
                    rules.push(rule);
                }
                Some(Err((problems, id))) => {
                    errors.extend(problems.into_iter().map(|(at, problem)| RuleError {
                        file: file.clone(),
                        line: Some(at.unwrap_or(line)),
                        rule: Some(id.clone()),
                        problem,
                    }))
                }
            }
        }
        for d in &options.disable {
            if !seen.contains_key(d) {
                errors.push(RuleError {
                    file: "--disable".into(),
                    line: None,
                    rule: Some(d.clone()),
                    problem: "no rule has this id (see `sapu rules`)".into(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let matcher = builder.build().map_err(|e| {
            RuleErrors(vec![RuleError {
                file: "(all rules)".into(),
                line: None,
                rule: None,
                problem: format!("compiling the patterns failed: {e}"),
            }])
        })?;
        let max_pattern_chars = rules
            .iter()
            .filter(|r| !r.patterns().is_empty() && r.options.matches_lines())
            .map(|r| r.guards.max_chars)
            .max()
            .unwrap_or(0);
        let title_suffix_gate = SuffixGate::new(&mut rules);
        let indices = |keep: fn(&KindOptions) -> bool| -> Vec<u32> {
            rules
                .iter()
                .enumerate()
                .filter(|(_, r)| keep(&r.options))
                .map(|(i, _)| i as u32)
                .collect()
        };
        let title_suffix_rules =
            indices(|o| matches!(o, KindOptions::Header(HeaderOptions::TitleSuffix { .. })));
        let detector_rules = indices(|o| {
            !matches!(o, KindOptions::Generic(_)) && o.detector().is_some() && o.matches_lines()
        });
        let generic_rules = indices(|o| matches!(o, KindOptions::Generic(_)));
        let model_rules = if options.without_model {
            Vec::new()
        } else {
            indices(|o| matches!(o, KindOptions::Generic(GenericOptions::Model { .. })))
        };
        let cut_glued_rules = indices(|o| matches!(o, KindOptions::Line { cut_glued: true }));
        let cut_glued_max_chars = cut_glued_rules
            .iter()
            .map(|&r| rules[r as usize].guards.max_chars)
            .max()
            .unwrap_or(0);
        let model = if model_rules.is_empty() {
            None
        } else {
            match &options.model {
                Some(m) => Some(m.clone()),
                None => Some(crate::model::default_model().map_err(|e| {
                    RuleErrors(vec![RuleError {
                        file: e.file.clone(),
                        line: None,
                        rule: Some(rules[model_rules[0] as usize].id.clone()),
                        problem: e.problem.clone(),
                    }])
                })?),
            }
        };
        Ok(RuleSet {
            rules,
            matcher,
            max_pattern_chars,
            title_suffix_rules,
            title_suffix_gate,
            detector_rules,
            generic_rules,
            cut_glued_rules,
            cut_glued_max_chars,
            model_rules,
            model,
        })
    }

    /// Sets the threshold of every model rule (to score a model at several
    /// operating points without compiling the rules again).
    pub fn set_model_threshold(&mut self, threshold: f32) {
        for &r in &self.model_rules {
            if let KindOptions::Generic(GenericOptions::Model { threshold: t }) =
                &mut self.rules[r as usize].options
            {
                *t = threshold;
            }
        }
    }

    /// The threshold and length guard of the first model rule, whether it
    /// runs or not.
    pub fn model_rule_options(&self) -> Option<(f32, usize)> {
        self.rules.iter().find_map(|r| match r.options {
            KindOptions::Generic(GenericOptions::Model { threshold }) => {
                Some((threshold, r.guards.max_chars))
            }
            _ => None,
        })
    }

    pub fn find(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Kind/option consistency checks that need no compilation.
fn validate(spec: &RuleSpec) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if !valid_id(&spec.id) {
        problems.push(
            "ids are lowercase ASCII words joined by `.`, `-` or `_` (for example `promo.baca-juga`)".into(),
        );
    }
    if spec.description.trim().is_empty() {
        problems.push("`description` is empty: say in one line what the rule removes".into());
    }
    problems.extend(check_kind_keys(spec));
    let literal_count =
        spec.exact.len() + spec.prefix.len() + spec.suffix.len() + spec.contains.len();
    match spec.detector {
        Some(Detector::TitleSuffix) => {
            if spec.regex.is_empty() || literal_count > 0 {
                problems.push("the title-suffix detector takes `regex` patterns describing the suffix, and nothing else".into());
            }
        }
        Some(_) => {
            if literal_count + spec.regex.len() > 0 {
                problems.push("this detector works from the title; it takes no patterns".into());
            }
        }
        None => {
            if literal_count + spec.regex.len() == 0 {
                problems.push("no patterns: give at least one of `exact`, `prefix`, `suffix`, `contains`, `regex`".into());
            }
        }
    }
    for (field, list) in [
        ("exact", &spec.exact),
        ("prefix", &spec.prefix),
        ("suffix", &spec.suffix),
        ("contains", &spec.contains),
    ] {
        if list.iter().any(|p| p.trim().is_empty()) {
            problems.push(format!(
                "`{field}` has an empty pattern, which would match every line"
            ));
        }
        if list.iter().any(|p| p.contains('\n')) {
            problems.push(format!(
                "`{field}` has a pattern with a line break; patterns match one line"
            ));
        }
    }
    if spec.examples.drop.is_empty() && spec.examples.rewrite.is_empty() {
        problems.push(
            "no `examples.drop` (or `examples.rewrite`): show at least one line the rule removes"
                .into(),
        );
    }
    if spec.cut_glued == Some(true) && spec.examples.rewrite.is_empty() {
        problems.push(
            "`cut_glued` without an `examples.rewrite` pair: show a paragraph with the part glued on, and the paragraph the rule leaves"
                .into(),
        );
    }
    if spec.examples.keep.is_empty() {
        problems.push(
            "no `examples.keep`: show at least one look-alike line the rule must keep".into(),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The source of a rule regex as compiled: with `(?i)` in front when the
/// rule is case-insensitive.
fn full_source(source: &str, ci: bool) -> String {
    if ci {
        format!("(?i){source}")
    } else {
        source.to_string()
    }
}

/// Checks a rule regex without compiling it, and returns its syntax tree:
/// parsing finds every syntax error, with the message `Regex::new` gives.
/// Compiling is left to the matcher, which builds only what matching needs. A pattern whose automaton
/// may come near the regex crate's size limit is compiled here after all,
/// so that it is refused as before, naming its rule.
fn check_regex(source: &str, ci: bool, what: &str) -> Result<Hir, String> {
    let full = full_source(source, ci);
    let bad = |e: &dyn fmt::Display| format!("bad {what} /{source}/: {e}");
    let hir = regex_syntax::parse(&full).map_err(|e| bad(&e))?;
    if size_estimate(&hir) > SIZE_CHECK_FROM {
        Regex::new(&full).map_err(|e| bad(&e))?;
    }
    Ok(hir)
}

/// Compiles a regex the cleaner uses directly (vetoes, title suffixes).
fn compile_regex(source: &str, ci: bool, what: &str) -> Result<Regex, String> {
    Regex::new(&full_source(source, ci)).map_err(|e| format!("bad {what} /{source}/: {e}"))
}

/// Estimated bytes from which [`check_regex`] compiles a pattern to check
/// it against the regex crate's size limit (10 MiB): the estimate is close
/// for the large patterns (those with counted repetitions of Unicode
/// classes; `\w`, 771 ranges, needs about 45 KB and is estimated at 49 KB),
/// and it multiplies out nested repetitions, which is what blows up.
const SIZE_CHECK_FROM: u64 = 10 << 20;

/// A rough measure of the bytes of a pattern's compiled automaton: 64 per
/// character class range, literal byte or assertion, multiplied out through
/// counted repetitions.
fn size_estimate(hir: &Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 64,
        HirKind::Literal(l) => 64 * l.0.len() as u64,
        HirKind::Class(Class::Unicode(c)) => 64 * c.ranges().len() as u64,
        HirKind::Class(Class::Bytes(c)) => 64 * c.ranges().len() as u64,
        HirKind::Repetition(r) => {
            let copies = u64::from(r.max.unwrap_or(r.min).max(r.min).max(1));
            size_estimate(&r.sub)
                .saturating_mul(copies)
                .saturating_add(64)
        }
        HirKind::Capture(c) => size_estimate(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => {
            v.iter().map(size_estimate).fold(0, u64::saturating_add)
        }
    }
}

/// Adds the patterns of rule `index` to the matcher: its literals as
/// written, then its `regexes` (parsed by [`compile_rule`]).
fn add_patterns(
    builder: &mut MatcherBuilder,
    index: u32,
    rule: &Rule,
    regexes: Vec<(String, Hir)>,
) {
    let w = &rule.written;
    let max_chars = rule.guards.max_chars;
    for (anchor, list) in [
        (Anchor::Exact, &w.exact),
        (Anchor::Prefix, &w.prefix),
        (Anchor::Suffix, &w.suffix),
        (Anchor::Contains, &w.contains),
    ] {
        for text in list {
            builder.add(
                index,
                max_chars,
                Pattern::Literal {
                    text,
                    anchor,
                    case_insensitive: rule.case_insensitive,
                },
            );
        }
    }
    for (source, hir) in regexes {
        builder.add(index, max_chars, Pattern::Parsed { source, hir });
    }
}

/// A compiled rule and its regexes parsed for the matcher (source and
/// syntax tree); its literal patterns are read from the rule as written.
type CompiledRule = (Rule, Vec<(String, Hir)>);

/// The problems of a rule that does not compile, each with the line of the
/// pattern it is about when known, and the rule's id.
type RuleProblems = (Vec<(Option<usize>, String)>, String);

/// Compiles one rule, or gives its problems.
fn compile_rule(spec: RuleSpec) -> Result<CompiledRule, RuleProblems> {
    // Each problem with the line of the pattern it is about, if known.
    let mut problems: Vec<(Option<usize>, String)> = validate(&spec)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| (None, p))
        .collect();
    let line_of = |pattern: &str| {
        spec.origin
            .as_ref()
            .and_then(|origin| pattern_line(origin, pattern))
    };
    let ci = spec.case_insensitive.unwrap_or(true);
    let mut parsed = Vec::new();
    for r in &spec.regex {
        match check_regex(r, ci, "regex") {
            Ok(hir) => parsed.push(hir),
            Err(p) => problems.push((line_of(r), p)),
        }
    }
    let unless = if spec.unless.is_empty() {
        None
    } else {
        let alternation = spec
            .unless
            .iter()
            .map(|u| format!("(?:{u})"))
            .collect::<Vec<_>>()
            .join("|");
        let before = problems.len();
        for u in &spec.unless {
            if let Err(p) = check_regex(u, ci, "`unless` regex") {
                problems.push((line_of(u), p));
            }
        }
        if problems.len() > before {
            None
        } else {
            match compile_regex(&alternation, ci, "`unless` regex") {
                Ok(re) => Some(re),
                Err(p) => {
                    problems.push((spec.unless.first().and_then(|u| line_of(u)), p));
                    None
                }
            }
        }
    };
    if !problems.is_empty() {
        return Err((problems, spec.id));
    }
    let is_suffix_detector = spec.detector == Some(Detector::TitleSuffix);
    let max_chars = spec.max_chars.unwrap_or(default_max_chars(spec.kind));
    let mut suffixes = Vec::new();
    let mut regexes = Vec::new();
    if is_suffix_detector {
        for (r, hir) in spec.regex.iter().zip(&parsed) {
            // Anchored at the end; validated above.
            if let Ok(suffix) = SuffixRegex::new(&full_source(&format!("(?:{r})$"), ci), hir) {
                suffixes.push(suffix);
            }
        }
    } else {
        for (r, hir) in spec.regex.iter().zip(parsed) {
            regexes.push((full_source(r, ci), hir));
        }
    }
    let options = compile_kind(&spec, suffixes);
    let rule = Rule {
        guards: Guards {
            max_chars,
            max_words: spec.max_words.unwrap_or(usize::MAX),
            keep_sentences: spec.keep_sentences.unwrap_or(spec.kind == Kind::Spam),
            zone: spec.zone.unwrap_or(Zone::Any),
            unless,
        },
        options,
        case_insensitive: ci,
        id: spec.id.clone(),
        description: spec.description.trim().to_string(),
        // Set where the rule is placed in the set.
        origin: String::new(),
        written: spec,
    };
    Ok((rule, regexes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checking_reports_what_compiling_reported() {
        for (source, ci) in [("(unclosed", true), (r"\p{Nope}", false), ("a{2,1}", true)] {
            let old = Regex::new(&full_source(source, ci)).unwrap_err();
            assert_eq!(
                check_regex(source, ci, "regex").unwrap_err(),
                format!("bad regex /{source}/: {old}")
            );
        }
        assert!(check_regex(r"^\p{Lu}[\p{L}.' -]{1,50}$", true, "regex").is_ok());
    }

    #[test]
    fn patterns_too_large_are_still_refused() {
        let source = r"(?:\w{50}){50}";
        let old = Regex::new(&full_source(source, true)).unwrap_err();
        assert!(old.to_string().contains("size limit"), "{old}");
        assert_eq!(
            check_regex(source, true, "regex").unwrap_err(),
            format!("bad regex /{source}/: {old}")
        );
    }
}
