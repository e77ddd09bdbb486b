//! One Parquet shard through the pipeline of a JSONL shard
//! ([`super::pipeline`]): the row groups are decoded, one after the
//! other, into record batches of bounded size, each decoded and cleaned
//! ([`super::arrow::clean_rows`]) by whichever worker claims it; the
//! calling thread, a worker too, writes the cleaned batches in input order
//! with Arrow's Parquet writer, ending a row group where the input's
//! ended. A fixed number of pieces is in flight, so memory is bounded by
//! the batch size and the row group being written (the writer holds one
//! row group, encoded and compressed, until it ends), whatever the file's
//! size.
//!
//! The writer is handed rows in slices of [`WRITE_ROWS`] counted from the
//! start of each row group, whatever the batches were: its pages and
//! dictionaries depend on how rows arrive, and so the output is the same,
//! byte for byte, for any number of threads.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::basic::{Compression as Codec, ZstdLevel};
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use parquet::file::properties::WriterProperties;

use super::arrow::{Columns, RowEvent, RowsOut, SchemaError, clean_rows, row_json};
use super::lines::Limits;
use super::pipeline::{self, Flow};
use super::record::{Fields, RecordError};
use super::shard::{OnError, Report, Settings, tag};

/// Rows handed to the Parquet writer at a time (its write batch size).
pub const WRITE_ROWS: usize = 1024;

/// Why a Parquet file cannot be cleaned at all. Nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    #[error("not a readable Parquet file ({0}); is it truncated or corrupt?")]
    Format(String),
    #[error("{0}")]
    Schema(#[from] SchemaError),
}

impl OpenError {
    /// A short kind for statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            OpenError::Io(_) => "unreadable",
            OpenError::Format(_) => "corrupt-parquet",
            OpenError::Schema(e) => e.kind(),
        }
    }
}

/// A Parquet file opened for cleaning: its footer read and its text
/// column found.
pub struct ParquetInput {
    file: File,
    metadata: ArrowReaderMetadata,
    columns: Columns,
}

impl ParquetInput {
    /// Opens `path` and reads its footer. With `annotate`, the output gets
    /// the `sapu` column.
    pub fn open(path: &Path, fields: &Fields, annotate: bool) -> Result<ParquetInput, OpenError> {
        let file = File::open(path)?;
        let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
            .map_err(|e| OpenError::Format(e.to_string()))?;
        let columns = Columns::find(metadata.schema(), fields, annotate)?;
        Ok(ParquetInput {
            file,
            metadata,
            columns,
        })
    }

    /// The schema of the output.
    pub fn output_schema(&self) -> &SchemaRef {
        self.columns.output_schema()
    }
}

/// A problem with one row of the shard, or with reading it, in input
/// order. Rows and row groups are counted from 0, as pyarrow counts them.
#[derive(Debug)]
pub enum ParquetNotice {
    /// A row with a blank text: passed through unchanged.
    EmptyText { row: u64, id: Option<String> },
    /// A row that is not cleaned: skipped (and copied to the rejects sink,
    /// when there is one), or, with [`OnError::Fail`], where the shard
    /// stopped.
    Rejected {
        row: u64,
        id: Option<String>,
        error: RecordError,
    },
    /// Reading failed in `row_group`; the rows before `row` were written.
    Unreadable {
        row_group: usize,
        row: u64,
        error: String,
    },
}

/// Where a Parquet shard's results go.
pub struct ParquetSinks<'a> {
    /// The Parquet output.
    pub out: &'a mut dyn Write,
    pub explain: Option<&'a mut dyn Write>,
    /// Rows not cleaned, as JSON Lines: `{"file", "row", "error",
    /// "record"}`, the record with every column.
    pub rejects: Option<&'a mut dyn Write>,
    pub notice: &'a mut dyn FnMut(ParquetNotice),
    /// Called after each batch with its text bytes and rows.
    pub progress: &'a mut dyn FnMut(u64, u64),
}

