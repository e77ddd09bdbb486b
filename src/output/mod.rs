//! Printers of cleaning events: the clean text, the `--explain` JSONL, the
//! run statistics and the HTML `--report`. Each reads
//! [`crate::events::Cleaned`]; none decides.

/// `1 document`, `2 documents`: `n` and the word for that many, for
/// messages and the files people read.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub mod explain;
pub mod report;
pub mod stats;
pub mod text;
