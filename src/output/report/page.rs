//! One document as a report shows it: its lines in order, each with what
//! the cleaning decided and, when two decisions are compared (two rule
//! sets, or the expected text of a golden case), the other decision.

use crate::events::{Cleaned, Verdict};
use crate::rules::RuleSet;

use super::sample::{DocFacts, Pick, RuleTotals, Tiebreak};

/// What happened to a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Keep,
    /// Dropped by `rule` (none for an expected text, which names no rule).
    Drop {
        rule: Option<String>,
        why: &'static str,
        /// The score of a generic decision.
        score: Option<f32>,
    },
    /// Kept with new text.
    Rewrite {
        rule: Option<String>,
        to: String,
    },
    /// Not in this version at all: a line of the expected text that the
    /// input does not have.
    Absent,
}

impl Decision {
    /// The decision a verdict stands for, with its rule named.
    pub fn of(verdict: &Verdict, rules: &RuleSet) -> Decision {
        match verdict {
            Verdict::Keep => Decision::Keep,
            Verdict::Drop { rule, why } => Decision::Drop {
                rule: Some(rules.rules[*rule as usize].id.clone()),
                why: why.as_str(),
                score: why.score(),
            },
            Verdict::Rewrite { rule, text, .. } => Decision::Rewrite {
                rule: Some(rules.rules[*rule as usize].id.clone()),
                to: text.clone(),
            },
        }
    }

    /// Whether two decisions differ in what comes out or in the rule named
    /// (a decision without a rule agrees with any rule).
    pub fn differs(&self, other: &Decision) -> bool {
        let rules_differ =
            |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
        match (self, other) {
            (Decision::Keep, Decision::Keep) | (Decision::Absent, Decision::Absent) => false,
            (Decision::Drop { rule: a, .. }, Decision::Drop { rule: b, .. }) => rules_differ(a, b),
            (Decision::Rewrite { rule: a, to: x }, Decision::Rewrite { rule: b, to: y }) => {
                x != y || rules_differ(a, b)
            }
            _ => true,
        }
    }

    /// The rule behind it, if any.
    pub fn rule(&self) -> Option<&str> {
        match self {
            Decision::Drop { rule, .. } | Decision::Rewrite { rule, .. } => rule.as_deref(),
            Decision::Keep | Decision::Absent => None,
        }
    }

    /// Removes the line or changes its text.
    pub fn removes(&self) -> bool {
        matches!(self, Decision::Drop { .. } | Decision::Rewrite { .. })
    }
}

/// One line of the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its number in the normalized input, from 1 (0: not in the input).
    pub n: u32,
    pub text: String,
    /// Characters cut off the end of a very long line.
    pub cut: u32,
    /// What the cleaning did (the new rules; the actual output).
    pub now: Decision,
    /// The other decision, when it differs (the old rules; the expected
    /// text).
    pub before: Option<Decision>,
}

/// A row of the page view.
#[derive(Clone, Debug, PartialEq)]
pub enum PageLine {
    Line(Line),
    /// One or more blank lines between paragraphs.
    Gap,
    /// Lines left out to keep the report small.
    Elided {
        lines: u32,
        chars: u64,
    },
}

/// A document of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct PageDoc {
    pub name: String,
    pub facts: DocFacts,
    /// Why the report shows it (filled when the sample is chosen).
    pub picks: Vec<Pick>,
    pub lines: Vec<PageLine>,
}

/// Lines longer than this many characters are cut in the report.
pub const LINE_CHARS: usize = 2000;

impl PageDoc {
    /// Characters of text its lines carry.
    pub fn text_chars(&self) -> usize {
        self.lines
            .iter()
            .map(|l| match l {
                PageLine::Line(l) => line_chars(l),
                _ => 0,
            })
            .sum()
    }

