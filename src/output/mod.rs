//! Printers of cleaning events: the clean text, the `--explain` JSONL, the
//! run statistics and the HTML `--report`. Each reads
//! [`crate::events::Cleaned`]; none decides.

pub mod explain;
pub mod report;
pub mod stats;
pub mod text;
