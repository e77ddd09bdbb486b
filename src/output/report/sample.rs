//! The documents a report holds, chosen so that the choice does not depend
//! on the order documents arrive in: any worker or batch fills a
//! [`ReportSample`] of its own, and merging two gives the same result in
//! any order and grouping (the merge is associative and commutative).
//!
//! Every document is ordered by its *key*: [`name_hash`] of its name, then
//! the name, then its text (so that two documents under the same name are
//! told apart too). "First" below means smallest key, never first read.
//! The sample keeps:
//!
//! - the `size` documents with the smallest keys (a bottom-k sample: an
//!   even draw over the corpus, the same for the same names);
//! - for each rule, the document with the smallest key among those it
//!   touched, so that every rule that fired has a document to show;
//! - the `size` flagged documents with the smallest keys;
//! - exact totals over every document: counts, removed share histogram,
//!   lines and characters per rule.
//!
//! So it holds at most `2 * size` + one per rule documents, whatever the
//! corpus size. Workers that fill samples of their own can share
//! [`Cutoffs`]: the largest key hash a document may have to stand a chance,
//! as far as the samples merged so far say. A document over them is only
//! counted, never held, so it is freed at once; since a cutoff only comes
//! down and every one is above the final one, this changes nothing in the
//! result. [`ReportSample::select`] then takes every rule's first
//! document, then flagged ones, then the others, up to `size` documents
//! (more only when the rules need more).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

/// Bins of the removed-share histogram: [0, 10%), [10%, 20%), ... [90%, 100%].
pub const SHARE_BINS: usize = 10;

/// What the totals count of one document.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DocFacts {
    pub flagged: bool,
    /// Over `--max-removed`: reported, not applied.
    pub reverted: bool,
    /// Characters of its non-blank lines.
    pub chars_in: u64,
    /// Characters its verdicts remove.
    pub chars_removed: u64,
}

impl DocFacts {
    pub fn removed_share(&self) -> f64 {
        if self.chars_in == 0 {
            0.0
        } else {
            self.chars_removed as f64 / self.chars_in as f64
        }
    }

    /// Its bin in the removed-share histogram.
    pub fn share_bin(&self) -> usize {
        ((self.removed_share() * SHARE_BINS as f64) as usize).min(SHARE_BINS - 1)
    }
}

/// What one rule did, in one document or added up over many.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleTotals {
    /// Lines it dropped or rewrote. In a comparison of two rule sets, lines
    /// it newly drops; in a golden check, lines where it decides otherwise
    /// than the expected text.
    pub lines: u64,
    /// Characters those lines lost.
    pub chars: u64,
    /// In a comparison: lines it dropped with the old rules that the new
    /// rules keep.
    pub released: u64,
    /// Documents it touched (counted by the sample: 0 in one document's
    /// tally).
    pub docs: u64,
}

impl RuleTotals {
    fn add(&mut self, other: &RuleTotals) {
        self.lines += other.lines;
        self.chars += other.chars;
        self.released += other.released;
        self.docs += other.docs;
    }
}

/// How two documents with the same name are ordered: by their text.
pub trait Tiebreak {
    fn tiebreak(&self) -> &str;
}

/// A document the sample holds.
#[derive(Debug)]
pub struct Entry<T> {
    pub name: String,
    pub hash: u64,
    pub facts: DocFacts,
    pub doc: T,
}

/// An entry shared by the parts of the sample that hold it, ordered by key.
struct Held<T>(Arc<Entry<T>>);

impl<T> Clone for Held<T> {
    fn clone(&self) -> Self {
        Held(Arc::clone(&self.0))
    }
}

impl<T: Tiebreak> Ord for Held<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        (a.hash, &a.name)
            .cmp(&(b.hash, &b.name))
            .then_with(|| a.doc.tiebreak().cmp(b.doc.tiebreak()))
    }
}

impl<T: Tiebreak> PartialOrd for Held<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Tiebreak> PartialEq for Held<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Tiebreak> Eq for Held<T> {}

/// Whether a document keyed `(hash, name)` may come before `held`: on a
/// tie of hash and name only the text can say, so it may.
fn may_precede<T>(hash: u64, name: &str, held: &Held<T>) -> bool {
    (hash, name) <= (held.0.hash, held.0.name.as_str())
}

struct RuleSlot<T> {
    totals: RuleTotals,
    first: Option<Held<T>>,
}

impl<T> Default for RuleSlot<T> {
    fn default() -> Self {
        RuleSlot {
            totals: RuleTotals::default(),
            first: None,
        }
    }
}

