//! One document through sapu: clean it, render the clean text, count what
//! was dropped, and build the `--explain` records and the annotation the
//! caller asked for. The CLI's text files, the JSONL shards
//! ([`crate::corpus`]) and the Python binding all go through [`process`],
//! so the policies below exist once:
//!
//! - a **file** ends with one newline, and a blank file comes out empty;
//!   a **field** (a JSONL record's text, a Python string) has no final
//!   newline, and a blank one is passed through as it is;
//! - a document over the flag share is flagged, and over `max_removed` it
//!   comes out normalized but uncut (decided by the cleaner);
//! - the annotation says what was dropped, or nothing for a document left
//!   uncut.

use serde_json::json;

use crate::events::{Cleaned, Event};
use crate::output::{explain, stats::Stats, text};
use crate::{Cleaner, RuleSet};

/// How the clean text of a document is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A text file: ends with one newline; a blank file comes out empty.
    File,
    /// A field of a record: no final newline; a blank text is passed
    /// through unchanged.
    Field,
}

/// What a caller wants besides the clean text and the counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Wants {
    /// The `--explain` records.
    pub explain: bool,
    /// The annotation (`--annotate`, Python's `annotate`).
    pub annotate: bool,
}

/// Everything cleaning one document produced.
#[derive(Debug)]
pub struct Processed {
    /// The clean text, laid out as asked.
    pub text: String,
    /// The decisions; `None` when the text was blank and passed through.
    pub cleaned: Option<Cleaned>,
    /// The `--explain` records, when wanted.
    pub explain: Vec<serde_json::Value>,
    /// The `"sapu"` object of `--annotate`, when wanted.
    pub annotation: Option<serde_json::Value>,
}

impl Processed {
    /// The text was blank and passed through without cleaning.
    pub fn passed_through(&self) -> bool {
        self.cleaned.is_none()
    }

    /// Over the flag share of removed characters.
    pub fn flagged(&self) -> bool {
        self.cleaned.as_ref().is_some_and(|c| c.flagged)
    }
}

/// Cleans one document. `name` names it in the explain records. The
/// document's counts (documents, lines and characters per rule, flags; not
/// bytes, which are the caller's I/O) are added to `stats`.
pub fn process(
    cleaner: &Cleaner,
    name: &str,
    input: &str,
    layout: Layout,
    wants: Wants,
    stats: &mut Stats,
) -> Processed {
    if layout == Layout::Field && input.trim().is_empty() {
        stats.documents += 1;
        return Processed {
            text: input.to_string(),
            cleaned: None,
            explain: Vec::new(),
            annotation: wants.annotate.then(nothing_done),
        };
    }
    let rules = cleaner.rules();
    let cleaned = cleaner.clean(input);
    let mut clean_text = text::render(&cleaned);
    if layout == Layout::Field && clean_text.ends_with('\n') {
        clean_text.pop();
    }
    stats.record(&cleaned, rules);
    Processed {
        text: clean_text,
        explain: if wants.explain {
            explain::records(name, &cleaned, rules)
        } else {
            Vec::new()
        },
        annotation: wants.annotate.then(|| annotation(&cleaned, rules)),
        cleaned: Some(cleaned),
    }
}

/// The annotation of a text passed through without cleaning.
fn nothing_done() -> serde_json::Value {
    json!({"dropped_lines": 0, "dropped_chars": 0, "rules": []})
}

/// The `"sapu"` object of `--annotate`: lines and characters dropped, the
/// rules that dropped or rewrote (in id order), and `flagged` / `reverted`
/// when true. A reverted document had nothing dropped.
pub fn annotation(cleaned: &Cleaned, rules: &RuleSet) -> serde_json::Value {
    let (mut lines, mut chars) = (0u64, 0u64);
    let mut ids: Vec<&str> = Vec::new();
    if !cleaned.reverted {
        for event in cleaned.events(rules) {
            let (rule, removed) = match event {
                Event::Dropped { text, rule, .. } => {
                    lines += 1;
                    (rule, text.chars().count())
                }
                Event::Rewritten { from, to, rule, .. } => (
                    rule,
                    from.chars().count().saturating_sub(to.chars().count()),
                ),
                Event::Kept { .. } | Event::Gap => continue,
            };
            chars += removed as u64;
            ids.push(&rule.id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut a = json!({
        "dropped_lines": lines,
        "dropped_chars": chars,
        "rules": ids,
    });
    if cleaned.flagged {
        a["flagged"] = true.into();
    }
    if cleaned.reverted {
        a["reverted"] = true.into();
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CleanOptions;
    use crate::rules::{CompileOptions, RuleSet, default_sources};

    fn defaults() -> RuleSet {
        RuleSet::compile(&default_sources(), &CompileOptions::default()).unwrap()
    }

    const PAGE: &str = "Judul Berita Hari Ini | Suara Amerika\n\nPemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara di seluruh wilayah.\n\nBaca Juga: Berita lain yang menarik\n";

    #[test]
    fn files_end_with_a_newline_and_fields_do_not() {
        let rules = defaults();
        let c = Cleaner::new(&rules, CleanOptions::default());
        let mut stats = Stats::default();
        let file = process(&c, "f", PAGE, Layout::File, Wants::default(), &mut stats);
        let field = process(&c, "f", PAGE, Layout::Field, Wants::default(), &mut stats);
        assert!(file.text.ends_with(".\n"), "{:?}", file.text);
        assert_eq!(field.text, file.text.trim_end_matches('\n'));
        assert_eq!(stats.documents, 2);
        assert!(stats.rules.contains_key("promo.baca-juga"));
    }

    #[test]
    fn blank_fields_pass_through_and_blank_files_come_out_empty() {
        let rules = defaults();
        let c = Cleaner::new(&rules, CleanOptions::default());
        let mut stats = Stats::default();
        let wants = Wants {
            explain: true,
            annotate: true,
        };
        let field = process(&c, "f", " \n ", Layout::Field, wants, &mut stats);
        assert!(field.passed_through());
        assert_eq!(field.text, " \n ");
        assert_eq!(field.annotation, Some(nothing_done()));
        let file = process(&c, "f", " \n ", Layout::File, wants, &mut stats);
        assert!(!file.passed_through());
        assert_eq!(file.text, "");
        assert_eq!(stats.documents, 2);
    }

    #[test]
    fn the_annotation_counts_what_the_statistics_count() {
        let rules = defaults();
        for options in [
            CleanOptions::default(),
            CleanOptions {
                flag_removed: 0.1,
                max_removed: Some(0.1),
                ..CleanOptions::default()
            },
        ] {
            let c = Cleaner::new(&rules, options);
            let mut stats = Stats::default();
            let wants = Wants {
                explain: true,
                annotate: true,
            };
            let p = process(&c, "page", PAGE, Layout::Field, wants, &mut stats);
            let a = p.annotation.unwrap();
            assert_eq!(a["dropped_lines"], stats.lines_dropped);
            assert_eq!(a["dropped_chars"], stats.chars_dropped);
            let ids: Vec<&String> = stats.rules.keys().collect();
            assert_eq!(a["rules"], json!(ids));
            assert_eq!(
                a["reverted"].as_bool().unwrap_or(false),
                p.cleaned.unwrap().reverted
            );
            assert!(p.explain.iter().all(|r| r["doc"] == "page"));
        }
    }
}