/// What the reader passes on, in input order.
enum Piece {
    Rows {
        row_group: usize,
        first_row: u64,
        batch: RecordBatch,
    },
    /// The end of a row group: the output's ends here too.
    GroupEnd,
    Failed {
        row_group: usize,
        row: u64,
        error: String,
    },
}

/// A piece after the cleaning stage.
enum Staged {
    Cleaned {
        first_row: u64,
        /// The input rows, kept only when some were rejected (for the
        /// rejects file).
        input: Option<RecordBatch>,
        out: Box<RowsOut>,
    },
    Passed(Piece),
}

/// Cleans the rows of `input` into `sinks`: the Parquet output, in input
/// order, with the input's schema, schema metadata and row groups, each
/// column compressed with its input codec where the writer has it (zstd,
/// snappy, gzip, LZ4, none) and with zstd otherwise. `name` names the file
/// in `--explain` (`NAME:ID`, or `NAME:ROW`) and the rejects file. Errors
/// are failures to write; what went wrong reading is in the report.
pub fn clean_parquet(
    input: &ParquetInput,
    name: &str,
    settings: &Settings,
    sinks: ParquetSinks,
) -> io::Result<Report> {
    let columns = &input.columns;
    let mut reader = GroupReader::new(input, settings.limits);
    let mut writer = ParquetWriter::new(input, name, settings, sinks)?;
    pipeline::run(
        rayon::current_num_threads(),
        settings.limits.in_flight,
        || reader.next_piece(),
        |piece| match piece {
            Piece::Rows {
                row_group,
                first_row,
                batch,
            } => match clean_rows(&batch, columns, first_row, name, settings) {
                Ok(out) => Staged::Cleaned {
                    first_row,
                    input: out
                        .events
                        .iter()
                        .any(|(_, e)| matches!(e, RowEvent::Rejected { .. }))
                        .then_some(batch),
                    out: Box::new(out),
                },
                Err(e) => Staged::Passed(Piece::Failed {
                    row_group,
                    row: first_row,
                    error: e.to_string(),
                }),
            },
            other => Staged::Passed(other),
        },
        |staged| writer.write(staged),
    )?;
    writer.finish()
}

/// Rows per batch in a row group: about the batch budget's bytes, going
/// by the row group's uncompressed size.
fn batch_rows(group: &RowGroupMetaData, limits: Limits) -> usize {
    let rows = group.num_rows().max(1) as usize;
    let per_row = (group.total_byte_size().max(0) as usize / rows).max(1);
    (limits.batch_bytes / per_row).clamp(1, limits.batch_lines)
}

/// The pieces of every row group, in order, one at a time; none after
/// the first error.
struct GroupReader<'a> {
    input: &'a ParquetInput,
    limits: Limits,
    /// The next row group to open.
    next_group: usize,
    /// The batches of the row group being read, and its index.
    rows: Option<(usize, ParquetRecordBatchReader)>,
    /// Rows handed out so far.
    row: u64,
    ended: bool,
}

