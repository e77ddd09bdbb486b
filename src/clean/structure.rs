//! Where things are in a document view: the title, the first and last
//! prose paragraphs, and so the header and footer zones.

use super::generic::{data_block_lines, starts_with_quantity};
use super::{Doc, ViewLine};

pub(super) struct Structure {
    /// View position of the title, when the first line reads as one.
    pub title_pos: Option<usize>,
    /// View positions of the lines that read as the headline and its
    /// standfirst (see [`find_headlines`]); one may be the title.
    headlines: Vec<usize>,
    /// The title's text as the rules see it (after any suffix strip).
    pub title: String,
    first_prose: Option<usize>,
    last_prose: Option<usize>,
    /// `prefix_chars[p]`: characters of view lines before position `p`.
    prefix_chars: Vec<usize>,
    pub total_chars: usize,
}

/// The longest first line that can still be a title.
const TITLE_MAX_CHARS: usize = 300;

impl Structure {
    /// Whether the line at view position `pos` reads as the headline or
    /// its standfirst.
    pub fn is_headline(&self, pos: usize) -> bool {
        self.headlines.contains(&pos)
    }

    pub fn analyze(doc: &Doc, view: &[ViewLine]) -> Structure {
        let mut prefix_chars = Vec::with_capacity(view.len() + 1);
        let mut total = 0;
        let mut first_prose = None;
        let mut last_prose = None;
        for (pos, v) in view.iter().enumerate() {
            prefix_chars.push(total);
            let f = doc.feats[v.idx];
            total += f.chars;
            if f.is_prose() {
                first_prose.get_or_insert(pos);
                last_prose = Some(pos);
            }
        }
        prefix_chars.push(total);
        let title_pos = view.first().and_then(|v| {
            let f = doc.feats[v.idx];
            (!f.is_prose() && !f.separator && f.chars <= TITLE_MAX_CHARS).then_some(0)
        });
        let title = title_pos
            .map(|p| doc.line(view[p].idx).to_string())
            .unwrap_or_default();
        Structure {
            headlines: first_prose.map_or_else(Vec::new, |first| find_headlines(doc, view, first)),
            title_pos,
            title,
            first_prose,
            last_prose,
            prefix_chars,
            total_chars: total,
        }
    }

    pub fn set_title(&mut self, title: String) {
        self.title = title;
    }

    /// Between the title (or the start) and the first prose paragraph.
    pub fn in_header(&self, pos: usize) -> bool {
        let start = self.title_pos.map_or(0, |t| t + 1);
        matches!(self.first_prose, Some(first) if pos >= start && pos < first)
    }

    /// After the last prose paragraph.
    pub fn in_footer(&self, pos: usize) -> bool {
        matches!(self.last_prose, Some(last) if pos > last)
    }

    pub fn chars_before(&self, pos: usize) -> usize {
        self.prefix_chars[pos]
    }
}

/// How far above the first paragraph a headline is looked for, in lines.
const HEADLINE_REACH: usize = 6;

/// The lines that read as the page's headline (and its standfirst):
/// lines shaped like a heading above the first prose paragraph (at
/// position `first`) or the data block before it (an ingredient list under
/// a recipe's name), among the datelines, bylines, captions and labels
/// between them, that no rule's pattern matched (a byline, a promo; the
/// first line is the title, whatever its shape matched). A
/// heading has three to 25 words, does not end with a full stop or a
/// colon, holds no sentence break, few digits and no bracketed credit at
/// its end; a short one (three or four words, which is also the shape of a
/// byline) stands after a blank line or first on the page.
fn find_headlines(doc: &Doc, view: &[ViewLine], first: usize) -> Vec<usize> {
    let data = data_block_lines(view[..first].iter().map(|v| {
        let line = doc.line(v.idx);
        (
            v.gap_before,
            starts_with_quantity(line),
            line.starts_with(|c: char| c.is_ascii_digit()),
        )
    }));
    let first = data.iter().position(|&d| d).unwrap_or(first);
    (first.saturating_sub(HEADLINE_REACH)..first)
        .filter(|&pos| {
            let v = view[pos];
            let f = doc.feats[v.idx];
            let line = doc.line(v.idx);
            let digits = line.bytes().filter(u8::is_ascii_digit).count();
            (3..=25).contains(&f.words)
                && f.chars <= TITLE_MAX_CHARS
                && !f.separator
                && !f.ends_period
                && !line.ends_with([':', ')', ']'])
                && !line.contains(". ")
                && digits * 5 < f.chars
                && (f.words >= 5 || v.gap_before || pos == 0)
                && (pos == 0 || doc.hits(v.idx).is_empty())
        })
        .collect()
}

