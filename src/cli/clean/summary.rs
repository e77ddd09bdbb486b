//! What `sapu clean` says on stderr at the end of a run.

use std::fmt::Write as _;
use std::time::Duration;

use sapu::output::stats::{STOPPED_AT_BAD_RECORD, Stats};

use crate::cli::count;

/// When no document was cleaned and some input was skipped as binary:
/// the run did nothing it was asked to, which is an error, not a
/// success with warnings.
pub fn nothing_cleaned(stats: &Stats) -> Option<String> {
    let binary = stats.problems.get("binary").copied().unwrap_or(0);
    (stats.documents == 0 && stats.skipped_existing == 0 && binary > 0).then(|| {
        format!(
            "nothing was cleaned: every input was skipped ({}; see the warnings above)",
            count(binary, "binary file", "binary files")
        )
    })
}

/// The human summary printed on stderr at the end of a run.
pub fn summary(stats: &Stats, elapsed: Duration) -> String {
    let mut s = String::new();
    let secs = elapsed.as_secs_f64();
    let mb = stats.bytes_in as f64 / 1e6;
    let _ = writeln!(
        s,
        "sapu: {}, {:.2} MB in, {:.2} MB out, {} dropped, {} rewritten, in {:.2}s ({:.1} MB/s)",
        count(stats.documents, "document", "documents"),
        mb,
        stats.bytes_out as f64 / 1e6,
        count(stats.lines_dropped, "line", "lines"),
        stats.lines_rewritten,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 }
    );
    if stats.flagged_documents > 0 || stats.reverted_documents > 0 {
        let _ = writeln!(
            s,
            "sapu: {} flagged for heavy removal, {} left uncut (--max-removed)",
            count(stats.flagged_documents, "document", "documents"),
            stats.reverted_documents
        );
    }
    let mut by_lines: Vec<_> = stats.rules.iter().collect();
    by_lines.sort_by(|a, b| b.1.lines.cmp(&a.1.lines).then(a.0.cmp(b.0)));
    for (id, c) in by_lines {
        let lines = if c.lines == 1 { "line" } else { "lines" };
        let chars = if c.chars == 1 { "char" } else { "chars" };
        let _ = writeln!(
            s,
            "  {:>8} {lines:5} {:>10} {chars:5}  {id}",
            c.lines, c.chars
        );
    }
    if stats.problems.contains_key(STOPPED_AT_BAD_RECORD) {
        let _ = writeln!(s, "sapu: stopped at the first bad record (--on-error fail)");
    } else if stats.records_rejected > 0 {
        let _ = writeln!(
            s,
            "sapu: {} skipped",
            count(stats.records_rejected, "bad record", "bad records")
        );
    }
    if stats.skipped_existing > 0 {
        let _ = writeln!(
            s,
            "sapu: {} existed already and {} left alone (--resume)",
            count(stats.skipped_existing, "output", "outputs"),
            if stats.skipped_existing == 1 {
                "was"
            } else {
                "were"
            }
        );
    }
    for (kind, n) in stats
        .problems
        .iter()
        .filter(|(k, _)| *k != STOPPED_AT_BAD_RECORD)
    {
        let _ = writeln!(s, "sapu: {n} × {kind}");
    }
    s
}