/// Totals over every document, exact whatever the sample size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    /// Documents cleaned.
    pub documents: u64,
    /// Documents offered to the sample (all of them for `sapu clean`; those
    /// with a change when comparing rule sets; failing golden cases).
    pub offered: u64,
    /// Documents over the flag share.
    pub flagged: u64,
    pub chars_in: u64,
    pub chars_removed: u64,
    /// Documents per removed-share bin.
    pub shares: [u64; SHARE_BINS],
    /// Per rule id, what it did in the offered documents.
    pub rules: BTreeMap<String, RuleTotals>,
    /// The sample size asked for.
    pub size: usize,
}

/// Why a chosen document is in the report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pick {
    /// The first document (smallest key) that this rule touched.
    FirstFor(String),
    /// Flagged for heavy removal.
    Flagged,
    /// In the draw of the smallest keys.
    Drawn,
}

/// A chosen document and why it was chosen.
#[derive(Debug)]
pub struct Chosen<T> {
    pub entry: Entry<T>,
    pub picks: Vec<Pick>,
}

/// See the module documentation.
pub struct ReportSample<T> {
    size: usize,
    documents: u64,
    offered: u64,
    flagged: u64,
    chars_in: u64,
    chars_removed: u64,
    shares: [u64; SHARE_BINS],
    rules: BTreeMap<String, RuleSlot<T>>,
    drawn: BTreeSet<Held<T>>,
    flagged_docs: BTreeSet<Held<T>>,
}

