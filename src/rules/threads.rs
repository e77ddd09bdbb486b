//! Compiling on the run's threads: the rules of a run compile once, before
//! the first document, and with more than one thread that start is spread
//! over them. With one thread it stays on the calling thread (handing it
//! to the pool's one worker costs more than it saves).

use rayon::prelude::*;

fn parallel() -> bool {
    rayon::current_num_threads() > 1
}

/// `f` of each item, in the items' order.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    if parallel() {
        items.into_par_iter().map(f).collect()
    } else {
        items.into_iter().map(f).collect()
    }
}

/// `a()` and `b()`, at once when the run has the threads.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel() {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}
