//! Learning site furniture from a corpus: lines (and line prefixes such as
//! "Baca Juga:") that occur in many documents of the same corpus are page
//! clutter, not article text (the idea of cc_net's line deduplication).
//!
//! The work is split in two so that it streams and parallelizes:
//! - [`scan`] turns one document into the distinct line and prefix keys it
//!   contains (pure, run in parallel);
//! - [`Counter::add`] counts them, one document at a time in corpus order,
//!   in a map with a hard cap on entries. When the map is full the entries
//!   with the lowest counts are forgotten (lossy counting), so memory does
//!   not grow with the corpus and counts become lower bounds.
//!
//! [`Counter::propose`] then picks what crossed the thresholds, and
//! [`rulefile::render`] writes it as a reviewable rule file.

pub mod rulefile;

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::text::features::{LineFeatures, measure};
use crate::text::normalize::normalize;

/// Lines longer than this (in characters) are paragraphs, never furniture
/// worth a rule; they are not counted, which also bounds the text kept per
/// entry.
pub const MAX_LINE_CHARS: usize = 1000;
/// A prefix is only counted on lines up to this many characters: the
/// length guard of the prefix rule written from it.
pub const PREFIX_LINE_MAX_CHARS: usize = 250;
/// A prefix has at most this many words.
pub const PREFIX_MAX_WORDS: usize = 4;
/// The text of a key is kept once it occurs in this many documents.
pub const TEXT_FROM_COUNT: u32 = 2;
/// Example documents kept per key.
pub const MAX_EXAMPLES: usize = 3;

/// What a key stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// A whole normalized line.
    Line,
    /// The start of a line up to and including a `:` separator.
    Prefix,
}

/// One distinct key of a scanned document.
#[derive(Clone, Debug)]
struct Key {
    hash: u64,
    kind: KeyKind,
    /// The key's text in [`ScannedDoc::text`].
    text: Range<usize>,
    /// The whole line it came from (for prefixes, an example to drop).
    line: Range<usize>,
    /// The line reads as a full prose sentence.
    sentence: bool,
}

/// A document reduced to its distinct keys, ready to be counted.
pub struct ScannedDoc {
    name: Arc<str>,
    text: String,
    keys: Vec<Key>,
}

impl ScannedDoc {
    /// How many distinct keys the document contributes.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }
}

/// Options of a scan.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScanOptions {
    /// Also count lines that read as full prose sentences. Off by default:
    /// they are article text far more often than furniture, and leaving
    /// them out keeps the counter small.
    pub include_sentences: bool,
}

/// A full prose sentence of ordinary length: the guard that keeps
/// repetition detection from eating articles.
pub fn reads_as_sentence(f: &LineFeatures) -> bool {
    f.is_sentence() || f.is_prose()
}

/// Lines that say nothing on their own (a separator, a number, a single
/// character); block rules deal with those in context.
fn trivial(line: &str, f: &LineFeatures) -> bool {
    f.chars < 2 || f.separator || !line.chars().any(char::is_alphabetic)
}

/// The prefix of a line such as "Baca Juga: Judul" or "Foto: Reuters":
/// the text up to and including the first `:` (or `：`), when it has at
/// most [`PREFIX_MAX_WORDS`] words with a letter among them and more text
/// follows after a space. Times ("10:30") and URLs ("https://") have no
/// space after the colon and give no prefix.
pub fn line_prefix(line: &str) -> Option<&str> {
    let (pos, sep) = line.char_indices().find(|&(_, c)| c == ':' || c == '：')?;
    let end = pos + sep.len_utf8();
    let head = line[..pos].trim_end();
    let rest = &line[end..];
    if head.is_empty() || !rest.starts_with(' ') || !rest.chars().any(char::is_alphanumeric) {
        return None;
    }
    if head.split(' ').count() > PREFIX_MAX_WORDS || !head.chars().any(char::is_alphabetic) {
        return None;
    }
    Some(&line[..end])
}

