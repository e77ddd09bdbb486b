//! A scanner for many short literals (1 to 4 bytes, ASCII case folded) in
//! one pass over a line, built for the matcher: thousands of literals (of
//! the literal patterns and the required literals of the regexes), searched
//! in every short line.
//!
//! An Aho-Corasick DFA of those literals is several megabytes: each byte of
//! the line is a dependent load from a table that does not fit the
//! processor's caches, and the scan cost more than the regexes it spared.
//! Here each position of the line is looked up on its own (independent
//! loads the processor overlaps): the folded 4 bytes starting there (a
//! *gram*) are hashed into a bitmap of 64 Ki bits (8 KiB, in the
//! first-level cache), and only a set bit goes on to the exact hash table.
//! Literals of 1 to 3 bytes are looked up the same way, but only at bytes
//! one of them starts with. A longer literal is looked up by one of its
//! grams (see [`rarest_gram_at`]); the caller confirms what it needs to.

use rustc_hash::FxHashMap;

/// The bytes looked up at each position: the longest literal the tables
/// hold.
pub const GRAM_BYTES: usize = 4;

const BITS_LOG2: u32 = 16;

/// The literals of one length.
struct Table {
    /// Bit `hash(key)` is set when some literal has that key.
    bits: Vec<u64>,
    /// Key (little-endian bytes, ASCII-lowercased) to the range of its
    /// owners in [`Scanner::owners`].
    keys: FxHashMap<u32, (u32, u32)>,
}

impl Table {
    #[inline]
    fn hash(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - BITS_LOG2)) as usize
    }

    #[inline]
    fn may_hold(&self, key: u32) -> bool {
        let h = Self::hash(key);
        self.bits[h >> 6] & (1 << (h & 63)) != 0
    }
}

/// Short literals, each with an owner (any `Copy` value the caller gives).
pub struct Scanner<T> {
    /// Tables for literals of 1, 2, 3 and 4 bytes (index = length - 1).
    tables: [Option<Table>; GRAM_BYTES],
    /// For each byte (lowercased): bit `len - 1` is set when a literal of
    /// `len < 4` bytes starts with it. Literals of 4 bytes are checked at
    /// every position; shorter ones only where this says so.
    short_first: [u8; 256],
    owners: Vec<T>,
}

/// The key of up to 4 bytes: little-endian, ASCII-lowercased.
fn key_of(bytes: &[u8]) -> u32 {
    let mut k = 0u32;
    for (i, b) in bytes.iter().enumerate() {
        k |= u32::from(b.to_ascii_lowercase()) << (8 * i);
    }
    k
}

const MASKS: [u32; GRAM_BYTES] = [0xff, 0xffff, 0xff_ffff, 0xffff_ffff];

impl<T: Copy> Scanner<T> {
    /// Builds the tables. Literals longer than [`GRAM_BYTES`] bytes are cut to
    /// their first `GRAM_BYTES`; empty literals are not allowed.
    pub fn new<'a>(literals: impl IntoIterator<Item = (&'a [u8], T)>) -> Scanner<T> {
        let mut by_key: [FxHashMap<u32, Vec<T>>; GRAM_BYTES] = Default::default();
        let mut short_first = [0u8; 256];
        for (lit, owner) in literals {
            assert!(!lit.is_empty(), "scanned literals are never empty");
            let lit = &lit[..lit.len().min(GRAM_BYTES)];
            if lit.len() < GRAM_BYTES {
                short_first[usize::from(lit[0].to_ascii_lowercase())] |= 1 << (lit.len() - 1);
            }
            by_key[lit.len() - 1]
                .entry(key_of(lit))
                .or_default()
                .push(owner);
        }
        let mut owners = Vec::new();
        let tables = by_key.map(|keys| {
            if keys.is_empty() {
                return None;
            }
            let mut bits = vec![0u64; (1 << BITS_LOG2) / 64];
            let mut ranges = FxHashMap::default();
            let mut sorted: Vec<_> = keys.into_iter().collect();
            sorted.sort_by_key(|(k, _)| *k);
            for (key, list) in sorted {
                let h = Table::hash(key);
                bits[h >> 6] |= 1 << (h & 63);
                let start = owners.len() as u32;
                owners.extend(list);
                ranges.insert(key, (start, owners.len() as u32));
            }
            Some(Table { bits, keys: ranges })
        });
        Scanner {
            tables,
            short_first,
            owners,
        }
    }

    #[inline]
    fn report(&self, table: &Table, key: u32, at: usize, found: &mut impl FnMut(usize, T)) {
        if let Some(&(s, e)) = table.keys.get(&key) {
            for &o in &self.owners[s as usize..e as usize] {
                found(at, o);
            }
        }
    }

    /// The short literals (under 4 bytes) starting at `at`, whose first
    /// bytes (lowercased, zero past the end) are `word`.
    #[inline]
    fn short_at(&self, word: u32, at: usize, n: usize, found: &mut impl FnMut(usize, T)) {
        let mut lens = self.short_first[(word & 0xff) as usize];
        while lens != 0 {
            let len = lens.trailing_zeros() as usize + 1;
            lens &= lens - 1;
            if at + len > n {
                break;
            }
            if let Some(table) = &self.tables[len - 1] {
                let key = word & MASKS[len - 1];
                if table.may_hold(key) {
                    self.report(table, key, at, found);
                }
            }
        }
    }

    /// Calls `found(start, owner)` for every occurrence of every literal in
    /// `hay` (by its first [`GRAM_BYTES`] bytes), in order of position.
    ///
    /// A position tests one bit for the 4-byte literals; shorter literals
    /// are looked up only where the byte starts one. Their first bytes had
    /// better be rare: a branch on a common letter mispredicts often (the
    /// matcher does not gate regexes on such literals, see
    /// [`super::required`]).
    #[inline]
    pub fn scan(&self, hay: &[u8], mut found: impl FnMut(usize, T)) {
        let n = hay.len();
        let lower = |b: u8| u32::from(b.to_ascii_lowercase());
        let full = n.saturating_sub(GRAM_BYTES - 1);
        if full > 0 {
            // The four bytes at `at`, lowercased, rolled in a byte at a time.
            let mut word = lower(hay[0]) << 8 | lower(hay[1]) << 16 | lower(hay[2]) << 24;
            let long = self.tables[GRAM_BYTES - 1].as_ref();
            for (at, &b) in hay[GRAM_BYTES - 1..].iter().enumerate() {
                word = word >> 8 | lower(b) << 24;
                if let Some(long) = long
                    && long.may_hold(word)
                {
                    self.report(long, word, at, &mut found);
                }
                if self.short_first[(word & 0xff) as usize] != 0 {
                    self.short_at(word, at, n, &mut found);
                }
            }
        }
        // The last positions, where only shorter literals fit.
        for at in full..n {
            let word = key_of(&hay[at..]);
            if self.short_first[(word & 0xff) as usize] != 0 {
                self.short_at(word, at, n, &mut found);
            }
        }
    }

    /// Calls `found(owner)` for every literal the start of `hay` begins
    /// with (by its first [`GRAM_BYTES`] bytes).
    #[inline]
    pub fn at_start(&self, hay: &[u8], mut found: impl FnMut(T)) {
        for (len, table) in self.tables.iter().enumerate() {
            let Some(table) = table else { continue };
            if len + 1 > hay.len() {
                break;
            }
            self.report(table, key_of(&hay[..len + 1]), 0, &mut |_, o| found(o));
        }
    }
}

