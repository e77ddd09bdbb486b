//! Runs the examples of every rule as tests: each rule alone must drop the
//! lines its `drop` examples show, keep its `keep` examples, and turn each
//! `rewrite` input into its output.

use crate::clean::{CleanOptions, Cleaner};
use crate::events::Verdict;
use crate::output::text::render;
use crate::rules::{CompileOptions, ParsedRule, RuleSet};

/// One failed example.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// `file:line` of the rule.
    pub origin: String,
    pub rule: String,
    pub problem: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule `{}`: {}", self.origin, self.rule, self.problem)
    }
}

/// Marks a context line in a `drop` example: the rule must keep it.
pub const CONTEXT_MARK: &str = "= ";

/// Checks the examples of each rule, compiling it alone. Returns the number
/// of examples run and the failures.
pub fn check_examples(parsed: &[ParsedRule]) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in parsed {
        let fail_at = |line: usize, problem: String| ExampleFailure {
            origin: format!("{}:{line}", rule.file),
            rule: rule.spec.id.clone(),
            problem,
        };
        let fail = |problem: String| fail_at(rule.line, problem);
        let set = match RuleSet::compile_parsed(vec![rule.clone()], &CompileOptions::default()) {
            Ok(set) => set,
            Err(e) => {
                // At the line the problem names (a bad pattern's own line).
                failures.extend(
                    e.0.into_iter()
                        .map(|e| fail_at(e.line.unwrap_or(rule.line), e.problem)),
                );
                continue;
            }
        };
        let cleaner = Cleaner::new(&set, CleanOptions::default());
        let ex = &rule.spec.examples;
        for (n, text) in ex.drop.iter().enumerate() {
            count += 1;
            let (doc, context_lines) = strip_context_marks(text);
            let cleaned = cleaner.clean(&doc);
            for (i, verdict) in cleaned.verdicts.iter().enumerate() {
                let line = cleaned.line_text(i);
                if line.is_empty() {
                    continue;
                }
                let dropped = matches!(verdict, Verdict::Drop { .. });
                let context = context_lines.contains(&i);
                if context && dropped {
                    failures.push(fail(format!(
                        "drop example {}: context line {line:?} was dropped",
                        n + 1
                    )));
                } else if !context && !dropped {
                    failures.push(fail(format!(
                        "drop example {}: line {line:?} was kept",
                        n + 1
                    )));
                }
            }
        }
        for (n, text) in ex.keep.iter().enumerate() {
            count += 1;
            let (doc, _) = strip_context_marks(text);
            let cleaned = cleaner.clean(&doc);
            for (i, verdict) in cleaned.verdicts.iter().enumerate() {
                if *verdict != Verdict::Keep {
                    failures.push(fail(format!(
                        "keep example {}: line {:?} was changed or dropped",
                        n + 1,
                        cleaned.line_text(i)
                    )));
                }
            }
        }
        for (n, (input, output)) in ex.rewrite.iter().enumerate() {
            count += 1;
            let cleaned = cleaner.clean(input);
            let got = render(&cleaned);
            let want = crate::text::normalize::normalize(output);
            if got.trim_end() != want.trim_end() {
                failures.push(fail(format!(
                    "rewrite example {}: expected {want:?}, got {:?}",
                    n + 1,
                    got.trim_end()
                )));
            }
        }
    }
    (count, failures)
}

/// Removes the context marks of an example; returns the document and the
/// 0-based numbers of the lines that were marked.
fn strip_context_marks(text: &str) -> (String, Vec<usize>) {
    let mut doc = String::with_capacity(text.len());
    let mut context = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(CONTEXT_MARK) {
            context.push(i);
            doc.push_str(rest);
        } else {
            doc.push_str(line);
        }
        doc.push('\n');
    }
    (doc, context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{default_sources, parse_source};

    #[test]
    fn embedded_rule_examples_pass() {
        let mut parsed = Vec::new();
        for source in default_sources() {
            for (line, spec) in parse_source(&source).unwrap() {
                parsed.push(ParsedRule {
                    file: source.name.clone(),
                    line,
                    spec,
                });
            }
        }
        let (count, failures) = check_examples(&parsed);
        assert!(count > 50);
        let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(report.is_empty(), "{}", report.join("\n"));
    }
}
