//! Converts a JSON Lines corpus (such as `gen_corpus` writes) to Parquet,
//! for the benchmark's Parquet rows: every field of the first record
//! becomes a column (strings as strings, integers as int64, anything else
//! as its JSON text), in row groups of a fixed number of rows.
//!
//! cargo run --release --example to_parquet -- IN.jsonl OUT.parquet [--group-rows N] [--codec zstd|snappy|gzip|none]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

const USAGE: &str =
    "usage: to_parquet IN.jsonl OUT.parquet [--group-rows N] [--codec zstd|snappy|gzip|none]";

enum Column {
    Text(StringBuilder),
    Int(Int64Builder),
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("to_parquet: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut output) = (None, None);
    let mut group_rows = 1000usize;
    let mut codec = Compression::ZSTD(ZstdLevel::default());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--group-rows" => {
                group_rows = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--group-rows takes a number of rows")?
            }
            "--codec" => {
                codec = match args.next().as_deref() {
                    Some("zstd") => Compression::ZSTD(ZstdLevel::default()),
                    Some("snappy") => Compression::SNAPPY,
                    Some("gzip") => Compression::GZIP(GzipLevel::default()),
                    Some("none") => Compression::UNCOMPRESSED,
                    _ => return Err(USAGE.into()),
                }
            }
            _ if input.is_none() => input = Some(a),
            _ if output.is_none() => output = Some(a),
            _ => return Err(USAGE.into()),
        }
    }
    let (Some(input), Some(output)) = (input, output) else {
        return Err(USAGE.into());
    };
    let lines = BufReader::new(File::open(&input).map_err(|e| format!("{input}: {e}"))?).lines();
    let mut schema = None;
    let mut columns: Vec<Column> = Vec::new();
    let mut writer = None;
    let mut rows = 0usize;
    for (n, line) in lines.enumerate() {
        let line = line.map_err(|e| format!("{input}: {e}"))?;
        let record: Map<String, Value> =
            serde_json::from_str(&line).map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        let schema = schema.get_or_insert_with(|| {
            let fields: Vec<Field> = record
                .iter()
                .map(|(k, v)| {
                    let t = if v.is_i64() {
                        DataType::Int64
                    } else {
                        DataType::Utf8
                    };
                    Field::new(k, t, true)
                })
                .collect();
            Arc::new(Schema::new(fields))
        });
        if columns.is_empty() {
            columns = schema
                .fields()
                .iter()
                .map(|f| match f.data_type() {
                    DataType::Int64 => Column::Int(Int64Builder::new()),
                    _ => Column::Text(StringBuilder::new()),
                })
                .collect();
        }
        for (field, column) in schema.fields().iter().zip(&mut columns) {
            let value = record.get(field.name());
            match column {
                Column::Int(b) => b.append_option(value.and_then(Value::as_i64)),
                Column::Text(b) => b.append_option(value.map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })),
            }
        }
        rows += 1;
        if rows == group_rows {
            write(
                &output,
                schema,
                &mut columns,
                &mut writer,
                group_rows,
                codec,
            )?;
            rows = 0;
        }
    }
    let schema = schema.ok_or(format!("{input}: no records"))?;
    if rows > 0 {
        write(
            &output,
            &schema,
            &mut columns,
            &mut writer,
            group_rows,
            codec,
        )?;
    }
    if let Some(w) = writer {
        w.close().map_err(|e| format!("{output}: {e}"))?;
    }
    Ok(())
}

fn write(
    output: &str,
    schema: &Arc<Schema>,
    columns: &mut [Column],
    writer: &mut Option<ArrowWriter<File>>,
    group_rows: usize,
    codec: Compression,
) -> Result<(), String> {
    let arrays: Vec<ArrayRef> = columns
        .iter_mut()
        .map(|c| -> ArrayRef {
            match c {
                Column::Int(b) => Arc::new(b.finish()),
                Column::Text(b) => Arc::new(b.finish()),
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| e.to_string())?;
    if writer.is_none() {
        let props = WriterProperties::builder()
            .set_compression(codec)
            .set_max_row_group_row_count(Some(group_rows))
            .build();
        let file = File::create(output).map_err(|e| format!("{output}: {e}"))?;
        *writer = Some(
            ArrowWriter::try_new(file, schema.clone(), Some(props))
                .map_err(|e| format!("{output}: {e}"))?,
        );
    }
    if let Some(w) = writer.as_mut() {
        w.write(&batch).map_err(|e| format!("{output}: {e}"))?;
        w.flush().map_err(|e| format!("{output}: {e}"))?;
    }
    Ok(())
}
