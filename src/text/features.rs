//! Cheap per-line measurements that structural rules reason with: length,
//! word count, how the line ends, whether it is a separator.

/// Measurements of one normalized, non-blank line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineFeatures {
    pub chars: usize,
    pub words: usize,
    /// Ends with a period (not an ellipsis), maybe followed by closing
    /// quotes or brackets.
    pub ends_period: bool,
    /// Ends with `.`, `!` or `?` (not an ellipsis), maybe followed by
    /// closing quotes or brackets.
    pub ends_terminal: bool,
    /// Only separator characters: `-`, `•`, `*`, `|`, `·`, dashes.
    pub separator: bool,
}

impl LineFeatures {
    /// A full sentence: six or more words ending with a period.
    pub fn is_sentence(&self) -> bool {
        self.words >= 6 && self.ends_period
    }

    /// Reads as a paragraph of running text rather than a label, title or
    /// link: a sentence of eight words or more, or a long run of words.
    pub fn is_prose(&self) -> bool {
        (self.words >= 8 && self.ends_terminal) || self.words >= 40
    }
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '」', '*'];

fn is_separator_char(c: char) -> bool {
    matches!(
        c,
        '-' | '–'
            | '—'
            | '•'
            | '*'
            | '|'
            | '·'
            | '_'
            | '='
            | '~'
            | '/'
            | '>'
            | '»'
            | '«'
            | '◦'
            | '▪'
            | '■'
            | ' '
    )
}

/// The longest credit in brackets after a sentence that still leaves the
/// sentence ending where it ended: "... kepada masyarakat. (Antara)",
/// "... in Santiago. (Reuters)", "... pada Senin. (nza/dnu)".
const ATTRIBUTION_MAX_BYTES: usize = 48;

/// `line` without a short bracketed credit after its last sentence, so
/// that the sentence's own ending counts.
fn without_attribution(line: &str) -> &str {
    let Some(inner) = line.strip_suffix(')') else {
        return line;
    };
    let Some(open) = inner.rfind('(') else {
        return line;
    };
    let before = inner[..open].trim_end();
    let credit = &inner[open + 1..];
    let ends_sentence = before
        .trim_end_matches(CLOSERS)
        .ends_with(['.', '!', '?', '。', '！', '？']);
    if credit.len() <= ATTRIBUTION_MAX_BYTES && !credit.contains(['(', ')']) && ends_sentence {
        before
    } else {
        line
    }
}

/// The characters of `bytes` (bytes that start a UTF-8 sequence) and its
/// spaces, eight bytes at a time.
fn chars_and_spaces(bytes: &[u8]) -> (usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let mut continuation = 0u32;
    let mut spaces = 0u32;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        // Continuation bytes are 0b10xxxxxx: high bit set, next bit clear.
        continuation += (x & !(x << 1) & HIGH).count_ones();
        // Bytes equal to a space become zero; a zero byte keeps its high
        // bit clear after adding 0x7f to its low seven bits.
        let y = x ^ SPACES;
        spaces += (!(((y & LOW7) + LOW7) | y) & HIGH).count_ones();
    }
    for &b in chunks.remainder() {
        continuation += u32::from((b as i8) < -0x40);
        spaces += u32::from(b == b' ');
    }
    (bytes.len() - continuation as usize, spaces as usize)
}

/// Measures a normalized line (no leading/trailing spaces).
pub fn measure(line: &str) -> LineFeatures {
    if line.is_empty() {
        return LineFeatures::default();
    }
    let bytes = line.as_bytes();
    // Characters: bytes that start a UTF-8 sequence. Words: spaces followed
    // by something else, plus one. One pass that vectorizes; only lines
    // with a double space need the exact count of space-to-word steps.
    let (chars, spaces) = chars_and_spaces(bytes);
    let words = if memchr::memmem::find(bytes, b"  ").is_none() {
        // Every space but a final one is followed by a non-space.
        spaces - usize::from(bytes[bytes.len() - 1] == b' ') + 1
    } else {
        bytes
            .iter()
            .zip(&bytes[1..])
            .filter(|&(&a, &b)| a == b' ' && b != b' ')
            .count()
            + 1
    };
    measure_counted(line, chars, words)
}

