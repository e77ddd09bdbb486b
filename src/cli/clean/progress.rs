//! The progress line of `sapu clean` (stderr, when it is a terminal):
//! documents and megabytes per second, shared by the shards cleaned at the
//! same time. Messages are printed above it (see `cli::messages`).

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::messages;

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    docs: AtomicU64,
    bytes: AtomicU64,
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
        }
    }

    /// Counts documents and input bytes done.
    pub fn add(&self, bytes: u64, docs: u64) {
        let docs = self.docs.fetch_add(docs, Ordering::Relaxed) + docs;
        let bytes = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let mb = bytes as f64 / 1e6;
        self.bar.set_message(format!(
            "{docs} documents ({:.0}/s), {mb:.1} MB ({:.1} MB/s)",
            docs as f64 / secs,
            mb / secs
        ));
    }

    pub fn finish(&self) {
        messages::clear_progress();
    }
}
