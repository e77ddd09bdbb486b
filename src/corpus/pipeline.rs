//! The ordered pipeline of a shard: pieces read from one source, each
//! worked on by whichever thread claims it, the results handed to one
//! writer in input order.
//!
//! Every thread is a worker: `workers - 1` tasks on the rayon pool, and
//! the calling thread. A worker claims the next piece itself (the source
//! is read under a lock, so pieces are numbered in input order), works on
//! it, and leaves the result in the window of pieces in flight. The
//! calling thread is also the writer: between its own pieces it writes
//! the results that are next in order, so the sinks (which need not be
//! `Send`) stay on it, and so does every panic. No thread only reads or
//! only writes: at -j 1 the calling thread does everything, on one core,
//! and at -j N the reading and writing are shared out with the rest.
//!
//! At most `in_flight` pieces are claimed and not yet taken by the
//! writer, so memory is bounded by the piece size, whatever the input's.

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// What the writer wants after a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Stop: no more pieces are claimed, and the run returns once the
    /// workers have finished the pieces they hold.
    Stop,
}

/// Runs the pipeline to the end of the source, or until `write` says
/// [`Flow::Stop`] or fails.
///
/// `next` yields the pieces in input order; it is called under a lock,
/// on any worker, and is not called again once it returned `None`.
/// `work` turns a piece into its result, on any worker. `write` takes the
/// results in input order, on the calling thread. A panic in `work` is
/// raised here when its piece's turn to be written comes (the results
/// before it are written); a panic in `next`, as soon as it is seen.
pub fn run<P, D, E>(
    workers: usize,
    in_flight: usize,
    next: impl FnMut() -> Option<P> + Send,
    work: impl Fn(P) -> D + Sync,
    mut write: impl FnMut(D) -> Result<Flow, E>,
) -> Result<(), E>
where
    P: Send,
    D: Send,
{
    let shared = Shared {
        source: Mutex::new(Source {
            next: Box::new(next),
            seq: 0,
            ended: false,
        }),
        window: Mutex::new(Window {
            done: BTreeMap::new(),
            next_write: 0,
            taken: 0,
            exhausted: false,
            stopped: false,
            broken: None,
        }),
        changed: Condvar::new(),
        in_flight: in_flight.max(1),
    };
    let (shared, work) = (&shared, &work);
    rayon::in_place_scope(|tasks| {
        for _ in 1..workers.max(1) {
            tasks.spawn(move |_| {
                while let Claim::Piece(n, piece) = shared.claim(true) {
                    shared.deposit(n, panic::catch_unwind(AssertUnwindSafe(|| work(piece))));
                }
            });
        }
        // However the writer leaves (done, stopped, failed, panicking),
        // the workers stop claiming, so that the scope can end.
        let _stop = StopOnDrop(shared);
        loop {
            while let Some(outcome) = shared.take_next() {
                match outcome {
                    Ok(result) => {
                        if write(result)? == Flow::Stop {
                            return Ok(());
                        }
                    }
                    Err(payload) => panic::resume_unwind(payload),
                }
            }
            match shared.claim(false) {
                Claim::Piece(n, piece) => {
                    shared.deposit(n, panic::catch_unwind(AssertUnwindSafe(|| work(piece))))
                }
                Claim::Full | Claim::None => {
                    if !shared.wait_for_writer() {
                        return Ok(());
                    }
                }
            }
        }
    })
}

/// A worked piece, or the panic that working on it raised.
type Outcome<D> = std::thread::Result<D>;

type Next<'a, P> = Box<dyn FnMut() -> Option<P> + Send + 'a>;

struct Source<'a, P> {
    next: Next<'a, P>,
    /// The number of the next piece.
    seq: u64,
    /// `next` returned `None` (or panicked).
    ended: bool,
}