/// The key hash of a document name: 64-bit FNV-1a over its bytes, then the
/// splitmix64 finalizer (FNV alone orders similar names by their last
/// bytes). Fixed here, so the same names give the same sample on any
/// machine and in any version that keeps this function.
pub fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in name.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl<T> std::fmt::Debug for ReportSample<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportSample")
            .field("size", &self.size)
            .field("documents", &self.documents)
            .field("offered", &self.offered)
            .field("drawn", &self.drawn.len())
            .field("flagged", &self.flagged_docs.len())
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl<T: Tiebreak> ReportSample<T> {
    /// An empty sample that will hold up to `size` drawn documents.
    pub fn new(size: usize) -> Self {
        ReportSample {
            size,
            documents: 0,
            offered: 0,
            flagged: 0,
            chars_in: 0,
            chars_removed: 0,
            shares: [0; SHARE_BINS],
            rules: BTreeMap::new(),
            drawn: BTreeSet::new(),
            flagged_docs: BTreeSet::new(),
        }
    }

    /// The number of drawn documents it holds at most.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Counts one cleaned document in the totals (every document, offered
    /// to the sample or not).
    pub fn count(&mut self, facts: &DocFacts) {
        self.documents += 1;
        self.flagged += u64::from(facts.flagged);
        self.chars_in += facts.chars_in;
        self.chars_removed += facts.chars_removed;
        self.shares[facts.share_bin()] += 1;
    }

    /// Offers a document: `touched` says what each rule did in it. The
    /// document is kept if it is among the smallest keys drawn so far,
    /// flagged and among the smallest flagged keys, or the first of a rule
    /// it touched; otherwise it is dropped here.
    pub fn offer(&mut self, name: String, facts: DocFacts, touched: &[(&str, RuleTotals)], doc: T) {
        self.offer_within(name, facts, touched, doc, None)
    }

    /// [`ReportSample::offer`], dropping at once a document that is over
    /// the `cutoffs` shared with other samples.
    pub fn offer_within(
        &mut self,
        name: String,
        facts: DocFacts,
        touched: &[(&str, RuleTotals)],
        doc: T,
        cutoffs: Option<&Cutoffs>,
    ) {
        self.offered += 1;
        let hash = name_hash(&name);
        let under = |set: &BTreeSet<Held<T>>, size: usize, cutoff: Option<&AtomicU64>| {
            (set.len() < size || set.last().is_some_and(|h| may_precede(hash, &name, h)))
                && cutoff.is_none_or(|c| hash <= c.load(AtomicOrdering::Relaxed))
        };
        let mut wanted = under(&self.drawn, self.size, cutoffs.map(|c| &c.drawn))
            || (facts.flagged && under(&self.flagged_docs, self.size, cutoffs.map(|c| &c.flagged)));
        for (id, tally) in touched {
            let slot = match self.rules.get_mut(*id) {
                Some(s) => s,
                None => self.rules.entry((*id).to_string()).or_default(),
            };
            slot.totals.add(tally);
            slot.totals.docs += 1;
            wanted |= slot
                .first
                .as_ref()
                .is_none_or(|h| may_precede(hash, &name, h))
                && cutoffs
                    .and_then(|c| c.rules.get(*id))
                    .is_none_or(|c| hash <= c.load(AtomicOrdering::Relaxed));
        }
        if !wanted {
            return;
        }
        let held = Held(Arc::new(Entry {
            name,
            hash,
            facts,
            doc,
        }));
        insert_bounded(&mut self.drawn, held.clone(), self.size);
        if facts.flagged {
            insert_bounded(&mut self.flagged_docs, held.clone(), self.size);
        }
        for (id, _) in touched {
            if let Some(slot) = self.rules.get_mut(*id) {
                take_first(&mut slot.first, &held);
            }
        }
    }

    /// Adds `other` into this sample. Both must have the same size.
    pub fn merge(&mut self, other: ReportSample<T>) {
        debug_assert_eq!(self.size, other.size);
        self.documents += other.documents;
        self.offered += other.offered;
        self.flagged += other.flagged;
        self.chars_in += other.chars_in;
        self.chars_removed += other.chars_removed;
        for (mine, theirs) in self.shares.iter_mut().zip(other.shares) {
            *mine += theirs;
        }
        for (id, slot) in other.rules {
            let mine = self.rules.entry(id).or_default();
            mine.totals.add(&slot.totals);
            if let Some(first) = &slot.first {
                take_first(&mut mine.first, first);
            }
        }
        for held in other.drawn {
            insert_bounded(&mut self.drawn, held, self.size);
        }
        for held in other.flagged_docs {
            insert_bounded(&mut self.flagged_docs, held, self.size);
        }
    }

    /// The exact totals.
    pub fn totals(&self) -> Totals {
        Totals {
            documents: self.documents,
            offered: self.offered,
            flagged: self.flagged,
            chars_in: self.chars_in,
            chars_removed: self.chars_removed,
            shares: self.shares,
            rules: self
                .rules
                .iter()
                .map(|(id, slot)| (id.clone(), slot.totals.clone()))
                .collect(),
            size: self.size,
        }
    }

    /// The documents to show, most important first: the first document of
    /// every rule (all of them, even beyond the size), then flagged
    /// documents, then drawn ones, by key, until `size` documents are
    /// chosen. Each says why it was chosen.
    pub fn select(self) -> (Totals, Vec<Chosen<T>>) {
        let totals = self.totals();
        let mut order: Vec<Held<T>> = Vec::new();
        let mut picks: BTreeMap<Held<T>, Vec<Pick>> = BTreeMap::new();
        let mut choose = |held: &Held<T>, pick: Pick, order: &mut Vec<Held<T>>| {
            picks
                .entry(held.clone())
                .or_insert_with(|| {
                    order.push(held.clone());
                    Vec::new()
                })
                .push(pick);
        };
        let mut firsts: Vec<(&Held<T>, &String)> = self
            .rules
            .iter()
            .filter_map(|(id, slot)| slot.first.as_ref().map(|h| (h, id)))
            .collect();
        firsts.sort();
        for (held, id) in firsts {
            choose(held, Pick::FirstFor(id.clone()), &mut order);
        }
        for held in &self.flagged_docs {
            if order.len() >= self.size && !order.contains(held) {
                break;
            }
            choose(held, Pick::Flagged, &mut order);
        }
        for held in &self.drawn {
            if order.len() >= self.size && !order.contains(held) {
                break;
            }
            choose(held, Pick::Drawn, &mut order);
        }
        drop(self);
        let chosen = order
            .into_iter()
            .map(|held| {
                let picks = picks.remove(&held).unwrap_or_default();
                // Every other holder is gone (the sample is dropped and
                // `picks` gave its key back), so this is the last reference.
                let entry = match Arc::try_unwrap(held.0) {
                    Ok(e) => e,
                    Err(_) => unreachable!("a chosen entry is held once"),
                };
                Chosen { entry, picks }
            })
            .collect();
        (totals, chosen)
    }
}

/// The largest key hash a document may have to stand a chance in a sample
/// of `size`, as far as the samples merged so far say; shared by the
/// workers of a run, and only ever lowered (see the module documentation).
#[derive(Debug)]
pub struct Cutoffs {
    size: usize,
    drawn: AtomicU64,
    flagged: AtomicU64,
    /// Per rule id (those known when the run starts; other rules have no
    /// cutoff).
    rules: HashMap<String, AtomicU64>,
}

