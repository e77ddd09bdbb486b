//! The progress line of `sapu clean` (stderr, when it is a terminal):
//! files done (of how many, once known), documents and megabytes per
//! second, shared by the shards cleaned at the same time. Messages are
//! printed above it (see `cli::messages`).

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{count, messages};

/// A total not known (yet).
const UNKNOWN: u64 = u64::MAX;

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    docs: AtomicU64,
    bytes: AtomicU64,
    files: AtomicU64,
    total_files: AtomicU64,
    total_bytes: AtomicU64,
    /// The run is over: a count of the inputs still going can stop.
    finished: AtomicBool,
}

/// What the progress line shows, at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub files: u64,
    pub docs: u64,
    pub bytes: u64,
    pub total_files: Option<u64>,
    /// Bytes of every input, when they are what reading counts (no input
    /// is compressed).
    pub total_bytes: Option<u64>,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            // The first frame says something too.
            bar.set_message(message(&Counts::default(), 0.0));
            // Keeps the spinner and the clock moving between batches.
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        };
        messages::show_above(&bar);
        Progress {
            bar,
            started: Instant::now(),
            docs: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            files: AtomicU64::new(0),
            total_files: AtomicU64::new(UNKNOWN),
            total_bytes: AtomicU64::new(UNKNOWN),
            finished: AtomicBool::new(false),
        }
    }

    /// Whether the line is shown (worth counting the inputs for).
    pub fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Counts documents and input bytes done.
    pub fn add(&self, bytes: u64, docs: u64) {
        self.docs.fetch_add(docs, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.redraw();
    }

    /// Counts a file (a text document or a shard) done, or left alone.
    pub fn file_done(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.redraw();
    }

    /// The inputs of the run, once counted; `bytes` when reading them
    /// counts their bytes (none is compressed).
    pub fn set_total(&self, files: u64, bytes: Option<u64>) {
        if self.is_finished() {
            return;
        }
        self.total_files.store(files, Ordering::Relaxed);
        self.total_bytes
            .store(bytes.unwrap_or(UNKNOWN), Ordering::Relaxed);
        self.redraw();
    }

    /// Whether the run is over (a count of the inputs can stop).
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Relaxed)
    }

    fn counts(&self) -> Counts {
        let known = |v: u64| (v != UNKNOWN).then_some(v);
        Counts {
            files: self.files.load(Ordering::Relaxed),
            docs: self.docs.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            total_files: known(self.total_files.load(Ordering::Relaxed)),
            total_bytes: known(self.total_bytes.load(Ordering::Relaxed)),
        }
    }

    fn redraw(&self) {
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64();
        self.bar.set_message(message(&self.counts(), secs));
    }

    pub fn finish(&self) {
        self.finished.store(true, Ordering::Relaxed);
        messages::clear_progress();
    }
}

/// The progress line after `secs` seconds: "3 of 12 files, 5400 documents
/// (1800/s), 12.5 of 48.0 MB (4.2 MB/s)"; totals once known.
pub fn message(c: &Counts, secs: f64) -> String {
    let secs = secs.max(1e-3);
    let mb = c.bytes as f64 / 1e6;
    let files = match c.total_files {
        Some(total) => format!("{} of {}", c.files, count(total, "file", "files")),
        None => count(c.files, "file", "files"),
    };
    let of_mb = match c.total_bytes {
        Some(total) => format!(" of {:.1}", total as f64 / 1e6),
        None => String::new(),
    };
    format!(
        "{files}, {} ({:.0}/s), {mb:.1}{of_mb} MB ({:.1} MB/s)",
        count(c.docs, "document", "documents"),
        c.docs as f64 / secs,
        mb / secs
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 15, item 9: the first frame was "⠁ , 0s".
    #[test]
    fn the_first_frame_says_what_is_counted() {
        assert_eq!(
            message(&Counts::default(), 0.0),
            "0 files, 0 documents (0/s), 0.0 MB (0.0 MB/s)"
        );
    }

    #[test]
    fn totals_show_once_known() {
        let c = Counts {
            files: 3,
            docs: 5400,
            bytes: 12_500_000,
            total_files: Some(12),
            total_bytes: Some(48_000_000),
        };
        assert_eq!(
            message(&c, 3.0),
            "3 of 12 files, 5400 documents (1800/s), 12.5 of 48.0 MB (4.2 MB/s)"
        );
        let compressed = Counts {
            total_bytes: None,
            ..c
        };
        assert_eq!(
            message(&compressed, 3.0),
            "3 of 12 files, 5400 documents (1800/s), 12.5 MB (4.2 MB/s)"
        );
    }
}