/// [`measure`] of a line whose characters and words were counted already
/// (by the pass that normalized it, see
/// [`super::normalize::normalize_lines`]).
pub(crate) fn measure_counted(line: &str, chars: usize, words: usize) -> LineFeatures {
    if line.is_empty() {
        return LineFeatures::default();
    }
    let core = without_attribution(line).trim_end_matches(CLOSERS);
    let ellipsis = core.ends_with("...") || core.ends_with('…');
    let last = core.chars().next_back();
    let ends_period = !ellipsis && matches!(last, Some('.') | Some('。'));
    let ends_terminal = !ellipsis && matches!(last, Some('.' | '!' | '?' | '。' | '！' | '？'));
    let separator = line.chars().all(is_separator_char);
    LineFeatures {
        chars,
        words,
        ends_period,
        ends_terminal,
        separator,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_chars_and_words() {
        let f = measure("Größe und “Maß”");
        assert_eq!(f.chars, 15);
        assert_eq!(f.words, 3);
    }

    #[test]
    fn sentence_and_prose() {
        let s = measure("Mereka juga membahas hubungan ekonomi dan pandemi Covid-19.");
        assert!(s.is_sentence() && s.is_prose());
        let t = measure(
            "Pejabat Taliban Tak Bisa Temukan Afghanistan di Bola Dunia, Warganet: Memalukan!",
        );
        assert!(!t.is_sentence() && t.is_prose());
        let quoted =
            measure("“Kami berharap semua masalah teknis akan disepakati dalam waktu dekat.”");
        assert!(quoted.is_sentence());
        // A wire credit after the last sentence leaves it a sentence.
        for credited in [
            "Pemerintah berjanji akan terus memantau perkembangan situasi. (Antara)",
            "The two countries agreed to continue talks in the next round. (Reuters)",
            "Polisi masih memeriksa tiga saksi terkait kejadian tersebut. (nza/dnu)",
        ] {
            assert!(measure(credited).is_sentence(), "{credited}");
        }
        assert!(
            !measure("Presiden Rusia Vladimir Putin (twitter.com/KremlinRussia_E)").ends_terminal
        );
        let trunc = measure("Menteri Luar Negeri Pakistan menghadiri pertemuan di Islamabad,…");
        assert!(!trunc.ends_terminal);
        assert!(!measure("Perdamaian Afghanistan").is_prose());
    }

    #[test]
    fn words_count_space_to_word_steps() {
        for (line, words) in [
            ("a", 1),
            ("a b", 2),
            ("a  b", 2),
            ("a b ", 2),
            ("a  b  ", 2),
            (" ", 1),
            ("  ", 1),
            (" a", 2),
            ("  a b", 3),
        ] {
            assert_eq!(measure(line).words, words, "{line:?}");
        }
    }

    #[test]
    fn chars_and_spaces_count_every_byte() {
        for line in [
            "",
            "a",
            "a b c d e f g h i",
            "Größe und “Maß” —  x",
            "  \u{a0} ß日本語 ",
        ] {
            let chars = line.chars().count();
            let spaces = line.bytes().filter(|&b| b == b' ').count();
            assert_eq!(
                chars_and_spaces(line.as_bytes()),
                (chars, spaces),
                "{line:?}"
            );
        }
        let all: Vec<u8> = (0..=255u8).collect();
        let continuation = all.iter().filter(|&&b| (0x80..0xc0).contains(&b)).count();
        assert_eq!(chars_and_spaces(&all), (256 - continuation, 1));
    }

    #[test]
    fn separators() {
        for s in ["-", "•", "* * *", "—", "|"] {
            assert!(measure(s).separator, "{s}");
        }
        assert!(!measure("- Judul").separator);
    }
}
