//! Writes what [`super::Counter::propose`] found as a rule file that a
//! person reviews before use: one rule per kind of finding, one pattern per
//! line with its document count and example documents in a comment above.
//! Same findings, same bytes.

use std::fmt::Write;

use super::{Found, Learned, PREFIX_LINE_MAX_CHARS};
use crate::output::count;

/// `1 document`, `2 documents`.
fn documents(n: impl Into<u64>) -> String {
    count(n.into(), "document", "documents")
}

/// Rule id of the whole lines that are not sentences.
pub const LINES_ID: &str = "learned.lines";
/// Rule id of the line prefixes.
pub const PREFIXES_ID: &str = "learned.prefixes";
/// Rule id of the whole lines that read as sentences.
pub const SENTENCES_ID: &str = "learned.sentences";

/// Drop examples per rule: the most frequent patterns.
const DROP_EXAMPLES: usize = 3;

/// A TOML basic string, escaped by the toml crate.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Comment text that cannot end the comment early: control characters
/// (a line break in a file name) become `?`.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The rule file for `learned`.
pub fn render(learned: &Learned) -> String {
    let mut out = String::new();
    header(learned, &mut out);
    if !learned.lines.is_empty() {
        rule(
            &mut out,
            LINES_ID,
            "exact",
            &format!(
                "Lines found whole in at least {} of {} of the corpus (site furniture).",
                learned.min_documents,
                documents(learned.documents)
            ),
            &learned.lines,
            None,
        );
    }
    if !learned.prefixes.is_empty() {
        rule(
            &mut out,
            PREFIXES_ID,
            "prefix",
            &format!(
                "Lines starting with a label found in at least {} of {} of the corpus (\"Baca Juga: ...\"); full sentences are spared.",
                learned.min_documents,
                documents(learned.documents)
            ),
            &learned.prefixes,
            Some(true),
        );
    }
    if !learned.sentences.is_empty() {
        rule(
            &mut out,
            SENTENCES_ID,
            "exact",
            &format!(
                "Full sentences found whole in at least {} of {} of the corpus (disclaimers): review each one.",
                learned.min_documents,
                documents(learned.documents)
            ),
            &learned.sentences,
            Some(false),
        );
    }
    out
}

fn header(learned: &Learned, out: &mut String) {
    let o = &learned.options;
    let _ = writeln!(
        out,
        "# Learned by `sapu learn` from {}: lines and line prefixes that occur",
        documents(learned.documents)
    );
    let _ = writeln!(
        out,
        "# in at least {} (--min-docs {}, --min-share {}). Counts are documents,",
        documents(learned.min_documents),
        o.min_docs,
        o.min_share
    );
    let _ = writeln!(out, "# not occurrences.");
    if !o.include_sentences {
        let _ = writeln!(
            out,
            "# Lines that read as full sentences were not counted (--include-sentences does)."
        );
    }
    if learned.pruning.rounds > 0 {
        let _ = writeln!(
            out,
            "#\n# APPROXIMATE: the counter was full {} time(s) (--max-entries {}) and forgot the",
            learned.pruning.rounds, learned.max_entries
        );
        let _ = writeln!(
            out,
            "# lines seen in the fewest documents. Counts are lower bounds, each at most {} below",
            learned.pruning.max_undercount
        );
        let _ = writeln!(
            out,
            "# the true count, and rarer lines near the threshold may be missing."
        );
    }
    let _ = writeln!(
        out,
        "#\n# Review before use: delete every pattern that is article text. Then:"
    );
    let _ = writeln!(out, "#   sapu clean CORPUS -o OUT --rules THIS-FILE");
    if learned.is_empty() {
        let _ = writeln!(out, "#\n# Nothing crossed the threshold: no rules.");
    }
}

fn rule(
    out: &mut String,
    id: &str,
    field: &str,
    description: &str,
    found: &[Found],
    keep_sentences: Option<bool>,
) {
    let _ = writeln!(out, "\n[[rule]]");
    let _ = writeln!(out, "id = {}", toml_string(id));
    let _ = writeln!(out, "kind = \"line\"");
    let _ = writeln!(out, "description = {}", toml_string(description));
    let _ = writeln!(out, "case_insensitive = false");
    let max_chars = if field == "prefix" {
        PREFIX_LINE_MAX_CHARS
    } else {
        found
            .iter()
            .map(|f| f.text.chars().count())
            .max()
            .unwrap_or(0)
    };
    let _ = writeln!(out, "max_chars = {max_chars}");
    if let Some(k) = keep_sentences {
        let _ = writeln!(out, "keep_sentences = {k}");
    }
    let _ = writeln!(out, "{field} = [");
    for f in found {
        let _ = write!(out, "  # {}", documents(f.documents));
        if !f.examples.is_empty() {
            let _ = write!(out, ", e.g. {}", comment_safe(&f.examples.join(", ")));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  {},", toml_string(&f.text));
    }
    let _ = writeln!(out, "]");
    let drops: Vec<String> = found
        .iter()
        .take(DROP_EXAMPLES)
        .map(|f| toml_string(&f.sample))
        .collect();
    let _ = writeln!(out, "examples.drop = [{}]", drops.join(", "));
    let _ = writeln!(
        out,
        "examples.keep = [{}]",
        toml_string(&keep_example(&found[0].text))
    );
}

/// A made-up sentence that mentions a pattern in passing: a whole-line or
/// line-start pattern must leave it alone.
fn keep_example(pattern: &str) -> String {
    format!("This made-up sentence quotes “{pattern}” in passing, and the rule keeps it.")
}