    /// Keeps the document within `budget` characters of text: when it is
    /// longer, the lines far from any decision (more than two lines away
    /// from a dropped, rewritten or disputed line, and after the first
    /// three) are replaced by a count of what was left out; if the
    /// decisions alone are too long, the last ones go too.
    pub fn elide(&mut self, budget: usize) {
        if self.text_chars() <= budget {
            return;
        }
        const CONTEXT: usize = 2;
        const HEAD: usize = 3;
        let lines = std::mem::take(&mut self.lines);
        // Per line (blank ones aside): whether it carries a decision.
        let notable: Vec<bool> = lines
            .iter()
            .filter_map(|l| match l {
                PageLine::Line(l) => Some(l.now.removes() || l.before.is_some()),
                _ => None,
            })
            .collect();
        let mut near = vec![false; notable.len()];
        near[..HEAD.min(notable.len())].fill(true);
        for (i, _) in notable.iter().enumerate().filter(|(_, n)| **n) {
            near[i.saturating_sub(CONTEXT)..(i + CONTEXT + 1).min(notable.len())].fill(true);
        }
        let mut near = near.into_iter();
        let mut used = 0;
        let mut out = Vec::with_capacity(lines.len());
        let mut left_out = (0u32, 0u64);
        let flush = |out: &mut Vec<PageLine>, left_out: &mut (u32, u64)| {
            if left_out.0 > 0 {
                out.push(PageLine::Elided {
                    lines: left_out.0,
                    chars: left_out.1,
                });
            }
            *left_out = (0, 0);
        };
        for line in lines {
            match line {
                PageLine::Line(l) => {
                    let chars = line_chars(&l);
                    if near.next() == Some(true) && used + chars <= budget {
                        used += chars;
                        flush(&mut out, &mut left_out);
                        out.push(PageLine::Line(l));
                    } else {
                        left_out.0 += 1;
                        left_out.1 += chars as u64;
                    }
                }
                PageLine::Elided { lines, chars } => {
                    left_out.0 += lines;
                    left_out.1 += chars;
                }
                PageLine::Gap if left_out.0 == 0 => out.push(PageLine::Gap),
                PageLine::Gap => {}
            }
        }
        flush(&mut out, &mut left_out);
        self.lines = out;
    }
}

fn line_chars(l: &Line) -> usize {
    let to = match &l.now {
        Decision::Rewrite { to, .. } => to.chars().count(),
        _ => 0,
    };
    l.text.chars().count() + to
}

