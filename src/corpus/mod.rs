//! Corpora of JSON Lines and Parquet shards: which files they are and how
//! they are compressed ([`format`], [`compress`]), lines in bounded batches
//! ([`lines`]) or, for a plain file, in byte ranges each worker reads
//! itself (`ranges`), one record's text field in and out ([`record`]), the
//! ordered pipeline whose workers read, clean and write a shard's pieces
//! (`pipeline`), a JSONL shard through it ([`shard`]); an Arrow batch's
//! text column in and out ([`arrow`]) and a Parquet shard through the same
//! pipeline ([`parquet`]). The cleaner is the same
//! as for text files; this module only reads and writes around it.

pub mod arrow;
pub mod compress;
pub mod format;
pub mod lines;
pub mod parquet;
mod pipeline;
mod ranges;
pub mod record;
pub mod shard;

pub use self::parquet::{ParquetInput, ParquetNotice, ParquetSinks, clean_parquet};
pub use format::{Compression, Format};
pub use lines::Limits;
pub use record::{Fields, LineOutcome, LineSettings, Record, RecordError, clean_line};
pub use shard::{
    Notice, NoticeKind, OnError, Report, Settings, Sinks, Source, clean_shard, split_bom,
};

/// The statistics' problem of a JSONL shard cut off by a read error
/// (truncated or corrupt compression): written up to it.
pub const TRUNCATED_INPUT: &str = "truncated-input";
/// The statistics' problem of a Parquet file with a row group that cannot
/// be read: written up to it.
pub const CORRUPT_PARQUET: &str = "corrupt-parquet";
