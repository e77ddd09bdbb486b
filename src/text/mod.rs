//! Text primitives: normalization and per-line measurements.

pub mod features;
pub mod lang;
pub mod normalize;
mod stop_automaton;

/// The character starting at byte `i` of `s` (a char boundary, not ASCII)
/// and its length in bytes.
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    let b0 = u32::from(b[i]);
    let cont = |j: usize| u32::from(b[i + j]) & 0x3f;
    let (cp, len) = if b0 < 0xe0 {
        (((b0 & 0x1f) << 6) | cont(1), 2)
    } else if b0 < 0xf0 {
        (((b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (
            ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        )
    };
    // `s` is valid UTF-8, so this is always a character.
    (
        char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER),
        len,
    )
}

/// `to_lowercase` of each text, in order: the text itself when it has no
/// capital letter to lower (ASCII lowercasing is `to_lowercase` on ASCII),
/// else its lowercase written into `buf` (one buffer for them all, not a
/// string each).
pub(crate) fn lowercase_all<'a>(
    texts: impl Iterator<Item = &'a str>,
    buf: &'a mut String,
) -> Vec<&'a str> {
    buf.clear();
    let spans: Vec<(&str, Option<std::ops::Range<usize>>)> = texts
        .map(|t| {
            if t.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
                let at = buf.len();
                push_lowercase(t, buf);
                (t, Some(at..buf.len()))
            } else {
                (t, None)
            }
        })
        .collect();
    let buf: &'a String = buf;
    spans
        .into_iter()
        .map(|(t, span)| span.map_or(t, |r| &buf[r]))
        .collect()
}

/// Appends `s.to_lowercase()` to `out`, without the allocation of a new
/// string and with the characters of two bytes (Latin, Greek, Cyrillic,
/// Hebrew, Arabic...) lowered by a table rather than a search.
pub(crate) fn push_lowercase(s: &str, out: &mut String) {
    // The one mapping that depends on the context (a final capital sigma
    // lowers to `ς`): left to the standard library.
    if s.contains('Σ') {
        out.push_str(&s.to_lowercase());
        return;
    }
    let table = two_byte_lowercase();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] < 0x80 {
            i += 1;
        }
        if i > start {
            let at = out.len();
            out.push_str(&s[start..i]);
            out.as_mut_str()[at..].make_ascii_lowercase();
        }
        if i == b.len() {
            break;
        }
        let (c, len) = char_at(s, i);
        i += len;
        match lower_by_table(table, c) {
            Some(lower) => out.push(lower),
            None => out.extend(c.to_lowercase()),
        }
    }
}

#[inline]
fn lower_by_table(table: &[char; 0x780], c: char) -> Option<char> {
    let lower = *table.get((u32::from(c) as usize).wrapping_sub(0x80))?;
    (lower != '\0').then_some(lower)
}

/// The lowercase of each character U+0080 to U+07FF that lowers to one
/// character; `'\0'` for one that lowers to several (`İ`).
fn two_byte_lowercase() -> &'static [char; 0x780] {
    static TABLE: std::sync::OnceLock<[char; 0x780]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = ['\0'; 0x780];
        for (k, slot) in t.iter_mut().enumerate() {
            let c = char::from_u32(0x80 + k as u32).expect("U+0080 to U+07FF are characters");
            let mut lower = c.to_lowercase();
            if let (Some(l), None) = (lower.next(), lower.next()) {
                *slot = l;
            }
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character, alone and among others, lowers as `to_lowercase`
    /// lowers it.
    #[test]
    fn push_lowercase_is_to_lowercase() {
        let mut cases: Vec<String> = Vec::new();
        for cp in 0..=0x10_ffffu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if cp < 0x3000 || cp % 7 == 0 {
                cases.push(format!("{c}"));
                cases.push(format!("A{c}b{c}C"));
            }
        }
        cases.extend(
            [
                "",
                "ΟΔΟΣ Σ ΣΑΣ aΣ Σa",
                "İstanbul ÇOK Şu",
                "Straße ÄÖÜ ǅ ǈ",
                "MIXED ascii Кириллица ΕΛΛΗΝΙΚΑ",
            ]
            .map(String::from),
        );
        for case in &cases {
            let mut out = String::from("x");
            push_lowercase(case, &mut out);
            assert_eq!(out, format!("x{}", case.to_lowercase()), "{case:?}");
        }
    }
}
