//! The statistics printer: counts per run and per rule, merged across
//! threads, rendered as the stderr summary or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::events::{Cleaned, Event};
use crate::rules::RuleSet;

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct RuleCount {
    pub lines: u64,
    pub chars: u64,
}

/// Counts of a run. Merging two is adding them up.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub lines_dropped: u64,
    pub chars_dropped: u64,
    pub lines_rewritten: u64,
    /// Per rule id: lines and characters it removed.
    pub rules: BTreeMap<String, RuleCount>,
    pub flagged_documents: u64,
    pub reverted_documents: u64,
    /// Problems by kind (`invalid-utf8`, `binary`, `unreadable`,
    /// `malformed-json`, ...).
    pub problems: BTreeMap<String, u64>,
    /// JSONL lines skipped as bad records (`--rejects`).
    pub records_rejected: u64,
    /// Outputs left alone because they exist already (`--resume`).
    pub skipped_existing: u64,
}

/// The problem kind of a run that stopped at a bad record (`--on-error
/// fail`): the record counted in `records_rejected` was not skipped, it
/// ended the run.
pub const STOPPED_AT_BAD_RECORD: &str = "stopped-at-bad-record";

/// `1 document`, `2 documents`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Stats {
    /// Counts one cleaned document.
    pub fn record(
        &mut self,
        cleaned: &Cleaned,
        rules: &RuleSet,
        bytes_in: usize,
        bytes_out: usize,
    ) {
        self.documents += 1;
        self.bytes_in += bytes_in as u64;
        self.bytes_out += bytes_out as u64;
        self.flagged_documents += cleaned.flagged as u64;
        self.reverted_documents += cleaned.reverted as u64;
        if cleaned.reverted {
            return;
        }
        for event in cleaned.events(rules) {
            match event {
                Event::Dropped { text, rule, .. } => {
                    let chars = text.chars().count() as u64;
                    self.lines_dropped += 1;
                    self.chars_dropped += chars;
                    let c = self.rules.entry(rule.id.clone()).or_default();
                    c.lines += 1;
                    c.chars += chars;
                }
                Event::Rewritten { from, to, rule, .. } => {
                    let chars = from.chars().count().saturating_sub(to.chars().count()) as u64;
                    self.lines_rewritten += 1;
                    self.chars_dropped += chars;
                    let c = self.rules.entry(rule.id.clone()).or_default();
                    c.lines += 1;
                    c.chars += chars;
                }
                Event::Kept { .. } | Event::Gap => {}
            }
        }
    }

    /// Counts a problem of some kind.
    pub fn problem(&mut self, kind: &str) {
        *self.problems.entry(kind.to_string()).or_default() += 1;
    }

    pub fn merge(&mut self, other: Stats) {
        self.documents += other.documents;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.lines_dropped += other.lines_dropped;
        self.chars_dropped += other.chars_dropped;
        self.lines_rewritten += other.lines_rewritten;
        self.flagged_documents += other.flagged_documents;
        self.reverted_documents += other.reverted_documents;
        self.records_rejected += other.records_rejected;
        self.skipped_existing += other.skipped_existing;
        for (id, c) in other.rules {
            let mine = self.rules.entry(id).or_default();
            mine.lines += c.lines;
            mine.chars += c.chars;
        }
        for (k, n) in other.problems {
            *self.problems.entry(k).or_default() += n;
        }
    }

    /// When no document was cleaned and some input was skipped as binary:
    /// the run did nothing it was asked to, which is an error, not a
    /// success with warnings.
    pub fn nothing_cleaned(&self) -> Option<String> {
        let binary = self.problems.get("binary").copied().unwrap_or(0);
        (self.documents == 0 && self.skipped_existing == 0 && binary > 0).then(|| {
            format!(
                "nothing was cleaned: every input was skipped ({}; see the warnings above)",
                count(binary, "binary file", "binary files")
            )
        })
    }

    /// The human summary printed on stderr at the end of a run.
    pub fn summary(&self, elapsed: Duration) -> String {
        let mut s = String::new();
        let secs = elapsed.as_secs_f64();
        let mb = self.bytes_in as f64 / 1e6;
        let _ = writeln!(
            s,
            "sapu: {}, {:.2} MB in, {:.2} MB out, {} dropped, {} rewritten, in {:.2}s ({:.1} MB/s)",
            count(self.documents, "document", "documents"),
            mb,
            self.bytes_out as f64 / 1e6,
            count(self.lines_dropped, "line", "lines"),
            self.lines_rewritten,
            secs,
            if secs > 0.0 { mb / secs } else { 0.0 }
        );
        if self.flagged_documents > 0 || self.reverted_documents > 0 {
            let _ = writeln!(
                s,
                "sapu: {} flagged for heavy removal, {} left uncut (--max-removed)",
                count(self.flagged_documents, "document", "documents"),
                self.reverted_documents
            );
        }
        let mut by_lines: Vec<_> = self.rules.iter().collect();
        by_lines.sort_by(|a, b| b.1.lines.cmp(&a.1.lines).then(a.0.cmp(b.0)));
        for (id, c) in by_lines {
            let lines = if c.lines == 1 { "line" } else { "lines" };
            let chars = if c.chars == 1 { "char" } else { "chars" };
            let _ = writeln!(
                s,
                "  {:>8} {lines:5} {:>10} {chars:5}  {id}",
                c.lines, c.chars
            );
        }
        if self.problems.contains_key(STOPPED_AT_BAD_RECORD) {
            let _ = writeln!(s, "sapu: stopped at the first bad record (--on-error fail)");
        } else if self.records_rejected > 0 {
            let _ = writeln!(
                s,
                "sapu: {} skipped",
                count(self.records_rejected, "bad record", "bad records")
            );
        }
        if self.skipped_existing > 0 {
            let _ = writeln!(
                s,
                "sapu: {} existed already and {} left alone (--resume)",
                count(self.skipped_existing, "output", "outputs"),
                if self.skipped_existing == 1 {
                    "was"
                } else {
                    "were"
                }
            );
        }
        for (kind, n) in self
            .problems
            .iter()
            .filter(|(k, _)| *k != STOPPED_AT_BAD_RECORD)
        {
            let _ = writeln!(s, "sapu: {n} × {kind}");
        }
        s
    }
}