fn key_hash(kind: KeyKind, text: &str) -> u64 {
    let mut h = FxHasher::default();
    kind.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

/// Normalizes a document and lists its distinct keys, each once (document
/// frequency, not occurrences). `name` is what example comments show.
pub fn scan(name: Arc<str>, raw: &str, options: ScanOptions) -> ScannedDoc {
    let text = normalize(raw);
    let mut keys = Vec::new();
    let mut seen = FxHashSet::default();
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        if line.is_empty() || line.len() > MAX_LINE_CHARS * 4 {
            continue;
        }
        let f = measure(line);
        if f.chars > MAX_LINE_CHARS || trivial(line, &f) {
            continue;
        }
        let sentence = reads_as_sentence(&f);
        if sentence && !options.include_sentences {
            continue;
        }
        let mut push = |kind: KeyKind, text_range: Range<usize>, key_text: &str| {
            let hash = key_hash(kind, key_text);
            if seen.insert(hash) {
                keys.push(Key {
                    hash,
                    kind,
                    text: text_range,
                    line: range.clone(),
                    sentence,
                });
            }
        };
        push(KeyKind::Line, range.clone(), line);
        // A prefix rule spares sentences, so only non-sentence lines vote.
        if !sentence
            && f.chars <= PREFIX_LINE_MAX_CHARS
            && let Some(prefix) = line_prefix(line)
        {
            push(
                KeyKind::Prefix,
                range.start..range.start + prefix.len(),
                prefix,
            );
        }
    }
    ScannedDoc { name, text, keys }
}

/// What is kept about a key once it occurs in [`TEXT_FROM_COUNT`]
/// documents.
#[derive(Debug)]
struct Detail {
    kind: KeyKind,
    text: Box<str>,
    /// A whole line with this key, for prefixes.
    sample: Box<str>,
    sentence: bool,
    examples: Vec<Arc<str>>,
}

#[derive(Debug)]
struct Entry {
    count: u32,
    detail: Option<Box<Detail>>,
}

/// How often the counter was full.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruning {
    /// Times the map was full and its lowest counts were forgotten.
    pub rounds: u32,
    /// No count is more than this below the true number of documents:
    /// the sum of the counts forgotten at each round.
    pub max_undercount: u32,
}

/// Document frequencies of line and prefix keys, with a hard cap on
/// entries.
pub struct Counter {
    entries: FxHashMap<u64, Entry>,
    max_entries: usize,
    documents: u64,
    pruning: Pruning,
}

impl Counter {
    /// A counter that never holds more than `max_entries` keys (at least 1).
    pub fn new(max_entries: usize) -> Counter {
        Counter {
            entries: FxHashMap::default(),
            max_entries: max_entries.max(1),
            documents: 0,
            pruning: Pruning::default(),
        }
    }

