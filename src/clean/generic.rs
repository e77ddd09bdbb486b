//! Generic detection for pages no rule names, in the spirit of jusText and
//! body-text extraction: each line is classed from its length, its ending
//! and its share of stop words; the main content is the stretch of the
//! document with the best balance of prose over clutter; non-prose lines
//! before and after it are header and footer furniture.
//!
//! The guard: a line classed [`LineClass::Prose`] (a sentence of ordinary
//! length in the document's language) is never dropped here.

use super::structure::Structure;
use super::{Doc, Pass, ViewLine, mark};
use crate::events::{Verdict, Why};
use crate::rules::{GenericOptions, KindOptions, RuleSet};
use crate::text::features::LineFeatures;
use crate::text::lang::{Lang, LineStops, cjk_chars, stop_words};

/// What a line reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineClass {
    /// Running text in the document's language: never dropped generically.
    Prose,
    /// Short text: a subheading, a list item, a caption, a teaser.
    Short,
    /// A label: one to three words, or words that are not the document's
    /// language (names, menus, product titles, numbers).
    Label,
}

/// A prose line has at least this many words...
const PROSE_MIN_WORDS: usize = 7;
/// ...and at least this share of stop words...
const PROSE_MIN_STOP_SHARE: f32 = 0.2;
/// ...and ends like a sentence, unless it has this many words.
const PROSE_UNENDED_WORDS: usize = 20;
/// Any line this long is prose.
const PROSE_ANY_WORDS: usize = 40;
/// Fewer words than this make a label.
const LABEL_MAX_WORDS: usize = 3;
/// Less stop-word share than this makes a label.
const LABEL_MAX_STOP_SHARE: f32 = 0.08;

/// A sentence of ordinary length has at least this many words...
const SENTENCE_MIN_WORDS: usize = 6;
/// ...and at most this many.
const SENTENCE_MAX_WORDS: usize = 80;
/// A sentence has this share of lowercase words after its first...
const SENTENCE_MIN_LOWERCASE: f32 = 0.5;
/// ...or this share of stop words of the document's language.
const SENTENCE_MIN_STOP_SHARE: f32 = 0.15;

/// Per-line classes of a document, computed once.
pub(super) struct Classes {
    pub lang: Lang,
    pub score: Vec<f32>,
    pub class: Vec<LineClass>,
    /// The guard: the line reads as a full sentence of ordinary length
    /// (capitalized, ending like a sentence, mostly lowercase words or the
    /// stop words of the document's language). Generic rules never drop it,
    /// whatever its class.
    pub sentence: Vec<bool>,
    /// The line starts with a quantity (see [`starts_with_quantity`]).
    pub quantity: Vec<bool>,
}

impl Classes {
    /// What [`classify_line`] found of line `idx`.
    pub fn info(&self, idx: usize) -> LineInfo {
        LineInfo {
            class: self.class[idx],
            sentence: self.sentence[idx],
            quantity: self.quantity[idx],
            score: self.score[idx],
        }
    }

    /// Whether generic rules must leave the line alone.
    fn guarded(&self, idx: usize) -> bool {
        self.class[idx] == LineClass::Prose || self.sentence[idx]
    }
}

/// Units that make a line starting with a number a quantity.
const QUANTITY_UNITS: &str = r"g|gr|kg|mg|ml|cl|dl|l|el|tl|msp|pck\.?|päckchen|pkg\.?|stück|stk\.?|prise|prisen|bund|dose|dosen|becher|tasse|tassen|zehe|zehen|scheibe|scheiben|oz|lb|lbs|cups?|tbsp|tsp|tablespoons?|teaspoons?|cans?|pinch|cloves?|slices?|cucharadas?|cucharaditas?|c\.\s?à\.\s?(?:s|c)|łyżk[ia]|łyżeczk[ia]|szklank[ia]|kcal|kj|cm|mm|m|km|m²|m2|%|€|mio\.?|mrd\.?|millionen|milliarden|million|billion";

/// A line that starts with a quantity: "1 Pck. Vanillepuddingpulver",
/// "für 12 Stück", "390 kcal", "32,23 Mio. t". Ingredients, nutrition
/// facts and figures are data of the article; header and footer zones
/// leave them alone.
pub(crate) fn starts_with_quantity(line: &str) -> bool {
    // A match starts with a digit or with one of the words before it
    // (`ca.`, `etwa`, `für`, `for`, `para`, `pour`): most lines are
    // passed over on their first byte.
    line.as_bytes().first().is_some_and(|b| {
        b.is_ascii_digit() || matches!(b.to_ascii_lowercase(), b'c' | b'e' | b'f' | b'p')
    }) && quantity_regex().is_match(line)
}

