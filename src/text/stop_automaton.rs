//! The ASCII stop words of every list as one automaton over a line's bytes,
//! which cuts the words and recognizes them in the same step: one table
//! look-up a byte and no branch on where a word ends, where the word loop
//! of [`super::lang`] takes a branch a byte and mispredicts the end of
//! nearly every word. A token with a byte beyond ASCII is handed back to
//! that loop, so both give the same counts (a test compares them).

use rustc_hash::FxHashMap;

/// Byte classes: an ASCII byte that is not part of a word, an apostrophe,
/// a digit, a byte beyond ASCII, then the 26 letters (either case).
const SEP: usize = 0;
const APOS: usize = 1;
const DIGIT: usize = 2;
const HIGH: usize = 3;
const LETTER: usize = 4;
/// Columns of the transition table (26 letters and 4 classes, padded to a
/// power of two).
const COLUMNS: usize = 32;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [SEP as u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH as u8
        } else if c == b'\'' {
            APOS as u8
        } else if c.is_ascii_digit() {
            DIGIT as u8
        } else if c.is_ascii_alphabetic() {
            (LETTER as u8) + (c.to_ascii_lowercase() - b'a')
        } else {
            SEP as u8
        };
        b += 1;
    }
    t
};

/// Between words: the start state.
const BETWEEN: u16 = 0;
/// A byte beyond ASCII was read: the token goes to the word loop.
const FALLBACK: u16 = 1;
/// Apostrophes only so far (trimmed, so not yet a word).
const LEADING: u16 = 2;
/// The first of the states "a word whose trimmed form has mask number p
/// and which no more letter can make a stop word" (p = 0: a word that is
/// no stop word, such as one with a digit).
const DONE: u16 = 3;

/// Set in a state's `end` when a token ending there is a counted word.
const COUNTED: u16 = 1 << 15;

/// At most this many states and distinct masks: the tables have these
/// sizes, powers of two, so that an index masked to them needs no bounds
/// check.
const MAX_STATES: usize = 1 << 13;
const MAX_MASKS: usize = 1 << 10;

pub(super) struct Automaton {
    /// `next[state * COLUMNS + class]`.
    next: Box<[u16; MAX_STATES * COLUMNS]>,
    /// What a word ending in the state adds: its mask's number in
    /// `lanes`, and [`COUNTED`].
    end: Box<[u16; MAX_STATES]>,
    /// Each distinct language mask as one byte per language (0 or 1).
    lanes: Box<[[u8; 32]; MAX_MASKS]>,
    /// States in use (read by a test of the table's size).
    #[cfg_attr(not(test), allow(dead_code))]
    states: usize,
}

/// Whether a stop word can be the lowercase, trimmed form of an ASCII
/// token without digits: lowercase letters and inner apostrophes only.
fn reachable(word: &[u8]) -> bool {
    !word.is_empty()
        && word.iter().all(|&b| b.is_ascii_lowercase() || b == b'\'')
        && word[0] != b'\''
        && word[word.len() - 1] != b'\''
}

fn trim_end(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b'\''] = s {
        s = rest;
    }
    s
}