impl Cutoffs {
    /// Cutoffs for samples of `size`, for rules with these ids.
    pub fn new<'a>(size: usize, rule_ids: impl IntoIterator<Item = &'a str>) -> Cutoffs {
        Cutoffs {
            size,
            drawn: AtomicU64::new(u64::MAX),
            flagged: AtomicU64::new(u64::MAX),
            rules: rule_ids
                .into_iter()
                .map(|id| (id.to_string(), AtomicU64::new(u64::MAX)))
                .collect(),
        }
    }

    /// The sample size.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Lowers the cutoffs to what `sample` (which holds some of the run's
    /// documents) shows: no document over its largest drawn key, or over
    /// the first key of a rule, can be chosen in the end.
    pub fn lower<T: Tiebreak>(&self, sample: &ReportSample<T>) {
        if sample.size != self.size {
            return;
        }
        if sample.drawn.len() >= self.size
            && let Some(last) = sample.drawn.last()
        {
            self.drawn.fetch_min(last.0.hash, AtomicOrdering::Relaxed);
        }
        if sample.flagged_docs.len() >= self.size
            && let Some(last) = sample.flagged_docs.last()
        {
            self.flagged.fetch_min(last.0.hash, AtomicOrdering::Relaxed);
        }
        for (id, slot) in &sample.rules {
            if let (Some(first), Some(cutoff)) = (&slot.first, self.rules.get(id)) {
                cutoff.fetch_min(first.0.hash, AtomicOrdering::Relaxed);
            }
        }
    }
}

fn insert_bounded<T: Tiebreak>(set: &mut BTreeSet<Held<T>>, held: Held<T>, size: usize) {
    if set.len() < size || set.last().is_some_and(|last| held < *last) {
        set.insert(held);
        if set.len() > size {
            set.pop_last();
        }
    }
}

