//! Corpora of JSON Lines shards: which files they are and how they are
//! compressed ([`format`], [`compress`]), lines in bounded batches
//! ([`lines`]), one record's text field in and out ([`record`]), and the
//! pipeline that cleans a shard in parallel and writes it in order
//! ([`shard`]). The cleaner is the same as for text files; this module only
//! reads and writes around it.

pub mod compress;
pub mod format;
pub mod lines;
pub mod record;
pub mod shard;

pub use format::{Compression, Format};
pub use lines::Limits;
pub use record::{Fields, LineOutcome, LineSettings, Record, RecordError, clean_line};
pub use shard::{Notice, NoticeKind, OnError, Report, Settings, Sinks, clean_shard};
