//! `cut_glued`: a promo glued to a paragraph is cut, and the paragraph
//! kept.
//!
//! A naive scrape joins the text of adjacent page elements without a
//! space, so a portal's promo ("Baca Juga: ...", "Dapatkan update berita
//! ...") often ends up on the line of the paragraph before it:
//! "... kata dia kepada wartawan.Baca Juga: Harga Emas Naik Lagi". A
//! sentence end with a capital letter right after it and no space between
//! is where two elements were joined: a *glue point*. The part after the
//! last glue point (or, failing that, before the first) is judged as a
//! line of its own: when a line rule with `cut_glued` would drop it there,
//! guards included (length, words, sentences, zone, vetoes), and the rest
//! reads as a prose paragraph, the line is rewritten to the rest. One part
//! is cut per pass; the rest is measured and matched again, so a second
//! promo glued before the first goes in the next pass, and a rest that is
//! furniture itself is dropped by the rule that matches it.

use super::Pass;
use crate::rules::KindOptions;
use crate::text::features::measure;

/// The fewest words of a prose paragraph (see `LineFeatures::is_prose`): a
/// line with fewer cannot hold one and a part glued to it.
const PROSE_MIN_WORDS: usize = 8;

/// The rule that cuts a part of the line at view position `pos`, and the
/// paragraph it leaves.
pub(super) fn cut<'a>(p: &Pass<'a>, pos: usize) -> Option<(u32, &'a str)> {
    let idx = p.view[pos].idx;
    if p.doc.feats[idx].words < PROSE_MIN_WORDS {
        return None;
    }
    if !p.doc.may_be_glued(idx) {
        return None;
    }
    let line = p.doc.line(idx);
    let points: Vec<usize> = glue_points(line).collect();
    // The promo glued at the end: the shortest part first.
    for &at in points.iter().rev() {
        let (paragraph, part) = line.split_at(at);
        match cutting_rule(p, pos, part) {
            Judged::TooLong => break,
            Judged::Cut(r) if measure(paragraph).is_prose() => return Some((r, paragraph)),
            _ => {}
        }
    }
    // The promo glued at the start.
    for &at in &points {
        let (part, paragraph) = line.split_at(at);
        match cutting_rule(p, pos, part) {
            Judged::TooLong => break,
            Judged::Cut(r) if measure(paragraph).is_prose() => return Some((r, paragraph)),
            _ => {}
        }
    }
    None
}

/// How a part of a line was judged.
enum Judged {
    /// This rule would drop it as a line of its own.
    Cut(u32),
    /// No rule with `cut_glued` would.
    Kept,
    /// Longer than any rule with `cut_glued` takes.
    TooLong,
}

/// The first rule with `cut_glued` (in load order) that would drop `part`
/// as a line of its own at view position `pos`.
fn cutting_rule(p: &Pass, pos: usize, part: &str) -> Judged {
    let f = measure(part);
    if f.chars > p.rules.cut_glued_max_chars {
        return Judged::TooLong;
    }
    let mut hits = Vec::new();
    p.rules.matcher.matches_sized(part, f.chars, &mut hits);
    hits.sort_unstable();
    hits.dedup();
    hits.into_iter()
        .find(|&r| {
            let rule = &p.rules.rules[r as usize];
            matches!(rule.options, KindOptions::Line { cut_glued: true })
                && p.guards_pass_on(rule, pos, f, part)
        })
        .map_or(Judged::Kept, Judged::Cut)
}

/// The byte offsets in `line` where two page elements were joined without
/// a space: right after a sentence end, before a capital letter. A
/// sentence ends with a full stop, `!`, `?`, a closing bracket, or a quote
/// that closes a sentence (`."`). A period after an initial or a short
/// title ("S.Joko", "Dr.Heru", "Jl.Sudirman") does not end one, nor does a
/// quote that opens a name ("Grup Telegram "Kompas Update"").
fn glue_points(line: &str) -> impl Iterator<Item = usize> + '_ {
    let mut before = [' ', ' '];
    line.char_indices().filter_map(move |(at, c)| {
        let [two_back, end] = before;
        before = [end, c];
        let glued = c.is_uppercase()
            && match end {
                '.' => !ends_with_abbreviation(&line[..at - 1]),
                '!' | '?' | ')' => true,
                '"' | '”' => matches!(two_back, '.' | '!' | '?'),
                _ => false,
            };
        glued.then_some(at)
    })
}

/// A quick test that `line` may hold a glue point: a byte that ends a
/// sentence (`.`, `!`, `?`, `)`, `"`, the last byte of `”`) before an ASCII
/// capital or the first byte of another letter. Most lines have none, and
/// this runs on every prose line in every pass.
pub(super) fn may_be_glued(line: &str) -> bool {
    let bytes = line.as_bytes();
    let before_capital = |at: usize| {
        bytes
            .get(at + 1)
            .is_some_and(|&b| b.is_ascii_uppercase() || b >= 0xC3)
    };
    memchr::memchr3_iter(b'.', b'!', b'?', bytes).any(before_capital)
        || memchr::memchr3_iter(b')', b'"', 0x9D, bytes).any(before_capital)
}

/// Whether the text before a period ends with an initial ("S") or a short
/// title-case abbreviation ("Dr", "Jl", "Hj", "Drs"). Acronyms in capitals
/// ("DPR", "KPK") end sentences.
fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    rest.is_empty()
        || (first.is_uppercase()
            && rest.chars().count() <= 2
            && rest.chars().all(char::is_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(line: &str) -> Vec<&str> {
        let points: Vec<&str> = glue_points(line).map(|at| &line[at..]).collect();
        // The quick test never misses a glue point.
        assert!(points.is_empty() || may_be_glued(line), "{line}");
        points
    }

    #[test]
    fn glue_points_are_sentence_ends_before_a_capital() {
        assert_eq!(
            points("kata dia kepada wartawan.Dapatkan update berita"),
            ["Dapatkan update berita"]
        );
        assert_eq!(
            points("di Jakarta, Senin (3/6/2024).Baca Juga: Harga Emas"),
            ["Baca Juga: Harga Emas"]
        );
        assert_eq!(points("ujarnya.”Baca juga"), ["Baca juga"]);
        assert_eq!(points("kata dia!\"Simak Video"), ["Simak Video"]);
        assert_eq!(points("Benarkah?Simak videonya"), ["Simak videonya"]);
        assert_eq!(points("kata dia.Éric Dupont"), ["Éric Dupont"]);
        assert_eq!(points("oleh KPK.Baca Juga: X"), ["Baca Juga: X"]);
    }

    #[test]
    fn spaces_lowercase_and_abbreviations_are_not_glue() {
        assert!(points("kata dia. Baca Juga: X").is_empty());
        assert!(points("dari Kompas.com setiap hari").is_empty());
        assert!(points("Presiden A.S.Joko dan Dr.Heru di Jl.Sudirman").is_empty());
        assert!(points("Hj.Siti dan Drs.Budi").is_empty());
        assert!(points("Rp 5.000 per kilogram").is_empty());
        assert!(points("di Grup Telegram \"Kompas.com News Update\", caranya").is_empty());
        assert!(points("dengan memilih \"Terima\", Anda setuju").is_empty());
    }
}
