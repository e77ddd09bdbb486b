//! One path for what sapu tells the user on stderr, and the exit status
//! that follows from it (after ripgrep's `messages.rs`). Every error and
//! warning of a command goes through [`error`] or [`warning`]; an error
//! records that the run failed, and [`exit_code`] derives the exit status
//! from that record in one place. While a progress line is shown, messages
//! are printed above it.

use std::fmt::Display;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;

/// Success.
pub const EXIT_OK: i32 = 0;
/// Some documents or cases failed (unreadable input, unwritable output,
/// a truncated shard, a golden mismatch).
pub const EXIT_FAILED: i32 = 1;
/// The run could not start (bad flags, bad rules).
pub const EXIT_USAGE: i32 = 2;
/// The run finished, but some JSONL lines were bad records (skipped, or
/// the run stopped at the first with `--on-error fail`).
pub const EXIT_REJECTED: i32 = 3;

static FAILED: AtomicBool = AtomicBool::new(false);
static PROGRESS: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Prints `sapu: error: MSG` and records that the run failed.
pub fn error(msg: impl Display) {
    FAILED.store(true, Ordering::Relaxed);
    print(format_args!("error: {msg}"));
}

/// Prints `sapu: error: MSG` about a bad input record. The run does not
/// fail for it: bad records give their own exit status (see
/// [`exit_code`]), from the count of them.
pub fn bad_record(msg: impl Display) {
    print(format_args!("error: {msg}"));
}

/// Prints `sapu: warning: MSG`.
pub fn warning(msg: impl Display) {
    print(format_args!("warning: {msg}"));
}

/// Prints `sapu: MSG`.
pub fn note(msg: impl Display) {
    print(format_args!("{msg}"));
}

/// Records that the run failed, for a failure already reported otherwise
/// (a golden mismatch printed on stdout).
pub fn set_failed() {
    FAILED.store(true, Ordering::Relaxed);
}

/// Whether an error was reported.
pub fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// The exit status of a run that started: failed (1) wins over rejected
/// records (3).
pub fn exit_code(rejected_records: bool) -> i32 {
    if failed() {
        EXIT_FAILED
    } else if rejected_records {
        EXIT_REJECTED
    } else {
        EXIT_OK
    }
}

/// Shows messages above `bar` from now on, until [`clear_progress`].
pub fn show_above(bar: &ProgressBar) {
    if let Ok(mut p) = PROGRESS.lock() {
        *p = Some(bar.clone());
    }
}

pub fn clear_progress() {
    if let Ok(mut p) = PROGRESS.lock()
        && let Some(bar) = p.take()
    {
        bar.finish_and_clear();
    }
}

fn print(msg: std::fmt::Arguments) {
    let line = format!("sapu: {msg}");
    let bar = PROGRESS.lock().ok().and_then(|p| p.clone());
    match bar {
        Some(bar) if !bar.is_hidden() => bar.suspend(|| eprintln!("{line}")),
        _ => eprintln!("{line}"),
    }
}