fn quantity_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let source = format!(
            r"(?i)^(?:ca\.\s*|etwa\s+|für\s+|for\s+|para\s+|pour\s+)?\d+(?:[.,/]\d+)?\s*[½¼¾]?\s*(?:-\s*\d+(?:[.,]\d+)?\s*)?(?:{QUANTITY_UNITS})(?:\s|$)"
        );
        // The pattern is a constant; a failure here is a bug caught by the
        // unit test below.
        regex::Regex::new(&source).expect("quantity pattern compiles")
    })
}

/// Whether a line reads as a full sentence: "Gubernur Jawa Barat meninjau
/// banjir di wilayahnya." is one even though few of its words are stop
/// words; "Share on Facebook", "Freie Universität Berlin, Land Berlin" are
/// not.
fn reads_as_sentence(line: &str, f: &LineFeatures, stop_share: f32) -> bool {
    if !(SENTENCE_MIN_WORDS..=SENTENCE_MAX_WORDS).contains(&f.words) || !f.ends_terminal {
        return false;
    }
    let starts = line
        .chars()
        .find(|c| !matches!(c, '"' | '\'' | '„' | '“' | '«' | '‚' | '‘' | '(' | '['))
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !starts {
        return false;
    }
    if stop_share >= SENTENCE_MIN_STOP_SHARE {
        return true;
    }
    let mut rest = 0usize;
    let mut lower = 0usize;
    for w in line.split(' ').skip(1) {
        let Some(c) = w.chars().find(|c| c.is_alphanumeric()) else {
            continue;
        };
        rest += 1;
        if c.is_lowercase() {
            lower += 1;
        }
    }
    rest > 0 && lower as f32 >= SENTENCE_MIN_LOWERCASE * rest as f32
}

/// Stop-word counts of every line, once per document.
pub(super) fn count_stops(text: &str, lines: &[std::ops::Range<usize>]) -> Vec<LineStops> {
    let stop = stop_words();
    lines.iter().map(|r| stop.count(&text[r.clone()])).collect()
}

/// The language of the lines of a view with four words or more.
pub(super) fn guess_lang(stops: &[LineStops], view: &[ViewLine]) -> Lang {
    stop_words().guess_counted(view.iter().map(|v| &stops[v.idx]).filter(|s| s.words >= 4))
}

/// What the generic layer reads off one line: its class, whether it reads
/// as a full sentence, whether it starts with a quantity, and its share of
/// stop words of the document's language.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LineInfo {
    pub class: LineClass,
    pub sentence: bool,
    pub quantity: bool,
    pub score: f32,
}

/// Classes one line (see [`LineClass`]).
pub(crate) fn classify_line(line: &str, f: &LineFeatures, st: &LineStops, lang: Lang) -> LineInfo {
    let cjk = cjk_chars(line);
    let words = f.words.max(cjk / 2);
    let mut share = st.share(lang);
    let mut ends = f.ends_terminal;
    if cjk > 10 {
        share = share.max(0.3);
        ends = ends || line.ends_with(['。', '！', '？', '”', '」']);
    }
    let class = if (words >= PROSE_MIN_WORDS
        && share >= PROSE_MIN_STOP_SHARE
        && (ends || words >= PROSE_UNENDED_WORDS))
        || words >= PROSE_ANY_WORDS
    {
        LineClass::Prose
    } else if words <= LABEL_MAX_WORDS || share < LABEL_MAX_STOP_SHARE {
        LineClass::Label
    } else {
        LineClass::Short
    };
    LineInfo {
        class,
        sentence: cjk <= 10 && reads_as_sentence(line, f, share),
        quantity: starts_with_quantity(line),
        score: share,
    }
}

pub(super) fn classify_lines(
    text: &str,
    lines: &[std::ops::Range<usize>],
    feats: &[LineFeatures],
    stops: &[LineStops],
    lang: Lang,
) -> Classes {
    let mut score = Vec::with_capacity(lines.len());
    let mut class = Vec::with_capacity(lines.len());
    let mut sentence = Vec::with_capacity(lines.len());
    let mut quantity = Vec::with_capacity(lines.len());
    for ((range, f), st) in lines.iter().zip(feats).zip(stops) {
        let info = classify_line(&text[range.clone()], f, st, lang);
        sentence.push(info.sentence);
        quantity.push(info.quantity);
        score.push(info.score);
        class.push(info.class);
    }
    Classes {
        lang,
        score,
        class,
        sentence,
        quantity,
    }
}