/// How common a byte is in text, roughly (a letter-frequency table of
/// Latin-script languages; space most of all). Used only to pick which
/// gram of a long literal to search for.
fn commonness(b: u8) -> f64 {
    match b {
        b' ' => 18.0,
        b'e' | b'a' => 10.0,
        b'n' | b'i' => 8.0,
        b't' => 7.0,
        b'o' | b'r' | b's' => 6.0,
        b'l' | b'u' | b'd' | b'm' => 4.0,
        b'k' | b'g' | b'h' => 3.0,
        b'c' | b'p' | b'b' | b'y' => 2.0,
        b'f' | b'w' | b'v' | b'0'..=b'9' => 1.0,
        b'j' => 0.5,
        b'z' | b'x' | b'q' => 0.3,
        0x80.. => 1.0,
        _ => 0.5,
    }
}

/// Where the gram of `lit` least likely to occur in a line starts: a literal
/// that may sit anywhere in the line is found by that gram, and a rare one
/// sends fewer lines on to be checked ("lu-m" of "masih malu-malu", not
/// "masi").
pub fn rarest_gram_at(lit: &[u8]) -> usize {
    if lit.len() <= GRAM_BYTES {
        return 0;
    }
    let score = |w: &[u8]| w.iter().map(|&b| commonness(b).ln()).sum::<f64>();
    lit.windows(GRAM_BYTES)
        .enumerate()
        .min_by(|(_, a), (_, b)| score(a).total_cmp(&score(b)))
        .map_or(0, |(i, _)| i)
}

/// The gram of `lit` at [`rarest_gram_at`] (all of `lit` when it is short).
pub fn rarest_gram(lit: &[u8]) -> &[u8] {
    let at = rarest_gram_at(lit);
    &lit[at..(at + GRAM_BYTES).min(lit.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(g: &Scanner<u32>, hay: &str) -> Vec<(usize, u32)> {
        let mut v = Vec::new();
        g.scan(hay.as_bytes(), |at, o| v.push((at, o)));
        v
    }

    #[test]
    fn finds_every_occurrence_in_any_ascii_case() {
        let g = Scanner::new([
            (&b"ba"[..], 1),
            (&b"baca"[..], 2),
            (&b"bacaan"[..], 3),
            (&b":"[..], 4),
            ("©".as_bytes(), 5),
        ]);
        let mut hits = all(&g, "BACA juga: baca");
        hits.sort();
        assert_eq!(
            hits,
            vec![(0, 1), (0, 2), (0, 3), (9, 4), (11, 1), (11, 2), (11, 3)]
        );
        assert_eq!(all(&g, "x © y"), vec![(2, 5)]);
        assert_eq!(all(&g, "b"), vec![]);
        // Non-letters are not folded: '[' is not '{'.
        let g = Scanner::new([(&b"{x"[..], 1)]);
        assert_eq!(all(&g, "[X {X"), vec![(3, 1)]);
    }

    #[test]
    fn at_start_looks_at_the_start_only() {
        let g = Scanner::new([(&b"ad"[..], 1), (&b"adve"[..], 2), (&b"x"[..], 3)]);
        let mut v = Vec::new();
        g.at_start(b"Advertisement x", |o| v.push(o));
        assert_eq!(v, vec![1, 2]);
    }
}
