//! Text primitives: normalization and per-line measurements.

pub mod features;
pub mod lang;
pub mod normalize;

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