/// Weight of a line in the search for the main content: prose counts for
/// its words, anything else against.
pub(crate) fn weight(class: LineClass, f: &LineFeatures, line: &str) -> f32 {
    match class {
        LineClass::Prose => f.words.min(60) as f32,
        LineClass::Short => -2.0,
        // Quantities and figures (ingredients, specifications) are data of
        // the article more often than menus are.
        LineClass::Label if line.bytes().any(|b| b.is_ascii_digit()) => -1.0,
        LineClass::Label => -8.0,
    }
}

/// An earlier stretch counts as the start of the main content when its
/// weight is at least this share of the best stretch's...
const EARLIER_MIN_SHARE: f32 = 0.4;
/// ...and it has at least this many prose lines.
const EARLIER_MIN_PROSE: usize = 3;

/// A stretch of positive weight: total weight, first and last view
/// position, prose lines in it.
#[derive(Clone, Copy)]
struct Stretch {
    weight: f32,
    start: usize,
    end: usize,
    prose: usize,
}

/// The view positions `[start, end]` of the main content: the stretch with
/// the largest total weight (a maximum-sum subarray), extended back to an
/// earlier stretch of several prose paragraphs with a good share of its
/// weight (an article followed by longer comments or a sidebar of teasers:
/// what lies between is the article's, not the page header's). `None` when
/// no line reads as prose.
fn main_content(doc: &Doc, classes: &Classes, view: &[ViewLine]) -> Option<(usize, usize)> {
    main_stretch(view.iter().map(|v| {
        let class = classes.class[v.idx];
        (
            weight(class, &doc.feats[v.idx], doc.line(v.idx)),
            class == LineClass::Prose,
        )
    }))
}

/// The main-content search of [`main_content`] over lines given as their
/// weight and whether they are prose: view positions `[start, end]`.
pub(crate) fn main_stretch(lines: impl Iterator<Item = (f32, bool)>) -> Option<(usize, usize)> {
    // The best stretch of each run that starts where the running sum fell
    // to zero.
    let mut stretches: Vec<Stretch> = Vec::new();
    let mut current: Option<Stretch> = None;
    let mut sum = 0.0f32;
    let mut start = 0;
    let mut prose = 0;
    for (pos, (w, is_prose)) in lines.enumerate() {
        if sum <= 0.0 {
            stretches.extend(current.take());
            sum = 0.0;
            start = pos;
            prose = 0;
        }
        prose += usize::from(is_prose);
        sum += w;
        if sum > 0.0 && current.is_none_or(|c| sum > c.weight) {
            current = Some(Stretch {
                weight: sum,
                start,
                end: pos,
                prose,
            });
        }
    }
    stretches.extend(current);
    let best = stretches
        .iter()
        .copied()
        .reduce(|a, b| if b.weight > a.weight { b } else { a })?;
    let first = stretches
        .iter()
        .find(|s| {
            s.start < best.start
                && s.weight >= EARLIER_MIN_SHARE * best.weight
                && s.prose >= EARLIER_MIN_PROSE
        })
        .map_or(best.start, |s| s.start);
    Some((first, best.end))
}

/// A data block has at least this many lines that start with a quantity.
const DATA_MIN_QUANTITIES: usize = 2;

/// Which view lines belong to a data block: a run of lines without a blank
/// line between them with at least two lines that start with a quantity, of
/// which at least half start with a number (an ingredient list, nutrition
/// facts, a table of figures). The other lines of such a block are its
/// heading ("Nährwerte pro Stück") and items without a quantity ("2 Möhren",
/// "Salz"): data of the article, like the quantities.
fn data_blocks(doc: &Doc, classes: &Classes, view: &[ViewLine]) -> Vec<bool> {
    data_block_lines(view.iter().map(|v| {
        (
            v.gap_before,
            classes.quantity[v.idx],
            doc.line(v.idx).starts_with(|c: char| c.is_ascii_digit()),
        )
    }))
}