impl Automaton {
    /// The automaton of the words (`mask`: the languages whose list holds
    /// the word) that an ASCII token can be; the others are never read.
    pub(super) fn new(words: &[(&str, u32)], max_bytes: usize) -> Self {
        let masks: FxHashMap<&[u8], u32> = words
            .iter()
            .map(|(w, m)| (w.as_bytes(), *m))
            .filter(|(w, _)| w.len() <= max_bytes && reachable(w))
            .collect();
        // Every mask once, in a fixed order; mask 0 first.
        let mut distinct: Vec<u32> = masks.values().copied().collect();
        distinct.push(0);
        distinct.sort_unstable();
        distinct.dedup();
        let number: FxHashMap<u32, u16> = distinct
            .iter()
            .enumerate()
            .map(|(i, &m)| (m, i as u16))
            .collect();
        let mask_of = |s: &[u8]| masks.get(trim_end(s)).copied().unwrap_or(0);
        let done = |mask: u32| DONE + number[&mask];

        let first_node = DONE as usize + distinct.len();
        let mut next: Vec<u16> = Vec::new();
        let mut end: Vec<u16> = Vec::new();
        let mut push = |row: [u16; COLUMNS], ended: u16| {
            next.extend_from_slice(&row);
            end.push(ended);
        };
        let fixed_row = |f: &dyn Fn(usize) -> u16| std::array::from_fn::<u16, COLUMNS, _>(f);
        // BETWEEN and LEADING are written once the first letters' states
        // are known.
        push([FALLBACK; COLUMNS], 0);
        push([FALLBACK; COLUMNS], 0);
        push([FALLBACK; COLUMNS], 0);
        for p in 0..distinct.len() {
            let state = DONE + p as u16;
            let row = fixed_row(&|c| match c {
                SEP => BETWEEN,
                APOS => state,
                HIGH => FALLBACK,
                _ => done(0),
            });
            push(row, p as u16 | COUNTED);
        }
        // Every prefix of a word is a state of the trie; states with the
        // same ending and the same successors are one (prefixes are read
        // longest first, so a state's successors are final when it is
        // read): the trie becomes a smaller acyclic automaton.
        let mut prefixes: Vec<&[u8]> = masks
            .keys()
            .flat_map(|w| (1..=w.len()).map(move |n| &w[..n]))
            .collect();
        prefixes.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        prefixes.dedup();
        let mut state_of: FxHashMap<&[u8], u16> = FxHashMap::default();
        let mut same: FxHashMap<([u16; COLUMNS], u16), u16> = FxHashMap::default();
        let mut states = first_node;
        for &prefix in &prefixes {
            let longer = |b: u8| {
                let mut s = prefix.to_vec();
                s.push(b);
                state_of.get(&s[..]).copied()
            };
            let row = fixed_row(&|c| match c {
                SEP => BETWEEN,
                DIGIT => done(0),
                HIGH => FALLBACK,
                APOS => longer(b'\'').unwrap_or(done(mask_of(prefix))),
                c if c < LETTER + 26 => longer(b'a' + (c - LETTER) as u8).unwrap_or(done(0)),
                _ => FALLBACK,
            });
            let ended = number[&mask_of(prefix)] | COUNTED;
            let state = *same.entry((row, ended)).or_insert_with(|| {
                push(row, ended);
                states += 1;
                (states - 1) as u16
            });
            state_of.insert(prefix, state);
        }
        assert!(
            states < usize::from(COUNTED),
            "stop-word automaton too large"
        );
        let start = |class: usize| match class {
            SEP => BETWEEN,
            APOS => LEADING,
            DIGIT => done(0),
            HIGH => FALLBACK,
            c if c < LETTER + 26 => {
                let letter = [b'a' + (c - LETTER) as u8];
                state_of.get(&letter[..]).copied().unwrap_or(done(0))
            }
            _ => FALLBACK,
        };
        for state in [BETWEEN, LEADING] {
            let at = usize::from(state) * COLUMNS;
            for class in 0..COLUMNS {
                next[at + class] = start(class);
            }
        }
        let mut table = Box::new([FALLBACK; MAX_STATES * COLUMNS]);
        table[..next.len()].copy_from_slice(&next);
        let mut ends = Box::new([0u16; MAX_STATES]);
        ends[..end.len()].copy_from_slice(&end);
        let mut lanes = Box::new([[0u8; 32]; MAX_MASKS]);
        for (lane, &m) in lanes.iter_mut().zip(&distinct) {
            for (i, l) in lane.iter_mut().enumerate() {
                *l = u8::from(m & (1 << i) != 0);
            }
        }
        Automaton {
            next: table,
            end: ends,
            lanes,
            states,
        }
    }

    /// The states, for a test of the table's size.
    #[cfg(test)]
    pub(super) fn states(&self) -> usize {
        self.states
    }

    /// Counts the words of `line` into `words` and the stop words of every
    /// language into `hits` (saturating). `slow(i, hits, words)` reads the
    /// token or the character at byte `i` the way the word loop does, adds
    /// what it finds, and returns where the next one starts; it is called
    /// where a token holds a byte beyond ASCII.
    #[inline]
    pub(super) fn count(
        &self,
        line: &[u8],
        hits: &mut [u8; 32],
        words: &mut usize,
        mut slow: impl FnMut(usize, &mut [u8; 32], &mut usize) -> usize,
    ) {
        // The fast path's counts stay apart from the slow path's and are
        // added at the end (saturating sums in any order are the same).
        let mut fast = [0u8; 32];
        let mut counted = 0usize;
        let n = line.len();
        let mut state = usize::from(BETWEEN);
        let mut token = 0;
        let mut i = 0;
        while i < n {
            let class = usize::from(BYTE_CLASS[usize::from(line[i])]);
            if state == usize::from(BETWEEN) {
                token = i;
            }
            // A separator ends the word the state is in, if any.
            let ended =
                self.end[state & (MAX_STATES - 1)] & 0u16.wrapping_sub(u16::from(class == SEP));
            counted += usize::from(ended >> 15);
            fast = add(fast, &self.lanes[usize::from(ended) & (MAX_MASKS - 1)]);
            state = usize::from(self.next[(state * COLUMNS + class) & (MAX_STATES * COLUMNS - 1)]);
            i += 1;
            if state == usize::from(FALLBACK) {
                i = slow(token, hits, words);
                state = usize::from(BETWEEN);
            }
        }
        let ended = self.end[state & (MAX_STATES - 1)];
        counted += usize::from(ended >> 15);
        fast = add(fast, &self.lanes[usize::from(ended) & (MAX_MASKS - 1)]);
        *hits = add(*hits, &fast);
        *words += counted;
    }
}

#[inline]
fn add(mut hits: [u8; 32], lanes: &[u8; 32]) -> [u8; 32] {
    for (h, &l) in hits.iter_mut().zip(lanes) {
        *h = h.saturating_add(l);
    }
    hits
}
