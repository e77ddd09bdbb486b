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

/// A node of the trie of the words: its children by letter (0 to 25) and
/// apostrophe (26), 0 where there is none (the root, node 0, is no one's
/// child).
struct Node {
    child: [u16; 27],
    /// The languages of the word this prefix trimmed of apostrophes at
    /// its end is (0: none).
    ends: u32,
}

impl Automaton {
    /// The automaton of the words (`mask`: the languages whose list holds
    /// the word) that an ASCII token can be; the others are never read.
    pub(super) fn new(words: &[(&str, u32)], max_bytes: usize) -> Self {
        let words: Vec<(&[u8], u32)> = words
            .iter()
            .map(|(w, m)| (w.as_bytes(), *m))
            .filter(|(w, _)| w.len() <= max_bytes && reachable(w))
            .collect();
        // The trie; a child is always made after its parent.
        let mut trie = Vec::with_capacity(words.iter().map(|(w, _)| w.len()).sum::<usize>() + 1);
        trie.push(Node {
            child: [0; 27],
            ends: 0,
        });
        for &(word, mask) in &words {
            let mut at = 0;
            for &b in word {
                let edge = if b == b'\'' {
                    26
                } else {
                    usize::from(b - b'a')
                };
                if trie[at].child[edge] == 0 {
                    // Until the word that ends here says otherwise, a
                    // prefix ends as its parent does after an apostrophe
                    // (trimmed), and as no word after a letter.
                    let ends = if edge == 26 { trie[at].ends } else { 0 };
                    trie[at].child[edge] =
                        u16::try_from(trie.len()).expect("a trie of 65,535 nodes or fewer");
                    trie.push(Node {
                        child: [0; 27],
                        ends,
                    });
                }
                at = trie[at].child[edge] as usize;
            }
            trie[at].ends |= mask;
        }
        // A word's own mask reaches the apostrophes after it.
        for at in 0..trie.len() {
            let apostrophe = trie[at].child[26] as usize;
            if apostrophe != 0 && at != 0 {
                trie[apostrophe].ends = trie[at].ends;
            }
        }
        // Every mask once, in a fixed order; mask 0 first.
        let mut distinct: Vec<u32> = trie.iter().map(|n| n.ends).collect();
        distinct.push(0);
        distinct.sort_unstable();
        distinct.dedup();
        let number: FxHashMap<u32, u16> = distinct
            .iter()
            .enumerate()
            .map(|(i, &m)| (m, i as u16))
            .collect();
        let no_stop_word = DONE + number[&0];

        let mut next: Vec<u16> = Vec::new();
        let mut end: Vec<u16> = Vec::new();
        // BETWEEN, FALLBACK and LEADING; BETWEEN and LEADING are written
        // once the first letters' states are known.
        next.resize(usize::from(DONE) * COLUMNS, FALLBACK);
        end.resize(usize::from(DONE), 0);
        for p in 0..distinct.len() {
            let state = DONE + p as u16;
            next.extend((0..COLUMNS).map(|c| match c {
                SEP => BETWEEN,
                APOS => state,
                HIGH => FALLBACK,
                _ => no_stop_word,
            }));
            end.push(p as u16 | COUNTED);
        }
        // The trie's nodes, children first; nodes with the same ending and
        // the same successors are one state, so the trie becomes a smaller
        // acyclic automaton.
        let mut state_of = vec![0u16; trie.len()];
        let mut same: FxHashMap<([u16; COLUMNS], u16), u16> = FxHashMap::default();
        same.reserve(trie.len());
        next.reserve(trie.len() * COLUMNS);
        for at in (1..trie.len()).rev() {
            let node = &trie[at];
            let to = |edge: usize| match node.child[edge] {
                0 => None,
                c => Some(state_of[c as usize]),
            };
            let ends = number[&node.ends];
            let row: [u16; COLUMNS] = std::array::from_fn(|c| match c {
                SEP => BETWEEN,
                DIGIT => no_stop_word,
                HIGH => FALLBACK,
                APOS => to(26).unwrap_or(DONE + ends),
                c if c < LETTER + 26 => to(c - LETTER).unwrap_or(no_stop_word),
                _ => FALLBACK,
            });
            let ended = ends | COUNTED;
            state_of[at] = *same.entry((row, ended)).or_insert_with(|| {
                next.extend_from_slice(&row);
                end.push(ended);
                (end.len() - 1) as u16
            });
        }
        let states = end.len();
        // The stop lists are built into the binary: a test checks that
        // they fit.
        assert!(
            states <= MAX_STATES && distinct.len() <= MAX_MASKS,
            "stop-word automaton too large: {states} states, {} masks",
            distinct.len()
        );
        let root = &trie[0];
        let start: [u16; COLUMNS] = std::array::from_fn(|c| match c {
            SEP => BETWEEN,
            APOS => LEADING,
            DIGIT => no_stop_word,
            HIGH => FALLBACK,
            c if c < LETTER + 26 => match root.child[c - LETTER] {
                0 => no_stop_word,
                child => state_of[child as usize],
            },
            _ => FALLBACK,
        });
        for state in [BETWEEN, LEADING] {
            let at = usize::from(state) * COLUMNS;
            next[at..at + COLUMNS].copy_from_slice(&start);
        }
        // Padded to the tables' fixed sizes on the heap (an array of that
        // size is never built on the stack).
        next.resize(MAX_STATES * COLUMNS, FALLBACK);
        end.resize(MAX_STATES, 0);
        let mut lanes = vec![[0u8; 32]; MAX_MASKS];
        for (lane, &m) in lanes.iter_mut().zip(&distinct) {
            for (i, l) in lane.iter_mut().enumerate() {
                *l = u8::from(m & (1 << i) != 0);
            }
        }
        let sized = "the tables were padded to their sizes";
        Automaton {
            next: next.into_boxed_slice().try_into().expect(sized),
            end: end.into_boxed_slice().try_into().expect(sized),
            lanes: lanes.into_boxed_slice().try_into().expect(sized),
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