impl Tiebreak for PageDoc {
    fn tiebreak(&self) -> &str {
        self.lines
            .iter()
            .find_map(|l| match l {
                PageLine::Line(l) => Some(l.text.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }
}

/// A line's text, cut to [`LINE_CHARS`] characters.
fn cut_text(text: &str) -> (String, u32) {
    match text.char_indices().nth(LINE_CHARS) {
        None => (text.to_string(), 0),
        Some((at, _)) => (
            text[..at].to_string(),
            (text[at..].chars().count()).min(u32::MAX as usize) as u32,
        ),
    }
}

/// The facts the totals count of a cleaned document.
pub fn facts_of(cleaned: &Cleaned) -> DocFacts {
    DocFacts {
        flagged: cleaned.flagged,
        reverted: cleaned.reverted,
        chars_in: cleaned.chars_in as u64,
        chars_removed: cleaned.chars_removed as u64,
    }
}

/// What each rule did in a cleaned document, by rule index, as the
/// statistics count it (a document left uncut counts for no rule).
pub fn tally(cleaned: &Cleaned) -> Vec<(u32, RuleTotals)> {
    let mut touched: Vec<(u32, RuleTotals)> = Vec::new();
    if cleaned.reverted {
        return touched;
    }
    for (i, v) in cleaned.verdicts.iter().enumerate() {
        let (rule, chars) = match v {
            Verdict::Keep => continue,
            Verdict::Drop { rule, .. } => (*rule, cleaned.line_text(i).chars().count()),
            Verdict::Rewrite { rule, text, .. } => (
                *rule,
                cleaned
                    .line_text(i)
                    .chars()
                    .count()
                    .saturating_sub(text.chars().count()),
            ),
        };
        let at = match touched.iter().position(|(r, _)| *r == rule) {
            Some(at) => at,
            None => {
                touched.push((rule, RuleTotals::default()));
                touched.len() - 1
            }
        };
        touched[at].1.lines += 1;
        touched[at].1.chars += chars as u64;
    }
    touched
}

/// The page of one cleaned document.
pub fn page_of_cleaned(name: String, cleaned: &Cleaned, rules: &RuleSet) -> PageDoc {
    let lines = rows(cleaned, |i| {
        (Decision::of(&cleaned.verdicts[i], rules), None)
    });
    PageDoc {
        name,
        facts: facts_of(cleaned),
        picks: Vec::new(),
        lines,
    }
}

/// The rows of a document, with each non-blank line's decisions from
/// `decide`, runs of blank lines folded into one gap.
fn rows(
    cleaned: &Cleaned,
    mut decide: impl FnMut(usize) -> (Decision, Option<Decision>),
) -> Vec<PageLine> {
    let mut out = Vec::with_capacity(cleaned.lines.len());
    for i in 0..cleaned.lines.len() {
        let text = cleaned.line_text(i);
        if text.is_empty() {
            if !matches!(out.last(), None | Some(PageLine::Gap)) {
                out.push(PageLine::Gap);
            }
            continue;
        }
        let (now, before) = decide(i);
        let (text, cut) = cut_text(text);
        out.push(PageLine::Line(Line {
            n: (i + 1) as u32,
            text,
            cut,
            now,
            before,
        }));
    }
    if matches!(out.last(), Some(PageLine::Gap)) {
        out.pop();
    }
    out
}

/// How two rule sets differ on a document, in lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffCounts {
    /// Kept by the old rules, dropped or rewritten by the new ones.
    pub newly_dropped: u64,
    /// Dropped or rewritten by the old rules, kept by the new ones.
    pub newly_kept: u64,
    /// Dropped or rewritten by both, by another rule or to another text.
    pub changed: u64,
}

impl DiffCounts {
    pub fn any(&self) -> bool {
        self.newly_dropped + self.newly_kept + self.changed > 0
    }

    pub fn add(&mut self, other: &DiffCounts) {
        self.newly_dropped += other.newly_dropped;
        self.newly_kept += other.newly_kept;
        self.changed += other.changed;
    }
}

/// Whether two cleanings of the same text decide any line otherwise: in
/// what comes out, or in the id of the rule that decided.
pub fn any_difference(
    old: &Cleaned,
    old_rules: &RuleSet,
    new: &Cleaned,
    new_rules: &RuleSet,
) -> bool {
    let id_old = |r: &u32| old_rules.rules[*r as usize].id.as_str();
    let id_new = |r: &u32| new_rules.rules[*r as usize].id.as_str();
    old.verdicts
        .iter()
        .zip(&new.verdicts)
        .any(|pair| match pair {
            (Verdict::Keep, Verdict::Keep) => false,
            (Verdict::Drop { rule: a, .. }, Verdict::Drop { rule: b, .. }) => {
                id_old(a) != id_new(b)
            }
            (
                Verdict::Rewrite {
                    rule: a, text: x, ..
                },
                Verdict::Rewrite {
                    rule: b, text: y, ..
                },
            ) => x != y || id_old(a) != id_new(b),
            _ => true,
        })
}

/// A document cleaned with two rule sets, compared line by line.
pub struct Compared {
    pub page: PageDoc,
    pub counts: DiffCounts,
    /// Per rule id: lines it newly drops (`lines`, `chars`) and lines it no
    /// longer drops (`released`).
    pub touched: Vec<(String, RuleTotals)>,
}

/// Compares the cleaning of one text under the old and the new rules.
/// Both saw the same normalized text, so their lines pair up one to one.
pub fn compare(
    name: String,
    old: &Cleaned,
    old_rules: &RuleSet,
    new: &Cleaned,
    new_rules: &RuleSet,
) -> Compared {
    let mut counts = DiffCounts::default();
    let mut touched: Vec<(String, RuleTotals)> = Vec::new();
    let mut touch =
        |id: &str, f: &dyn Fn(&mut RuleTotals)| match touched.iter_mut().find(|(r, _)| r == id) {
            Some((_, t)) => f(t),
            None => {
                let mut t = RuleTotals::default();
                f(&mut t);
                touched.push((id.to_string(), t));
            }
        };
    let lines = rows(new, |i| {
        let now = Decision::of(&new.verdicts[i], new_rules);
        let before = Decision::of(&old.verdicts[i], old_rules);
        if !now.differs(&before) {
            return (now, None);
        }
        match (before.removes(), now.removes()) {
            (false, true) => counts.newly_dropped += 1,
            (true, false) => counts.newly_kept += 1,
            _ => counts.changed += 1,
        }
        let chars = new.line_text(i).chars().count() as u64;
        if let Some(id) = now.rule() {
            touch(id, &|t| {
                t.lines += 1;
                t.chars += chars;
            });
        }
        if let Some(id) = before.rule() {
            touch(id, &|t| t.released += 1);
        }
        (now, Some(before))
    });
    Compared {
        page: PageDoc {
            name,
            facts: facts_of(new),
            picks: Vec::new(),
            lines,
        },
        counts,
        touched,
    }
}

/// The page of a golden case: the actual decisions and, where they differ,
/// the ones the expected text implies. `expected` names no rules, so an
/// expected drop or rewrite has none.
///
/// The expected lines are matched to the actual output first (they mostly
/// agree); an expected line the output lacks is looked for among the input
/// lines between its matched neighbours, and is shown as a line of its own
/// when the input does not have it.
pub fn golden_page(
    name: String,
    cleaned: &Cleaned,
    rules: &RuleSet,
    expected: &str,
) -> (PageDoc, Vec<(String, RuleTotals)>) {
    use similar::{Algorithm, DiffTag, capture_diff_slices};

    let n = cleaned.lines.len();
    let now: Vec<Decision> = cleaned
        .verdicts
        .iter()
        .map(|v| Decision::of(v, rules))
        .collect();
    // The actual output: (input line, its output text).
    let actual: Vec<(usize, &str)> = (0..n)
        .filter(|&i| !cleaned.line_text(i).is_empty())
        .filter_map(|i| match &now[i] {
            Decision::Keep => Some((i, cleaned.line_text(i))),
            Decision::Rewrite { to, .. } => Some((i, to.as_str())),
            _ => None,
        })
        .collect();
    let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
    let actual_texts: Vec<&str> = actual.iter().map(|(_, t)| *t).collect();
    let mut wanted: Vec<Option<Decision>> = vec![None; n];
    // Expected lines the input lacks, each after input line `at` (or
    // before the first when `None`).
    let mut extra: Vec<(Option<usize>, &str)> = Vec::new();
    let expected_drop = Decision::Drop {
        rule: None,
        why: "expected",
        score: None,
    };
    for op in capture_diff_slices(Algorithm::Myers, &actual_texts, &expected) {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        // Output lines the expected text lacks: expected dropped, unless
        // matched again below.
        let mut unmatched: Vec<usize> = actual[old.clone()].iter().map(|(i, _)| *i).collect();
        for &i in &unmatched {
            wanted[i] = Some(expected_drop.clone());
        }
        // Where in the input the expected lines of this op can be.
        let lo = old.start.checked_sub(1).map_or(0, |k| actual[k].0 + 1);
        let hi = actual.get(old.end).map_or(n, |(i, _)| *i);
        let mut from = lo;
        for &text in &expected[new] {
            if let Some(i) = (from..hi).find(|&i| cleaned.line_text(i) == text) {
                wanted[i] = Some(Decision::Keep);
                unmatched.retain(|&u| u != i);
                from = i + 1;
            } else if let Some(pos) = unmatched.iter().position(|&u| {
                // sapu rewrites only cut a line short (a title's site
                // suffix): an expected line is a rewrite of the input line
                // it begins.
                u >= from && cleaned.line_text(u).starts_with(text)
            }) {
                let i = unmatched.remove(pos);
                wanted[i] = Some(Decision::Rewrite {
                    rule: None,
                    to: text.to_string(),
                });
                from = i + 1;
            } else {
                let at = (lo..from).rev().find(|&i| !cleaned.line_text(i).is_empty());
                extra.push((at.or(lo.checked_sub(1)), text));
            }
        }
    }
    let mut touched: Vec<(String, RuleTotals)> = Vec::new();
    let mut lines = rows(cleaned, |i| {
        let actual = now[i].clone();
        match wanted[i].take() {
            Some(w) if w.differs(&actual) => {
                if let Some(id) = actual.rule() {
                    match touched.iter_mut().find(|(r, _)| r == id) {
                        Some((_, t)) => t.lines += 1,
                        None => touched.push((
                            id.to_string(),
                            RuleTotals {
                                lines: 1,
                                ..RuleTotals::default()
                            },
                        )),
                    }
                }
                (actual, Some(w))
            }
            _ => (actual, None),
        }
    });
    // Expected lines the input lacks go after the line they follow.
    for (at, text) in extra.into_iter().rev() {
        let pos = match at {
            None => 0,
            Some(at) => lines
                .iter()
                .position(|l| matches!(l, PageLine::Line(l) if l.n as usize == at + 1))
                .map_or(lines.len(), |p| p + 1),
        };
        let (text, cut) = cut_text(text);
        lines.insert(
            pos,
            PageLine::Line(Line {
                n: 0,
                text,
                cut,
                now: Decision::Absent,
                before: Some(Decision::Keep),
            }),
        );
    }
    let page = PageDoc {
        name,
        facts: facts_of(cleaned),
        picks: Vec::new(),
        lines,
    };
    (page, touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CleanOptions, Cleaner, RuleConfig};

    fn rules() -> RuleSet {
        RuleConfig {
            default_rules: true,
            ..RuleConfig::default()
        }
        .compile()
        .unwrap()
    }

    const PAGE: &str = "Judul Berita Hari Ini | Suara Amerika\n\n\
        Pemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara di seluruh wilayah.\n\n\
        Baca Juga: Berita Lain Yang Menarik\n\n\
        Kebijakan itu mulai berlaku bulan depan dan akan ditinjau kembali setiap tahun oleh pemerintah.\n";

    fn decisions(page: &PageDoc) -> Vec<(u32, String, bool)> {
        page.lines
            .iter()
            .filter_map(|l| match l {
                PageLine::Line(l) => Some((
                    l.n,
                    l.now.rule().unwrap_or("-").to_string(),
                    l.before.is_some(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_cleaned_page_names_the_rule_of_each_line() {
        let rules = rules();
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(PAGE);
        let page = page_of_cleaned("a.txt".into(), &cleaned, &rules);
        let d = decisions(&page);
        assert_eq!(d.len(), 4);
        assert_eq!(d[2], (5, "promo.baca-juga".into(), false));
        assert!(
            matches!(&page.lines[0], PageLine::Line(l) if matches!(l.now, Decision::Rewrite { .. }))
        );
        assert_eq!(
            page.lines.iter().filter(|l| **l == PageLine::Gap).count(),
            3
        );
    }

    #[test]
    fn a_golden_page_marks_where_expected_and_actual_differ() {
        let rules = rules();
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(PAGE);
        // Expected: the promo kept, the last paragraph dropped, the title
        // rewritten otherwise, and a line the input does not have.
        let expected = "Judul Berita\n\n\
            Pemerintah mengumumkan kebijakan baru hari ini untuk semua warga negara di seluruh wilayah.\n\n\
            Baca Juga: Berita Lain Yang Menarik\n\nA line from nowhere\n";
        let (page, touched) = golden_page("case".into(), &cleaned, &rules, expected);
        let rows: Vec<(u32, Decision, Option<Decision>)> = page
            .lines
            .iter()
            .filter_map(|l| match l {
                PageLine::Line(l) => Some((l.n, l.now.clone(), l.before.clone())),
                _ => None,
            })
            .collect();
        assert!(
            matches!(&rows[0].2, Some(Decision::Rewrite { to, rule: None }) if to == "Judul Berita"),
            "{rows:?}"
        );
        assert_eq!(rows[1].2, None);
        assert_eq!(rows[2].2, Some(Decision::Keep));
        // The line the input lacks comes after the last line matched
        // before it.
        assert_eq!((rows[3].0, &rows[3].1), (0, &Decision::Absent), "{rows:?}");
        assert!(
            matches!(rows[4].2, Some(Decision::Drop { rule: None, .. })),
            "{rows:?}"
        );
        let ids: Vec<&str> = touched.iter().map(|(id, _)| id.as_str()).collect();
        assert!(ids.contains(&"promo.baca-juga"), "{ids:?}");
    }

    #[test]
    fn a_passing_golden_page_has_no_differences() {
        let rules = rules();
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(PAGE);
        let expected = crate::output::text::render(&cleaned);
        let (page, touched) = golden_page("case".into(), &cleaned, &rules, &expected);
        assert!(decisions(&page).iter().all(|(_, _, b)| !b));
        assert!(touched.is_empty());
    }

    #[test]
    fn long_documents_keep_their_decisions_and_lose_the_rest() {
        let rules = rules();
        let mut text = String::from("Judul\n\n");
        for i in 0..200 {
            text.push_str(&format!(
                "Paragraf {i} berisi kalimat yang cukup panjang untuk dibaca oleh semua orang di sini.\n\n"
            ));
            if i == 120 {
                text.push_str("Baca Juga: Berita Lain\n\n");
            }
        }
        let cleaned = Cleaner::new(&rules, CleanOptions::default()).clean(&text);
        let mut page = page_of_cleaned("long".into(), &cleaned, &rules);
        let before = page.text_chars();
        page.elide(2000);
        assert!(page.text_chars() <= 2000 && page.text_chars() < before);
        let elided: u32 = page
            .lines
            .iter()
            .map(|l| match l {
                PageLine::Elided { lines, .. } => *lines,
                _ => 0,
            })
            .sum();
        let shown = decisions(&page);
        assert_eq!(shown.len() as u32 + elided, 202);
        assert!(shown.iter().any(|(_, r, _)| r == "promo.baca-juga"));
        // The drop comes with two lines of context on either side.
        let at = shown
            .iter()
            .position(|(_, r, _)| r == "promo.baca-juga")
            .unwrap();
        assert_eq!(shown[at - 2].0 + 4, shown[at].0);
        assert_eq!(shown[at + 2].0 - 4, shown[at].0);
    }

    #[test]
    fn very_long_lines_are_cut() {
        let (text, cut) = cut_text(&"é".repeat(LINE_CHARS + 5));
        assert_eq!(text.chars().count(), LINE_CHARS);
        assert_eq!(cut, 5);
    }
}