impl<'a> GroupReader<'a> {
    fn new(input: &'a ParquetInput, limits: Limits) -> GroupReader<'a> {
        GroupReader {
            input,
            limits,
            next_group: 0,
            rows: None,
            row: 0,
            ended: false,
        }
    }

    fn next_piece(&mut self) -> Option<Piece> {
        if self.ended {
            return None;
        }
        loop {
            if let Some((g, reader)) = self.rows.as_mut() {
                let g = *g;
                match reader.next() {
                    Some(Ok(batch)) => {
                        let first_row = self.row;
                        self.row += batch.num_rows() as u64;
                        return Some(Piece::Rows {
                            row_group: g,
                            first_row,
                            batch,
                        });
                    }
                    Some(Err(e)) => return Some(self.failed(g, e.to_string())),
                    None => {
                        self.rows = None;
                        return Some(Piece::GroupEnd);
                    }
                }
            }
            let g = self.next_group;
            let Some(group) = self.input.metadata.metadata().row_groups().get(g) else {
                self.ended = true;
                return None;
            };
            self.next_group += 1;
            let reader = self
                .input
                .file
                .try_clone()
                .map_err(parquet::errors::ParquetError::from)
                .and_then(|file| {
                    ParquetRecordBatchReaderBuilder::new_with_metadata(
                        file,
                        self.input.metadata.clone(),
                    )
                    .with_row_groups(vec![g])
                    .with_batch_size(batch_rows(group, self.limits))
                    .build()
                });
            match reader {
                Ok(r) => self.rows = Some((g, r)),
                Err(e) => return Some(self.failed(g, e.to_string())),
            }
        }
    }

    /// Reading row group `g` failed: the last piece.
    fn failed(&mut self, g: usize, error: String) -> Piece {
        self.ended = true;
        self.rows = None;
        Piece::Failed {
            row_group: g,
            row: self.row,
            error,
        }
    }
}

/// The codec of each column of the output: the input's where the writer
/// has it, else zstd; new columns (the annotation) get the text column's.
fn writer_properties(input: &ParquetMetaData, text_column: &str) -> WriterProperties {
    fn kept(codec: Codec) -> Codec {
        match codec {
            Codec::UNCOMPRESSED
            | Codec::SNAPPY
            | Codec::GZIP(_)
            | Codec::ZSTD(_)
            | Codec::LZ4_RAW => codec,
            _ => Codec::ZSTD(ZstdLevel::default()),
        }
    }
    let mut props = WriterProperties::builder()
        .set_max_row_group_row_count(None)
        .set_write_batch_size(WRITE_ROWS)
        .set_compression(Codec::ZSTD(ZstdLevel::default()));
    if let Some(first) = input.row_groups().first() {
        for chunk in first.columns() {
            let codec = kept(chunk.compression());
            if chunk.column_path().parts() == [text_column] {
                props = props.set_compression(codec);
            }
            props = props.set_column_compression(chunk.column_path().clone(), codec);
        }
    }
    props.build()
}

/// Rows on their way to the writer, cut into slices of [`WRITE_ROWS`]
/// from the start of the row group.
struct Rechunk {
    schema: SchemaRef,
    pending: Vec<RecordBatch>,
    rows: usize,
}

impl Rechunk {
    fn push(
        &mut self,
        mut batch: RecordBatch,
        writer: &mut ArrowWriter<Vec<u8>>,
    ) -> io::Result<()> {
        while batch.num_rows() > 0 {
            let take = (WRITE_ROWS - self.rows).min(batch.num_rows());
            self.pending.push(batch.slice(0, take));
            batch = batch.slice(take, batch.num_rows() - take);
            self.rows += take;
            if self.rows == WRITE_ROWS {
                self.write(writer)?;
            }
        }
        Ok(())
    }