struct Window<D> {
    /// Results by piece number, waiting for the ones before them.
    done: BTreeMap<u64, Outcome<D>>,
    /// The number of the next piece to write.
    next_write: u64,
    /// Pieces claimed and not yet taken by the writer.
    taken: usize,
    /// The source has no more pieces.
    exhausted: bool,
    /// The writer is gone: claim nothing more.
    stopped: bool,
    /// What a panic in the source left.
    broken: Option<Box<dyn Any + Send>>,
}

struct Shared<'a, P, D> {
    source: Mutex<Source<'a, P>>,
    window: Mutex<Window<D>>,
    /// A result next in order arrived, a piece was taken by the writer,
    /// or the run ends.
    changed: Condvar,
    in_flight: usize,
}

enum Claim<P> {
    Piece(u64, P),
    /// As many pieces are in flight as allowed.
    Full,
    /// Nothing more to claim: the source is exhausted, or the run stops.
    None,
}

/// Locks, whatever a panicking holder left: nothing that can panic runs
/// under these locks (the source's `next` is caught), so the data is
/// whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<P, D> Shared<'_, P, D> {
    fn window(&self) -> MutexGuard<'_, Window<D>> {
        lock(&self.window)
    }

    /// Claims the next piece; with `wait`, waits for room in the window.
    fn claim(&self, wait: bool) -> Claim<P> {
        {
            let mut w = self.window();
            loop {
                if w.stopped || w.exhausted || w.broken.is_some() {
                    return Claim::None;
                }
                if w.taken < self.in_flight {
                    w.taken += 1;
                    break;
                }
                if !wait {
                    return Claim::Full;
                }
                w = self.changed.wait(w).unwrap_or_else(PoisonError::into_inner);
            }
        }
        let read = {
            let mut source = lock(&self.source);
            if source.ended {
                Ok(None)
            } else {
                let read = panic::catch_unwind(AssertUnwindSafe(|| (source.next)()));
                match read {
                    Ok(Some(piece)) => {
                        let n = source.seq;
                        source.seq += 1;
                        Ok(Some((n, piece)))
                    }
                    Ok(None) => {
                        source.ended = true;
                        Ok(None)
                    }
                    Err(payload) => {
                        source.ended = true;
                        Err(payload)
                    }
                }
            }
        };
        match read {
            Ok(Some((n, piece))) => Claim::Piece(n, piece),
            ended => {
                let mut w = self.window();
                w.taken -= 1;
                w.exhausted = true;
                if let Err(payload) = ended {
                    w.broken.get_or_insert(payload);
                }
                self.changed.notify_all();
                Claim::None
            }
        }
    }

    /// Leaves the result of piece `n` for the writer.
    fn deposit(&self, n: u64, outcome: Outcome<D>) {
        let mut w = self.window();
        let next = n == w.next_write;
        w.done.insert(n, outcome);
        if next {
            self.changed.notify_all();
        }
    }

    /// The result next in order, if it is there, taken out of the
    /// window: its room goes to the next piece claimed.
    fn take_next(&self) -> Option<Outcome<D>> {
        let mut w = self.window();
        let n = w.next_write;
        let outcome = w.done.remove(&n)?;
        w.next_write += 1;
        w.taken -= 1;
        self.changed.notify_all();
        Some(outcome)
    }

    /// Waits (the writer, which cannot claim a piece now) until a result
    /// is next in order: true; or until every piece is written: false.
    /// Raises a panic of the source.
    fn wait_for_writer(&self) -> bool {
        let mut w = self.window();
        loop {
            if let Some(payload) = w.broken.take() {
                drop(w);
                panic::resume_unwind(payload);
            }
            if w.done.contains_key(&w.next_write) {
                return true;
            }
            if w.exhausted && w.taken == 0 {
                return false;
            }
            if !w.exhausted && w.taken < self.in_flight {
                return true;
            }
            w = self.changed.wait(w).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

struct StopOnDrop<'s, 'a, P, D>(&'s Shared<'a, P, D>);

impl<P, D> Drop for StopOnDrop<'_, '_, P, D> {
    fn drop(&mut self) {
        self.0.window().stopped = true;
        self.0.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    }

    /// Numbers 0..count, worked on with uneven delays.
    fn numbers(count: u64) -> impl FnMut() -> Option<u64> + Send {
        let mut i = 0;
        move || {
            (i < count).then(|| {
                i += 1;
                i - 1
            })
        }
    }

    fn uneven(n: u64) -> u64 {
        if n % 7 == 3 {
            std::thread::sleep(Duration::from_micros(300));
        }
        n * 10
    }

    #[test]
    fn many_small_pieces_come_out_in_order_on_four_workers() {
        let mut out = Vec::new();
        let result: Result<(), ()> = pool(4).install(|| {
            run(4, 10, numbers(5000), uneven, |d| {
                out.push(d);
                Ok(Flow::Continue)
            })
        });
        assert!(result.is_ok());
        assert_eq!(out, (0..5000).map(|n| n * 10).collect::<Vec<_>>());
    }

    #[test]
    fn one_worker_does_everything_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let mut out = Vec::new();
        let result: Result<(), ()> = run(
            1,
            4,
            numbers(100),
            |n| {
                assert_eq!(std::thread::current().id(), caller);
                n
            },
            |d| {
                out.push(d);
                Ok(Flow::Continue)
            },
        );
        assert!(result.is_ok());
        assert_eq!(out, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_than_in_flight_pieces_are_held() {
        let held = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut i = 0u64;
        let next = || {
            (i < 2000).then(|| {
                let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                i += 1;
                i - 1
            })
        };
        let result: Result<(), ()> = pool(4).install(|| {
            run(4, 5, next, uneven, |_| {
                held.fetch_sub(1, Ordering::SeqCst);
                Ok(Flow::Continue)
            })
        });
        assert!(result.is_ok());
        // In flight, and the one being written.
        assert!(most.load(Ordering::SeqCst) <= 5 + 1, "{most:?}");
    }

    #[test]
    fn stop_ends_the_run_at_that_result() {
        let claimed = AtomicUsize::new(0);
        let mut source = numbers(1_000_000);
        let next = || {
            claimed.fetch_add(1, Ordering::SeqCst);
            source()
        };
        let mut out = Vec::new();
        let result: Result<(), ()> = pool(4).install(|| {
            run(4, 8, next, uneven, |d| {
                out.push(d);
                Ok(if d == 300 { Flow::Stop } else { Flow::Continue })
            })
        });
        assert!(result.is_ok());
        assert_eq!(out, (0..=30).map(|n| n * 10).collect::<Vec<_>>());
        // Only the pieces in flight were read past the stop.
        assert!(claimed.load(Ordering::SeqCst) <= 31 + 8);
    }

    #[test]
    fn a_write_error_is_returned_and_the_workers_stop() {
        let result = pool(3).install(|| {
            run(3, 6, numbers(1_000_000), uneven, |d| {
                if d == 500 {
                    Err("full disk")
                } else {
                    Ok(Flow::Continue)
                }
            })
        });
        assert_eq!(result, Err("full disk"));
    }

    #[test]
    fn a_panic_in_work_is_raised_in_order_on_the_calling_thread() {
        let mut out = Vec::new();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            pool(4).install(|| {
                run(
                    4,
                    8,
                    numbers(10_000),
                    |n| {
                        if n == 77 {
                            panic!("piece 77");
                        }
                        n
                    },
                    |d| -> Result<Flow, ()> {
                        out.push(d);
                        Ok(Flow::Continue)
                    },
                )
            })
        }));
        let payload = caught.expect_err("the panic is raised");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"piece 77"));
        assert_eq!(out, (0..77).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_in_the_source_is_raised() {
        let mut i = 0;
        let next = move || {
            i += 1;
            if i == 40 {
                panic!("bad source");
            }
            Some(i)
        };
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            pool(2).install(|| {
                run(
                    2,
                    4,
                    next,
                    |n| n,
                    |_| -> Result<Flow, ()> { Ok(Flow::Continue) },
                )
            })
        }));
        let payload = caught.expect_err("the panic is raised");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"bad source"));
    }
}