/// [`data_blocks`] over lines given as (a blank line before it, starts
/// with a quantity, starts with a digit): the line model's guard too.
pub(crate) fn data_block_lines(lines: impl Iterator<Item = (bool, bool, bool)>) -> Vec<bool> {
    let lines: Vec<(bool, bool, bool)> = lines.collect();
    let mut data = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        while end < lines.len() && !lines[end].0 {
            end += 1;
        }
        let block = &lines[start..end];
        let quantities = block.iter().filter(|l| l.1).count();
        let numbers = block.iter().filter(|l| l.2).count();
        if quantities >= DATA_MIN_QUANTITIES && 2 * numbers.max(quantities) >= end - start {
            data[start..end].fill(true);
        }
        start = end;
    }
    data
}

/// Runs the generic rules on the view of a pass. The language is guessed
/// from the lines still kept, so that the last pass sees exactly what
/// cleaning the output again would see. Returns whether a verdict changed.
pub(super) fn run(p: &Pass, verdicts: &mut [Verdict]) -> bool {
    if p.rules.generic_rules.is_empty() {
        return false;
    }
    let doc = p.doc;
    let lang = guess_lang(&doc.stops, p.view);
    let mut cache = doc.classes.borrow_mut();
    if cache.as_ref().is_none_or(|c| c.lang != lang) {
        *cache = Some(classify_lines(
            doc.text, doc.lines, &doc.feats, &doc.stops, lang,
        ));
    }
    match cache.as_ref() {
        Some(classes) => decide(doc, classes, p.view, p.structure, p.rules, verdicts),
        None => false,
    }
}