fn take_first<T: Tiebreak>(first: &mut Option<Held<T>>, held: &Held<T>) {
    if first.as_ref().is_none_or(|f| *held < *f) {
        *first = Some(held.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Tiebreak for String {
        fn tiebreak(&self) -> &str {
            self
        }
    }

    /// Document `i` of a made-up corpus: every 7th flagged, rules by
    /// divisibility, a few names repeated with other texts.
    fn doc(i: usize) -> (String, DocFacts, Vec<(String, RuleTotals)>, String) {
        let name = format!("shard-{}.jsonl:{}", i % 3, i % 97);
        let facts = DocFacts {
            flagged: i.is_multiple_of(7),
            reverted: false,
            chars_in: 100 + i as u64,
            chars_removed: (i % 100) as u64,
        };
        let mut touched = Vec::new();
        for (m, rule) in [(2, "even"), (5, "five"), (41, "rare"), (1000, "never")] {
            if i.is_multiple_of(m) {
                touched.push((
                    rule.to_string(),
                    RuleTotals {
                        lines: 1 + (i % 3) as u64,
                        chars: 10,
                        released: 0,
                        docs: 0,
                    },
                ));
            }
        }
        (name, facts, touched, format!("text of {i}"))
    }

    fn fill(sample: &mut ReportSample<String>, docs: impl IntoIterator<Item = usize>) {
        for i in docs {
            let (name, facts, touched, text) = doc(i);
            let touched: Vec<(&str, RuleTotals)> = touched
                .iter()
                .map(|(id, t)| (id.as_str(), t.clone()))
                .collect();
            sample.count(&facts);
            sample.offer(name, facts, &touched, text);
        }
    }

    fn outcome(sample: ReportSample<String>) -> (Totals, Vec<(String, String, Vec<Pick>)>) {
        let (totals, chosen) = sample.select();
        let docs = chosen
            .into_iter()
            .map(|c| (c.entry.name, c.entry.doc, c.picks))
            .collect();
        (totals, docs)
    }

    #[test]
    fn merging_in_any_order_and_grouping_gives_the_same_report() {
        let n = 600;
        let mut whole = ReportSample::new(20);
        fill(&mut whole, 0..n);
        let expected = outcome(whole);

        // Batches of different sizes, merged in reverse, and a tree of merges.
        for batch in [1, 7, 64, 599] {
            let mut parts: Vec<ReportSample<String>> = (0..n)
                .step_by(batch)
                .map(|start| {
                    let mut s = ReportSample::new(20);
                    fill(&mut s, (start..(start + batch).min(n)).rev());
                    s
                })
                .collect();
            parts.reverse();
            let mut merged = ReportSample::new(20);
            for p in parts.drain(..) {
                merged.merge(p);
            }
            assert_eq!(outcome(merged), expected, "batches of {batch}");
        }
        let (mut a, mut b, mut c) = (
            ReportSample::new(20),
            ReportSample::new(20),
            ReportSample::new(20),
        );
        fill(&mut a, (0..n).filter(|i| i % 3 == 0));
        fill(&mut b, (0..n).filter(|i| i % 3 == 1));
        fill(&mut c, (0..n).filter(|i| i % 3 == 2));
        c.merge(a);
        b.merge(c);
        assert_eq!(outcome(b), expected, "(b + (c + a))");
    }

    #[test]
    fn shared_cutoffs_change_nothing_but_what_is_held() {
        let n = 600;
        let mut whole = ReportSample::new(20);
        fill(&mut whole, 0..n);
        let expected = outcome(whole);
        let cutoffs = Cutoffs::new(20, ["even", "five", "rare", "never"]);
        let mut merged = ReportSample::new(20);
        let mut held = 0;
        for start in (0..n).step_by(50) {
            let mut part = ReportSample::new(20);
            for i in start..start + 50 {
                let (name, facts, touched, text) = doc(i);
                let touched: Vec<(&str, RuleTotals)> = touched
                    .iter()
                    .map(|(id, t)| (id.as_str(), t.clone()))
                    .collect();
                part.count(&facts);
                part.offer_within(name, facts, &touched, text, Some(&cutoffs));
            }
            held += part.drawn.len();
            merged.merge(part);
            cutoffs.lower(&merged);
        }
        assert_eq!(outcome(merged), expected);
        // Later parts hold fewer documents than they would alone.
        assert!(held < 12 * 20, "{held}");
    }

    #[test]
    fn every_rule_that_fired_has_its_first_document() {
        let mut s = ReportSample::new(3);
        fill(&mut s, 0..500);
        let (totals, docs) = outcome(s);
        assert_eq!(totals.documents, 500);
        assert_eq!(totals.shares.iter().sum::<u64>(), 500);
        assert_eq!(totals.rules["rare"].docs, 13);
        assert!(!totals.rules.contains_key("never") || totals.rules["never"].docs == 1);
        for rule in ["even", "five", "rare"] {
            assert!(
                docs.iter()
                    .any(|(_, _, p)| p.contains(&Pick::FirstFor(rule.into()))),
                "{rule} has no document"
            );
        }
        // The size bounds the drawn and flagged documents, not the firsts.
        let drawn_or_flagged = docs
            .iter()
            .filter(|(_, _, p)| !p.iter().any(|p| matches!(p, Pick::FirstFor(_))))
            .count();
        assert!(docs.len() <= 3 + 4 && drawn_or_flagged <= 3, "{docs:?}");
    }

    #[test]
    fn the_first_of_a_rule_is_its_smallest_key_not_its_first_arrival() {
        let mut forward = ReportSample::new(1);
        fill(&mut forward, (0..400).filter(|i| i % 41 == 0));
        let mut backward = ReportSample::new(1);
        fill(&mut backward, (0..400).filter(|i| i % 41 == 0).rev());
        let first = |s: ReportSample<String>| {
            let (_, docs) = outcome(s);
            docs.into_iter()
                .find(|(_, _, p)| p.contains(&Pick::FirstFor("rare".into())))
                .map(|(n, t, _)| (n, t))
        };
        let f = first(forward);
        assert_eq!(f, first(backward));
        let smallest = (0..400)
            .filter(|i| i % 41 == 0)
            .map(|i| {
                let (name, ..) = doc(i);
                (name_hash(&name), name, format!("text of {i}"))
            })
            .min()
            .map(|(_, n, t)| (n, t));
        assert_eq!(f, smallest);
    }

    #[test]
    fn flagged_documents_come_before_drawn_ones() {
        let mut s = ReportSample::new(10);
        fill(&mut s, 0..300);
        let (totals, docs) = outcome(s);
        assert_eq!(
            totals.flagged,
            (0..300).filter(|i| i % 7 == 0).count() as u64
        );
        let flagged = docs
            .iter()
            .filter(|(_, _, p)| p.contains(&Pick::Flagged))
            .count();
        // 43 flagged documents exist: every slot left by the rules' firsts
        // goes to one.
        let firsts = docs
            .iter()
            .filter(|(_, _, p)| p.iter().any(|p| matches!(p, Pick::FirstFor(_))))
            .count();
        assert!(flagged >= 10 - firsts, "{docs:?}");
        assert!(docs.iter().all(|(_, _, p)| !p.is_empty()));
    }

    #[test]
    fn name_hash_is_fixed() {
        // Changing the hash changes which documents every report shows.
        assert_eq!(name_hash(""), 0xf52a_15e9_a9b5_e89b);
        assert_eq!(
            name_hash("examples/news/001-voa.txt"),
            0xd6ef_31b4_7218_0b21
        );
    }
}
