//! The statistics printer: counts per run and per rule, merged across
//! threads, written as JSON by `--stats` (the CLI words its summary).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::{Cleaned, Event};
use crate::rules::RuleSet;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RuleCount {
    pub lines: u64,
    pub chars: u64,
}

/// Counts of a run. Merging two is adding them up. Read back (the counts
/// of an output kept for `--resume`), unknown fields are errors.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl Stats {
    /// Counts one cleaned document: what was dropped and rewritten, by
    /// which rule, and whether it was flagged or left uncut. Bytes read and
    /// written are counted by [`Stats::bytes`].
    pub fn record(&mut self, cleaned: &Cleaned, rules: &RuleSet) {
        self.documents += 1;
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
                    self.count_rule(&rule.id, chars);
                }
                Event::Rewritten { from, to, rule, .. } => {
                    let chars = from.chars().count().saturating_sub(to.chars().count()) as u64;
                    self.lines_rewritten += 1;
                    self.chars_dropped += chars;
                    self.count_rule(&rule.id, chars);
                }
                Event::Kept { .. } | Event::Gap => {}
            }
        }
    }

    /// One line, of `chars` characters, removed by rule `id`. The id is
    /// copied only the first time (most lines are dropped by rules counted
    /// already).
    fn count_rule(&mut self, id: &str, chars: u64) {
        let c = match self.rules.get_mut(id) {
            Some(c) => c,
            None => self.rules.entry(id.to_string()).or_default(),
        };
        c.lines += 1;
        c.chars += chars;
    }

    /// Counts bytes read and written.
    pub fn bytes(&mut self, read: usize, written: usize) {
        self.bytes_in += read as u64;
        self.bytes_out += written as u64;
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
}