/// Runs the generic rules on a view. Returns whether a verdict changed.
fn decide(
    doc: &Doc,
    classes: &Classes,
    view: &[ViewLine],
    structure: &Structure,
    rules: &RuleSet,
    verdicts: &mut [Verdict],
) -> bool {
    if classes.lang.code().is_none() {
        return false;
    }
    let Some((start, end)) = main_content(doc, classes, view) else {
        return false;
    };
    let class = |pos: usize| classes.class[view[pos].idx];
    let first_prose = (0..view.len())
        .find(|&p| class(p) == LineClass::Prose)
        .unwrap_or(start);
    let data = data_blocks(doc, classes, view);
    // Lines of data blocks (an ingredient list between the title and the
    // text) do not count in the distance of the title to the first
    // paragraph.
    let distance = |from: usize, to: usize| (from..to).filter(|&p| !data[p]).count();
    let protected = |pos: usize| -> bool {
        // The title and a subtitle under it, when they sit close above the
        // first paragraph; and the two lines right above the main content
        // (its headline and standfirst).
        if let Some(t) = structure.title_pos
            && t < first_prose
            && distance(t, first_prose) <= 6
            && doc.feats[view[t].idx].words >= 2
            && (pos == t || (pos == t + 1 && class(pos) != LineClass::Label))
        {
            return true;
        }
        if structure.is_headline(pos) {
            return true;
        }
        pos < start && start - pos <= 2 && {
            let f = doc.feats[view[pos].idx];
            class(pos) == LineClass::Short || (2..=15).contains(&f.words)
        }
    };
    let mut changed = false;
    for &r in &rules.generic_rules {
        let rule = &rules.rules[r as usize];
        let KindOptions::Generic(detector) = rule.options else {
            continue;
        };
        match detector {
            GenericOptions::HeaderZone | GenericOptions::FooterZone => {
                let header = detector == GenericOptions::HeaderZone;
                let range = if header {
                    0..start
                } else {
                    end + 1..view.len()
                };
                for pos in range {
                    let idx = view[pos].idx;
                    if classes.guarded(idx)
                        || classes.quantity[idx]
                        || data[pos]
                        || protected(pos)
                        || doc.feats[idx].chars > rule.guards.max_chars
                    {
                        continue;
                    }
                    let s = classes.score[idx];
                    let why = if header {
                        Why::BeforeMainContent(s)
                    } else {
                        Why::AfterMainContent(s)
                    };
                    changed |= mark(verdicts, idx, Verdict::Drop { rule: r, why });
                }
            }
            // The model decides in a phase of its own (`super::model`).
            GenericOptions::Model { .. } => {}
            // Decided in `code.rs`, before the zones.
            GenericOptions::Code => {}
            GenericOptions::LinkList { min_items } => {
                let is_link = |pos: usize| {
                    let idx = view[pos].idx;
                    let f = doc.feats[idx];
                    !protected(pos)
                        && !data[pos]
                        && class(pos) == LineClass::Label
                        && !classes.guarded(idx)
                        && f.words <= 6
                        && f.chars <= rule.guards.max_chars
                        && !doc.line(idx).bytes().any(|b| b.is_ascii_digit())
                };
                let (start, end) = (0, view.len() - 1);
                let mut pos = start;
                while pos <= end {
                    if !is_link(pos) {
                        pos += 1;
                        continue;
                    }
                    let run_start = pos;
                    while pos <= end && is_link(pos) {
                        pos += 1;
                    }
                    if pos - run_start >= min_items {
                        for v in &view[run_start..pos] {
                            let idx = v.idx;
                            let why = Why::InLinkList(classes.score[idx]);
                            changed |= mark(verdicts, idx, Verdict::Drop { rule: r, why });
                        }
                    }
                }
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::features::measure;

    fn classified(lines: &[&str]) -> Classes {
        let text = lines.join("\n");
        let mut ranges = Vec::new();
        let mut at = 0;
        for l in lines {
            ranges.push(at..at + l.len());
            at += l.len() + 1;
        }
        let feats: Vec<_> = lines.iter().map(|l| measure(l)).collect();
        let stops = count_stops(&text, &ranges);
        let lang = stop_words().guess(lines.iter().copied());
        classify_lines(&text, &ranges, &feats, &stops, lang)
    }

    fn classes_of(lines: &[&str]) -> Vec<LineClass> {
        classified(lines).class
    }

    #[test]
    fn quantities_start_data_lines() {
        for q in [
            "1 Pck. Vanillepuddingpulver",
            "für 12 Stück",
            "390 kcal",
            "32,23 Mio. t",
            "250 g Mehl",
            "2 cups flour",
            "1/2 TL Salz",
        ] {
            assert!(starts_with_quantity(q), "{q}");
        }
        for q in [
            "12 Kommentare",
            "3 Antworten",
            "2021 Beispiel GmbH",
            "Top 10 Rezepte",
            "© 2021 Beispiel",
            "10 Gründe, warum",
        ] {
            assert!(!starts_with_quantity(q), "{q}");
        }
    }

    /// The first-byte test in front of the pattern passes every line the
    /// pattern matches: the words it allows before the number, in any
    /// case, and numbers in any script.
    #[test]
    fn quantities_are_found_whatever_the_case_of_their_first_word() {
        for lead in ["", "ca. ", "ca.", "etwa ", "für ", "for ", "para ", "pour "] {
            for lead in [lead.to_string(), lead.to_uppercase(), {
                let mut c = lead.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            }] {
                for rest in ["12 kg Mehl", "1/2 TL Salz", "3 cups", "٣ kg"] {
                    let line = format!("{lead}{rest}");
                    let pattern = quantity_regex().is_match(&line)
                        && line.as_bytes()[0].is_ascii_alphanumeric();
                    assert_eq!(starts_with_quantity(&line), pattern, "{line}");
                    if !rest.starts_with('٣') || !lead.is_empty() {
                        assert!(pattern, "{line}");
                    }
                }
            }
        }
    }

    #[test]
    fn full_sentences_with_few_stop_words_are_guarded() {
        let lines = [
            "Pemerintah daerah menyatakan bahwa jalan itu akan segera diperbaiki dan dibuka kembali untuk umum.",
            "Tarif angkutan barang naik seiring kenaikan harga bahan bakar.",
            "Gubernur Jawa Barat meninjau banjir di wilayahnya.",
            "Share on Facebook",
            "Freie Universität Berlin, Land Berlin",
            "Senate Passes Spending Bill After Weeks Of Talks.",
            "lihat juga berita lain di halaman ini.",
        ];
        let c = classified(&lines);
        assert_eq!(
            c.sentence,
            vec![true, true, true, false, false, false, false]
        );
    }

    #[test]
    fn classes_follow_length_ending_and_stop_words() {
        let c = classes_of(&[
            "Die Bundesregierung hat am Mittwoch ein neues Klimapaket beschlossen, das den Ausstoß deutlich senken soll.",
            "Kritik von allen Seiten",
            "Startseite",
            "Samsung Galaxy S10 128GB Schwarz",
        ]);
        assert_eq!(
            c,
            vec![
                LineClass::Prose,
                LineClass::Short,
                LineClass::Label,
                LineClass::Label
            ]
        );
    }

    #[test]
    fn cjk_lines_count_characters_as_words() {
        let c = classes_of(&[
            "一个约定，信守15年，感人至深；一段真情，延续15年，催人泪下。话剧结尾，全体演员登台致谢。",
        ]);
        assert_eq!(c, vec![LineClass::Prose]);
    }
}
