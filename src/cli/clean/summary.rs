//! The summary `sapu clean` prints on stderr at the end of a run.

use std::fmt::Write as _;
use std::time::Duration;

use sapu::output::stats::Stats;

/// The human summary printed on stderr at the end of a run.
pub fn summary(stats: &Stats, elapsed: Duration) -> String {
    let mut s = String::new();
    let secs = elapsed.as_secs_f64();
    let mb = stats.bytes_in as f64 / 1e6;
    let _ = writeln!(
        s,
        "sapu: {} documents, {:.2} MB in, {:.2} MB out, {} lines dropped, {} rewritten, in {:.2}s ({:.1} MB/s)",
        stats.documents,
        mb,
        stats.bytes_out as f64 / 1e6,
        stats.lines_dropped,
        stats.lines_rewritten,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 }
    );
    if stats.flagged_documents > 0 || stats.reverted_documents > 0 {
        let _ = writeln!(
            s,
            "sapu: {} documents flagged for heavy removal, {} left uncut (--max-removed)",
            stats.flagged_documents, stats.reverted_documents
        );
    }
    let mut by_lines: Vec<_> = stats.rules.iter().collect();
    by_lines.sort_by(|a, b| b.1.lines.cmp(&a.1.lines).then(a.0.cmp(b.0)));
    for (id, c) in by_lines {
        let _ = writeln!(s, "  {:>8} lines {:>10} chars  {id}", c.lines, c.chars);
    }
    if stats.records_rejected > 0 {
        let _ = writeln!(s, "sapu: {} bad records skipped", stats.records_rejected);
    }
    if stats.skipped_existing > 0 {
        let _ = writeln!(
            s,
            "sapu: {} outputs existed already and were left alone (--resume)",
            stats.skipped_existing
        );
    }
    for (kind, n) in &stats.problems {
        let _ = writeln!(s, "sapu: {n} × {kind}");
    }
    s
}
