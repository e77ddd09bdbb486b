//! Compiling on the run's threads: the rules of a run compile once, before
//! the first document, and a caller that runs the compilation on a rayon
//! pool of more than one thread (the command line does, with `-j 2` or
//! more: [`on_pool`]) has it spread over the pool. Called from any other
//! thread it stays on that thread and never starts rayon's global pool: a
//! library user's process may fork after compiling (Python's
//! `ProcessPoolExecutor` does), and a forked child has a global pool with
//! no threads behind it, on which the compilation would wait forever.

use rayon::prelude::*;

/// Whether this thread is a worker of a rayon pool of more than one thread.
fn parallel() -> bool {
    rayon::current_thread_index().is_some() && rayon::current_num_threads() > 1
}

/// Runs `f` on a worker of rayon's global pool when that pool has more than
/// one thread (so that the rules compile on all of them), else here (handing
/// it to a pool's one worker costs more than it saves).
pub fn on_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if rayon::current_num_threads() > 1 {
        rayon::join(f, || ()).0
    } else {
        f()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a worker of a pool of several threads compiles in parallel: a
    /// thread of the caller's own never hands work to rayon's global pool
    /// (which a forked child has without its threads).
    #[test]
    fn only_a_pool_of_several_threads_compiles_in_parallel() {
        std::thread::spawn(|| assert!(!parallel())).join().unwrap();
        let pool = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
        };
        assert!(pool(2).install(parallel));
        assert!(!pool(1).install(parallel));
        let squares = pool(3).install(|| map_in_order((0..100).collect(), |i: u64| i * i));
        assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
    }
}