    /// Writes the rows waiting (at the end of a row group, fewer than
    /// [`WRITE_ROWS`]).
    fn write(&mut self, writer: &mut ArrowWriter<Vec<u8>>) -> io::Result<()> {
        let chunk = match self.pending.len() {
            0 => return Ok(()),
            1 => self.pending.pop(),
            _ => Some(
                arrow_select::concat::concat_batches(&self.schema, &self.pending)
                    .map_err(io::Error::other)?,
            ),
        };
        self.pending.clear();
        self.rows = 0;
        if let Some(chunk) = chunk {
            writer.write(&chunk).map_err(io::Error::other)?;
        }
        Ok(())
    }
}

/// Moves what the writer has encoded so far to `out`.
fn drain(writer: &mut ArrowWriter<Vec<u8>>, out: &mut dyn Write) -> io::Result<()> {
    let bytes = std::mem::take(writer.inner_mut());
    out.write_all(&bytes)
}

/// The writing end of a Parquet shard: Arrow's writer, the sinks and
/// what happened so far.
struct ParquetWriter<'s, 'a> {
    name: &'s str,
    settings: &'s Settings<'s>,
    sinks: ParquetSinks<'a>,
    writer: ArrowWriter<Vec<u8>>,
    rechunk: Rechunk,
    report: Report,
}

impl<'s, 'a> ParquetWriter<'s, 'a> {
    fn new(
        input: &ParquetInput,
        name: &'s str,
        settings: &'s Settings<'s>,
        sinks: ParquetSinks<'a>,
    ) -> io::Result<ParquetWriter<'s, 'a>> {
        let schema = input.columns.output_schema().clone();
        let text_name = schema.field(input.columns.text_index()).name().clone();
        let props = writer_properties(input.metadata.metadata(), &text_name);
        let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props))
            .map_err(io::Error::other)?;
        Ok(ParquetWriter {
            name,
            settings,
            sinks,
            writer,
            rechunk: Rechunk {
                schema,
                pending: Vec::new(),
                rows: 0,
            },
            report: Report::new(settings.report),
        })
    }

    /// Writes the next piece; stops at a bad record with `OnError::Fail`,
    /// and after a read failure (nothing after it is written).
    fn write(&mut self, staged: Staged) -> io::Result<Flow> {
        let out_err = tag("output");
        let (name, settings) = (self.name, self.settings);
        let ParquetSinks {
            out,
            explain,
            rejects,
            notice,
            progress,
        } = &mut self.sinks;
        let (writer, report) = (&mut self.writer, &mut self.report);
        let fail = settings.on_error == OnError::Fail;
        match staged {
            Staged::Cleaned {
                first_row,
                input: rows_in,
                out: done,
            } => {
                let RowsOut {
                    batch,
                    explain: explained,
                    stats,
                    events,
                    report: sample,
                } = *done;
                if let Some(w) = explain.as_mut() {
                    w.write_all(&explained).map_err(tag("explain file"))?;
                }
                let (bytes, rows) = (stats.bytes_in, batch.num_rows() as u64);
                report.add_part(stats, sample, settings.report);
                for (i, event) in events {
                    let row = first_row + i as u64;
                    match event {
                        RowEvent::NullText => report.stats.problem("null-text"),
                        RowEvent::EmptyText { id } => {
                            report.stats.problem("empty-text");
                            notice(ParquetNotice::EmptyText { row, id });
                        }
                        RowEvent::Rejected { id, error } => {
                            report.reject(&error);
                            if let (Some(w), Some(rows_in)) = (rejects.as_mut(), &rows_in)
                                && !fail
                            {
                                let record = serde_json::json!({
                                    "file": name,
                                    "row": row,
                                    "error": error.to_string(),
                                    "record": row_json(rows_in, i),
                                });
                                let mut line = record.to_string().into_bytes();
                                line.push(b'\n');
                                w.write_all(&line).map_err(tag("rejects file"))?;
                            }
                            notice(ParquetNotice::Rejected { row, id, error });
                            if fail {
                                report.stopped = true;
                                return Ok(Flow::Stop);
                            }
                        }
                    }
                }
                self.rechunk.push(batch, writer)?;
                drain(writer, *out).map_err(out_err)?;
                progress(bytes, rows);
            }
            Staged::Passed(Piece::GroupEnd) => {
                self.rechunk.write(writer)?;
                writer.flush().map_err(io::Error::other)?;
                writer.sync().map_err(out_err)?;
                drain(writer, *out).map_err(out_err)?;
            }
            Staged::Passed(Piece::Failed {
                row_group,
                row,
                error,
            }) => {
                report.read_failed = true;
                report.stats.problem(super::CORRUPT_PARQUET);
                notice(ParquetNotice::Unreadable {
                    row_group,
                    row,
                    error,
                });
                // Nothing after a failure is written (a batch that failed
                // to clean is followed by more).
                return Ok(Flow::Stop);
            }
            Staged::Passed(Piece::Rows { .. }) => {}
        }
        Ok(Flow::Continue)
    }

    /// Ends the output: the rows before a read failure are written too,
    /// as a JSONL shard's are. A shard stopped at a bad record is left
    /// unfinished: it is not written.
    fn finish(mut self) -> io::Result<Report> {
        if self.report.stopped {
            return Ok(self.report);
        }
        self.rechunk.write(&mut self.writer)?;
        let rest = self.writer.into_inner().map_err(io::Error::other)?;
        self.sinks.out.write_all(&rest).map_err(tag("output"))?;
        Ok(self.report)
    }
}
