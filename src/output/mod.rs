//! Printers of cleaning events: the clean text, the `--explain` JSONL and
//! the run statistics. Each reads [`crate::events::Cleaned`]; none decides.

pub mod explain;
pub mod stats;
pub mod text;