/// The title as the detectors that work from it compare lines with it.
pub(super) struct TitleMatch<'a> {
    doc: &'a Doc<'a>,
    view: &'a [ViewLine],
    /// View position of the title.
    pub pos: usize,
    /// The title's current text (after any suffix strip).
    pub text: &'a str,
    key: String,
    original_key: String,
    /// Lines outside this length (characters) cannot repeat the title.
    lengths: std::ops::RangeInclusive<usize>,
}

impl<'a> TitleMatch<'a> {
    /// `None` when the view has no title.
    pub fn new(doc: &'a Doc<'a>, view: &'a [ViewLine], s: &'a Structure) -> Option<Self> {
        let pos = s.title_pos?;
        let key = comparable(&s.title);
        let original = doc.original_line(view[pos].idx);
        let original_key = comparable(original);
        // Lowercasing keeps the character count but for a few letters;
        // lines far from the lengths of the title (as it is and as it was
        // read) cannot repeat it.
        let lengths = key.chars().count().saturating_sub(8)..=original.chars().count() + 8;
        Some(TitleMatch {
            doc,
            view,
            pos,
            text: &s.title,
            key,
            original_key,
            lengths,
        })
    }

    /// The line at view position `pos` repeats the title (as it is, or as
    /// it was before its suffix was stripped).
    pub fn is_repeat(&self, pos: usize) -> bool {
        let idx = self.view[pos].idx;
        pos != self.pos && self.lengths.contains(&self.doc.feats[idx].chars) && {
            let key = comparable(self.doc.line(idx));
            key == self.key || key == self.original_key
        }
    }
}

/// The form in which two titles are compared: lowercase, without trailing
/// punctuation.
fn comparable(s: &str) -> String {
    s.trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == ' ')
        .to_lowercase()
}

/// The distinct lowercase words of `s`, sorted: each word split off
/// (runs of letters and digits) and lowered alone, into `buf`.
fn words<'a>(s: &'a str, buf: &'a mut String) -> Vec<&'a str> {
    let split = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut w = crate::text::lowercase_all(split, buf);
    w.sort_unstable();
    w.dedup();
    w
}

/// Two lines say nearly the same thing: at least 60% of their distinct
/// words are shared (Jaccard), and both have three words or more.
pub(crate) fn near_duplicate(a: &str, b: &str) -> bool {
    let (mut buf_a, mut buf_b) = (String::new(), String::new());
    let (wa, wb) = (words(a, &mut buf_a), words(b, &mut buf_b));
    if wa.len() < 3 || wb.len() < 3 {
        return false;
    }
    let shared = wa.iter().filter(|w| wb.binary_search(w).is_ok()).count();
    let union = wa.len() + wb.len() - shared;
    shared as f64 / union as f64 >= 0.6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates() {
        assert!(near_duplicate(
            "FILE – Wakil politik Taliban Mullah Abdul Ghani Baradar tiba untuk konferensi perdamaian Afghanistan di Moskow, 18 Maret 2021.",
            "Wakil politik Taliban Mullah Abdul Ghani Baradar tiba untuk konferensi perdamaian internasional di Moskow, 18 Maret 2021."
        ));
        assert!(!near_duplicate("Pipa gas", "Pipa gas"));
        assert!(!near_duplicate(
            "Rusia dan Pakistan sepakat bekerja sama.",
            "Lavrov mengatakan kedua negara sepakat meningkatkan latihan."
        ));
    }

    /// The words as first written: split off, lowered one by one.
    #[test]
    fn words_are_the_lowered_words_split_off() {
        for line in [
            "FILE – Wakil politik Taliban, di Moskow, 18 Maret 2021.",
            "ΟΔΟΣ Σ ΣΑΣ İstanbul İSTANBUL Straße STRASSE x-y x_y",
            "the THE The tHe, a A; 1 1",
            "",
            " ,.; ",
        ] {
            let mut want: Vec<String> = line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            want.sort();
            want.dedup();
            let mut buf = String::new();
            assert_eq!(words(line, &mut buf), want, "{line:?}");
        }
    }

    #[test]
    fn comparable_ignores_case_and_trailing_punctuation() {
        assert_eq!(comparable("Judul Berita!"), comparable("judul berita"));
    }
}