    /// Documents counted so far.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Keys held now (never more than the cap).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn pruning(&self) -> Pruning {
        self.pruning
    }

    /// Counts one document. Call in corpus order: the result (counts after
    /// pruning, example documents) depends on the order, never on threads.
    pub fn add(&mut self, doc: &ScannedDoc) {
        self.documents += 1;
        for key in &doc.keys {
            if self.entries.len() >= self.max_entries && !self.entries.contains_key(&key.hash) {
                self.prune();
            }
            let entry = self.entries.entry(key.hash).or_insert(Entry {
                count: 0,
                detail: None,
            });
            entry.count = entry.count.saturating_add(1);
            if entry.count < TEXT_FROM_COUNT {
                continue;
            }
            let detail = entry.detail.get_or_insert_with(|| {
                Box::new(Detail {
                    kind: key.kind,
                    text: doc.text[key.text.clone()].into(),
                    sample: doc.text[key.line.clone()].into(),
                    sentence: key.sentence,
                    examples: Vec::new(),
                })
            });
            if detail.examples.len() < MAX_EXAMPLES {
                detail.examples.push(doc.name.clone());
            }
        }
    }

    /// Forgets the entries with the lowest counts, at least half of them:
    /// every entry with a count up to the smallest threshold that frees
    /// half the map.
    fn prune(&mut self) {
        const BUCKETS: usize = 64;
        let mut histogram = [0usize; BUCKETS + 1];
        for e in self.entries.values() {
            histogram[(e.count as usize).min(BUCKETS)] += 1;
        }
        let half = self.entries.len().div_ceil(2);
        let mut freed = 0;
        let mut threshold = u32::MAX;
        for (count, n) in histogram.iter().enumerate().take(BUCKETS) {
            freed += n;
            if freed >= half {
                threshold = count as u32;
                break;
            }
        }
        if threshold == u32::MAX {
            // Every entry is frequent: forget all but the most frequent half.
            let mut counts: Vec<u32> = self.entries.values().map(|e| e.count).collect();
            counts.sort_unstable();
            threshold = counts[half - 1];
        }
        self.entries.retain(|_, e| e.count > threshold);
        self.pruning.rounds += 1;
        self.pruning.max_undercount = self.pruning.max_undercount.saturating_add(threshold);
    }

    /// The keys that occur in at least `max(min_docs, min_share ×
    /// documents)` documents, most frequent first.
    pub fn propose(&self, options: &ProposeOptions) -> Learned {
        let share_docs = (options.min_share * self.documents as f64).ceil() as u64;
        let min_documents = options
            .min_docs
            .max(share_docs)
            .max(u64::from(TEXT_FROM_COUNT));
        let mut found: Vec<Found> = self
            .entries
            .values()
            .filter(|e| u64::from(e.count) >= min_documents)
            .filter_map(|e| {
                let d = e.detail.as_ref()?;
                Some(Found {
                    kind: d.kind,
                    text: d.text.to_string(),
                    sample: d.sample.to_string(),
                    sentence: d.sentence,
                    documents: e.count,
                    examples: d.examples.iter().map(|x| x.to_string()).collect(),
                })
            })
            .filter(|f| options.include_sentences || !f.sentence)
            .collect();
        // Most frequent first; the text breaks ties, so output is stable.
        found.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.text.cmp(&b.text))
        });
        let mut learned = Learned {
            documents: self.documents,
            min_documents,
            options: *options,
            pruning: self.pruning,
            max_entries: self.max_entries,
            lines: Vec::new(),
            prefixes: Vec::new(),
            sentences: Vec::new(),
        };
        for f in found {
            match (f.kind, f.sentence) {
                (KeyKind::Prefix, _) => learned.prefixes.push(f),
                (KeyKind::Line, true) => learned.sentences.push(f),
                (KeyKind::Line, false) => learned.lines.push(f),
            }
        }
        learned
    }
}

/// Thresholds for [`Counter::propose`].
#[derive(Clone, Copy, Debug)]
pub struct ProposeOptions {
    /// A key must occur in at least this many documents.
    pub min_docs: u64,
    /// ... and in at least this share of the documents.
    pub min_share: f64,
    /// Propose lines that read as full sentences too (a disclaimer repeated
    /// on every page), in a rule of their own.
    pub include_sentences: bool,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            min_docs: 5,
            min_share: 0.01,
            include_sentences: false,
        }
    }
}

/// One proposed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: KeyKind,
    /// The line, or the prefix (with its colon).
    pub text: String,
    /// A whole line with this key.
    pub sample: String,
    /// The line reads as a full prose sentence.
    pub sentence: bool,
    /// Documents it occurs in (a lower bound when the counter was pruned).
    pub documents: u32,
    /// Up to [`MAX_EXAMPLES`] documents that contain it.
    pub examples: Vec<String>,
}

/// What a corpus taught: the patterns to propose and how they were found.
#[derive(Clone, Debug)]
pub struct Learned {
    pub documents: u64,
    /// The threshold that was applied.
    pub min_documents: u64,
    pub options: ProposeOptions,
    pub pruning: Pruning,
    pub max_entries: usize,
    /// Whole lines that are not sentences.
    pub lines: Vec<Found>,
    /// Line prefixes.
    pub prefixes: Vec<Found>,
    /// Whole lines that read as sentences (only with `include_sentences`).
    pub sentences: Vec<Found>,
}

impl Learned {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.prefixes.is_empty() && self.sentences.is_empty()
    }
}

#[cfg(test)]
mod tests;
