//! `sapu clean` on Parquet shards, run as a user runs it: files built here
//! with Arrow's writer (nested columns, nulls, several row groups, every
//! codec), their text column compared with what the JSONL path makes of
//! the same records.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{
    Array, ArrayRef, Float64Array, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StructArray, TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

mod common;
use common::{sapu, stderr};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The golden inputs and example pages under 12 KB (the debug build is
/// slow), with a blank and a null among them: (id, text).
fn documents() -> Vec<(String, Option<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(root.join("golden"))
        .unwrap()
        .map(|e| e.unwrap().path().join("input.txt"))
        .chain(
            fs::read_dir(root.join("examples/news"))
                .unwrap()
                .map(|e| e.unwrap().path()),
        )
        .filter(|p| p.is_file() && fs::metadata(p).unwrap().len() < 12_000)
        .collect();
    paths.sort();
    for p in paths {
        let id = p.strip_prefix(root).unwrap().display().to_string();
        docs.push((id, Some(fs::read_to_string(&p).unwrap())));
    }
    docs.insert(3, ("blank".into(), Some(" \n ".into())));
    docs.insert(5, ("null".into(), None));
    docs
}

/// A batch of the documents with columns of many kinds around the text:
/// numbers, a nullable float, a list, a struct, a timestamp; field and
/// schema metadata.
fn batch(docs: &[(String, Option<String>)]) -> RecordBatch {
    let n = docs.len();
    let ids = StringArray::from_iter_values(docs.iter().map(|(id, _)| id));
    let texts = StringArray::from_iter(docs.iter().map(|(_, t)| t.as_deref()));
    let nums = Int64Array::from_iter_values((0..n as i64).map(|i| i * 7 - 3));
    let scores = Float64Array::from_iter((0..n).map(|i| (i % 3 != 0).then_some(i as f64 / 4.0)));
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        if i % 4 == 1 {
            tags.append_null();
            continue;
        }
        for j in 0..i % 3 {
            tags.values().append_value(format!("tag-{j}"));
        }
        tags.append(true);
    }
    let tags = tags.finish();
    let url = StringArray::from_iter_values((0..n).map(|i| format!("https://example.org/{i}")));
    let lang = StringArray::from_iter((0..n).map(|i| (i % 2 == 0).then_some("id")));
    let meta = StructArray::from(vec![
        (
            Arc::new(Field::new("url", DataType::Utf8, false)),
            Arc::new(url) as ArrayRef,
        ),
        (
            Arc::new(Field::new("lang", DataType::Utf8, true)),
            Arc::new(lang) as ArrayRef,
        ),
    ]);
    let ts =
        TimestampMillisecondArray::from_iter_values((0..n as i64).map(|i| 1_700_000_000_000 + i))
            .with_timezone("UTC");
    let schema = Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("text", DataType::Utf8, true).with_metadata(HashMap::from([(
            "comment".to_string(),
            "the page".to_string(),
        )])),
        Field::new("n", DataType::Int64, false),
        Field::new("score", DataType::Float64, true),
        Field::new("tags", tags.data_type().clone(), true),
        Field::new("meta", meta.data_type().clone(), false),
        Field::new("ts", ts.data_type().clone(), false),
    ])
    .with_metadata(HashMap::from([(
        "huggingface".to_string(),
        "{\"info\": 1}".to_string(),
    )]));
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(ids),
            Arc::new(texts),
            Arc::new(nums),
            Arc::new(scores),
            Arc::new(tags),
            Arc::new(meta),
            Arc::new(ts),
        ],
    )
    .unwrap()
}

fn write_parquet(path: &Path, batch: &RecordBatch, codec: Compression, group_rows: usize) {
    let props = WriterProperties::builder()
        .set_compression(codec)
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut w =
        ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

/// The rows of a Parquet file in one batch, and its metadata.
fn read_parquet(path: &Path) -> (RecordBatch, Arc<ParquetMetaData>) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap()).unwrap();
    let metadata = builder.metadata().clone();
    let schema: SchemaRef = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    (
        arrow_select::concat::concat_batches(&schema, &batches).unwrap(),
        metadata,
    )
}

fn texts(batch: &RecordBatch) -> Vec<Option<String>> {
    let col = batch.column_by_name("text").unwrap();
    match col.data_type() {
        DataType::LargeUtf8 => col
            .as_string::<i64>()
            .iter()
            .map(|t| t.map(str::to_string))
            .collect(),
        _ => col
            .as_string::<i32>()
            .iter()
            .map(|t| t.map(str::to_string))
            .collect(),
    }
}

/// What `sapu clean --format jsonl` makes of the same documents (a null
/// text is left out: JSONL has none to give), by id.
fn jsonl_clean(
    dir: &Path,
    docs: &[(String, Option<String>)],
    args: &[&str],
) -> HashMap<String, Value> {
    let input = dir.join("same.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .filter_map(|(id, t)| {
            t.as_ref()
                .map(|t| serde_json::json!({"id": id, "text": t}).to_string())
        })
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let mut all = vec!["clean", "-q", "--format", "jsonl", s(&input)];
    all.extend_from_slice(args);
    let o = sapu(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn cleans_the_text_column_as_jsonl_does_and_keeps_every_other_column() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = documents();
    let input_batch = batch(&docs);
    let input = tmp.path().join("crawl.parquet");
    write_parquet(
        &input,
        &input_batch,
        Compression::ZSTD(ZstdLevel::default()),
        7,
    );
    let out = tmp.path().join("clean.parquet");
    let stats = tmp.path().join("stats.json");
    let o = sapu(&["clean", s(&input), "-o", s(&out), "--stats", s(&stats)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("empty \"text\""), "{}", stderr(&o));

    let (got, meta) = read_parquet(&out);
    let (_, in_meta) = read_parquet(&input);
    // The same schema (types, field and schema metadata), rows, row groups.
    assert_eq!(got.schema(), input_batch.schema());
    assert_eq!(got.num_rows(), docs.len());
    let groups =
        |m: &ParquetMetaData| -> Vec<i64> { m.row_groups().iter().map(|g| g.num_rows()).collect() };
    assert_eq!(groups(&meta), groups(&in_meta));
    assert!(groups(&meta).len() >= 4);
    for name in ["id", "n", "score", "tags", "meta", "ts"] {
        assert_eq!(
            got.column_by_name(name).unwrap().to_data(),
            input_batch.column_by_name(name).unwrap().to_data(),
            "{name}"
        );
    }
    // The text column is what the JSONL path writes into the same records.
    let jsonl = jsonl_clean(tmp.path(), &docs, &[]);
    for ((id, text), clean) in docs.iter().zip(texts(&got)) {
        match text {
            None => assert_eq!(clean, None, "{id}"),
            Some(_) => assert_eq!(clean.as_deref(), jsonl[id]["text"].as_str(), "{id}"),
        }
    }
    let stats: Value = serde_json::from_slice(&fs::read(&stats).unwrap()).unwrap();
    assert_eq!(stats["problems"]["null-text"], 1, "{stats}");
    assert_eq!(stats["problems"]["empty-text"], 1, "{stats}");
    assert_eq!(stats["documents"], docs.len() - 1, "{stats}");
}

#[test]
fn each_column_keeps_its_codec_where_the_writer_has_it() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = documents();
    let b = batch(&docs);
    for (codec, expected) in [
        (Compression::UNCOMPRESSED, Compression::UNCOMPRESSED),
        (Compression::SNAPPY, Compression::SNAPPY),
        (
            Compression::GZIP(GzipLevel::default()),
            Compression::GZIP(GzipLevel::default()),
        ),
        (
            Compression::ZSTD(ZstdLevel::default()),
            Compression::ZSTD(ZstdLevel::default()),
        ),
        (Compression::LZ4_RAW, Compression::LZ4_RAW),
        // The old Hadoop-framed LZ4: read, written again as zstd.
        (Compression::LZ4, Compression::ZSTD(ZstdLevel::default())),
    ] {
        let input = tmp.path().join(format!("{codec}.parquet"));
        write_parquet(&input, &b, codec, 20);
        let out = tmp.path().join(format!("{codec}-clean.parquet"));
        let o = sapu(&["clean", "-q", s(&input), "-o", s(&out), "--annotate"]);
        assert_eq!(o.status.code(), Some(0), "{codec}: {}", stderr(&o));
        let (got, meta) = read_parquet(&out);
        for group in meta.row_groups() {
            for column in group.columns() {
                assert_eq!(
                    column.compression(),
                    expected,
                    "{codec}: {}",
                    column.column_path()
                );
            }
        }
        assert_eq!(texts(&got).len(), docs.len(), "{codec}");
    }
}

#[test]
fn annotate_adds_a_struct_column_or_replaces_sapu() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = documents();
    let b = batch(&docs);
    // An existing "sapu" column of another type, before the text.
    let mut fields: Vec<Field> = vec![Field::new("sapu", DataType::Int64, false)];
    fields.extend(b.schema().fields().iter().map(|f| f.as_ref().clone()));
    let mut columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(vec![9; docs.len()]))];
    columns.extend(b.columns().iter().cloned());
    let with_sapu = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let jsonl = jsonl_clean(tmp.path(), &docs, &["--annotate", "--flag-removed", "0.3"]);
    for (name, batch, at) in [("plain", &b, b.num_columns()), ("replaced", &with_sapu, 0)] {
        let input = tmp.path().join(format!("{name}.parquet"));
        write_parquet(&input, batch, Compression::SNAPPY, 10);
        let out = tmp.path().join(format!("{name}-clean.parquet"));
        let o = sapu(&[
            "clean",
            "-q",
            s(&input),
            "-o",
            s(&out),
            "--annotate",
            "--flag-removed",
            "0.3",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (got, _) = read_parquet(&out);
        assert_eq!(got.schema().field(at).name(), "sapu", "{name}");
        assert_eq!(
            got.num_columns(),
            batch.num_columns() + (name == "plain") as usize
        );
        let notes = got.column(at).as_struct();
        let field = |n: &str| notes.column_by_name(n).unwrap().clone();
        let (lines, chars, rules, flagged) = (
            field("dropped_lines"),
            field("dropped_chars"),
            field("rules"),
            field("flagged"),
        );
        let mut flagged_seen = 0;
        for (i, (id, text)) in docs.iter().enumerate() {
            let blank = text.as_ref().is_none_or(|t| t.trim().is_empty());
            assert_eq!(notes.is_null(i), blank, "{name} {id}");
            if blank {
                continue;
            }
            let note = &jsonl[id]["sapu"];
            assert_eq!(
                lines.as_primitive::<Int64Type>().value(i),
                note["dropped_lines"]
            );
            assert_eq!(
                chars.as_primitive::<Int64Type>().value(i),
                note["dropped_chars"]
            );
            let ids: Vec<Value> = rules
                .as_list::<i32>()
                .value(i)
                .as_string::<i32>()
                .iter()
                .map(|r| Value::from(r.unwrap()))
                .collect();
            assert_eq!(Value::Array(ids), note["rules"], "{id}");
            let f = flagged.as_boolean().value(i);
            assert_eq!(f, note["flagged"] == true, "{id}");
            flagged_seen += f as usize;
        }
        assert!(flagged_seen > 0, "some document is flagged at 0.3");
    }
}

/// Enough rows that batches differ with the thread count.
fn many_documents() -> Vec<(String, Option<String>)> {
    let docs = documents();
    (0..6)
        .flat_map(|round| {
            docs.iter().map(move |(id, t)| {
                (
                    format!("{round}/{id}"),
                    t.as_ref()
                        .map(|t| format!("{t}\nBaca Juga: Berita {round}\n")),
                )
            })
        })
        .collect()
}

#[test]
fn output_is_the_same_for_any_thread_count_and_large_strings_stay_large() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = many_documents();
    let b = batch(&docs);
    // The text as LargeUtf8: written back as LargeUtf8.
    let mut fields: Vec<Field> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields[1] = Field::new("text", DataType::LargeUtf8, true);
    let mut columns = b.columns().to_vec();
    columns[1] = Arc::new(LargeStringArray::from_iter(
        docs.iter().map(|(_, t)| t.as_deref()),
    ));
    let large = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let input = tmp.path().join("big.parquet");
    // Row groups of about 300 KB: cut into one batch at -j 1, several at
    // -j 16 (whose budget makes batches smaller).
    write_parquet(&input, &large, Compression::ZSTD(ZstdLevel::default()), 64);
    let mut outputs = Vec::new();
    for j in ["1", "16"] {
        let out = tmp.path().join(format!("j{j}.parquet"));
        let o = sapu(&[
            "clean",
            "-q",
            "-j",
            j,
            s(&input),
            "-o",
            s(&out),
            "--annotate",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        outputs.push(fs::read(&out).unwrap());
    }
    assert!(
        outputs.iter().all(|o| *o == outputs[0]),
        "outputs differ with -j"
    );
    let (got, _) = read_parquet(&tmp.path().join("j1.parquet"));
    assert_eq!(got.schema().field(1).data_type(), &DataType::LargeUtf8);
    assert_eq!(got.num_rows(), docs.len());
    assert!(
        texts(&got)
            .iter()
            .flatten()
            .all(|t| !t.contains("Baca Juga")),
        "every promo line is dropped"
    );
}

#[test]
fn a_directory_of_parquet_and_jsonl_is_mirrored_and_explained_by_id_or_row() {
    let tmp = tempfile::tempdir().unwrap();
    let crawl = tmp.path().join("crawl");
    fs::create_dir_all(crawl.join("sub")).unwrap();
    let docs = documents();
    let b = batch(&docs);
    write_parquet(&crawl.join("a.parquet"), &b, Compression::SNAPPY, 16);
    // The second file has no id column: rows are named by number.
    let no_id = b.project(&[1, 2]).unwrap();
    write_parquet(
        &crawl.join("sub/b.parquet"),
        &no_id,
        Compression::SNAPPY,
        16,
    );
    fs::write(
        crawl.join("c.jsonl"),
        "{\"id\":\"j\",\"text\":\"Satu.\\n\\nBaca Juga: X\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let explain = tmp.path().join("explain.jsonl");
    let o = sapu(&[
        "clean",
        "-q",
        s(&crawl),
        "-o",
        s(&out),
        "--explain",
        s(&explain),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in ["a.parquet", "sub/b.parquet", "c.jsonl"] {
        assert!(out.join(name).is_file(), "{name}");
    }
    let docs_named: Vec<String> = fs::read_to_string(&explain)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["doc"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let a = format!("{}:", crawl.join("a.parquet").display());
    let b_name = format!("{}:", crawl.join("sub/b.parquet").display());
    assert!(
        docs_named
            .iter()
            .any(|d| d.starts_with(&a) && d.contains("golden/"))
    );
    // Row 0 of b is the first golden input.
    assert!(docs_named.contains(&format!("{b_name}0")), "{docs_named:?}");
    // In input order (a walk's, by name): a's rows, the JSONL shard's,
    // then b's.
    let jsonl = docs_named
        .iter()
        .position(|d| d.ends_with("c.jsonl:j"))
        .unwrap();
    let first_b = docs_named
        .iter()
        .position(|d| d.starts_with(&b_name))
        .unwrap();
    let last_a = docs_named.iter().rposition(|d| d.starts_with(&a)).unwrap();
    assert!(last_a < jsonl && jsonl < first_b, "{docs_named:?}");
    // --format parquet takes only the Parquet files.
    let only = tmp.path().join("only");
    let o = sapu(&[
        "clean",
        "-q",
        "--format",
        "parquet",
        s(&crawl),
        "-o",
        s(&only),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(only.join("a.parquet").is_file() && !only.join("c.jsonl").exists());
}

#[test]
fn bad_files_are_errors_naming_them_and_the_other_shards_still_run() {
    let tmp = tempfile::tempdir().unwrap();
    let crawl = tmp.path().join("crawl");
    fs::create_dir_all(&crawl).unwrap();
    let docs = documents();
    let b = batch(&docs);
    write_parquet(&crawl.join("0-good.parquet"), &b, Compression::SNAPPY, 10);
    // No "text" column.
    write_parquet(
        &crawl.join("1-no-text.parquet"),
        &b.project(&[0, 2]).unwrap(),
        Compression::SNAPPY,
        10,
    );
    // "text" is a number.
    let numbers = RecordBatch::try_new(
        Arc::new(Schema::new(vec![Field::new(
            "text",
            DataType::Int64,
            false,
        )])),
        vec![Arc::new(Int64Array::from(vec![1, 2]))],
    )
    .unwrap();
    write_parquet(
        &crawl.join("2-numbers.parquet"),
        &numbers,
        Compression::SNAPPY,
        10,
    );
    // Cut in the middle: no footer.
    let whole = fs::read(crawl.join("0-good.parquet")).unwrap();
    fs::write(crawl.join("3-truncated.parquet"), &whole[..whole.len() / 2]).unwrap();
    let out = tmp.path().join("out");
    let o = sapu(&["clean", "-q", s(&crawl), "-o", s(&out)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1-no-text.parquet: no column \"text\""),
        "{err}"
    );
    assert!(err.contains("--text-field"), "{err}");
    assert!(
        err.contains("2-numbers.parquet: column \"text\" is Int64, not a string"),
        "{err}"
    );
    assert!(
        err.contains("3-truncated.parquet: not a readable Parquet file"),
        "{err}"
    );
    assert!(out.join("0-good.parquet").is_file());
    for bad in ["1-no-text", "2-numbers", "3-truncated"] {
        assert!(!out.join(format!("{bad}.parquet")).exists(), "{bad}");
    }
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn a_corrupt_row_group_names_it_and_the_rows_before_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = documents();
    let b = batch(&docs);
    let input = tmp.path().join("corrupt.parquet");
    write_parquet(&input, &b, Compression::SNAPPY, 20);
    let (_, meta) = read_parquet(&input);
    // Garble the pages of the second row group's text column.
    let chunk = meta.row_group(1).column(1);
    let (start, len) = chunk.byte_range();
    let mut bytes = fs::read(&input).unwrap();
    for byte in &mut bytes[start as usize + 8..(start + len) as usize] {
        *byte ^= 0x5a;
    }
    fs::write(&input, bytes).unwrap();
    let out = tmp.path().join("out.parquet");
    let o = sapu(&["clean", "-q", s(&input), "-o", s(&out)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("corrupt.parquet: row group 1"), "{err}");
    let (got, _) = read_parquet(&out);
    assert_eq!(got.num_rows(), 20, "the first row group is written");
}

#[test]
fn texts_over_the_limit_are_rejected_with_their_row_and_resume_skips_done_shards() {
    let tmp = tempfile::tempdir().unwrap();
    // One text made longer than all the others, and the limit below it.
    let mut docs = documents();
    let row = 2;
    let limit = docs
        .iter()
        .filter_map(|(_, t)| t.as_ref().map(String::len))
        .max()
        .unwrap();
    let text = format!(
        "{}{}",
        docs[row].1.as_deref().unwrap(),
        "\n\nPanjang sekali.".repeat(limit / 10)
    );
    docs[row].1 = Some(text.clone());
    let id = docs[row].0.clone();
    let b = batch(&docs);
    let input = tmp.path().join("p.parquet");
    write_parquet(&input, &b, Compression::SNAPPY, 10);
    let out = tmp.path().join("out.parquet");
    let rejects = tmp.path().join("rejects.jsonl");
    let limit = limit.to_string();
    let o = sapu(&[
        "clean",
        "-q",
        s(&input),
        "-o",
        s(&out),
        "--max-record-bytes",
        &limit,
        "--rejects",
        s(&rejects),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("p.parquet: row {row} (id {id})")),
        "{err}"
    );
    let rejected: Vec<Value> = fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["row"], row);
    assert_eq!(rejected[0]["record"]["id"], id.as_str());
    assert_eq!(rejected[0]["record"]["text"], text);
    assert_eq!(
        rejected[0]["record"]["meta"]["url"],
        format!("https://example.org/{row}")
    );
    let (got, _) = read_parquet(&out);
    assert_eq!(got.num_rows(), docs.len() - 1);

    // --on-error fail: the output is not written.
    let failed = tmp.path().join("failed.parquet");
    let o = sapu(&[
        "clean",
        "-q",
        s(&input),
        "-o",
        s(&failed),
        "--max-record-bytes",
        &limit,
        "--on-error",
        "fail",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!failed.exists());

    // --resume leaves the existing output alone.
    let before = fs::read(&out).unwrap();
    let o = sapu(&["clean", s(&input), "-o", s(&out), "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("left alone (--resume)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(&out).unwrap(), before);
}

#[test]
fn the_floor_writes_the_text_unchanged_and_stdin_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = documents();
    let b = batch(&docs);
    let input = tmp.path().join("p.parquet");
    write_parquet(&input, &b, Compression::ZSTD(ZstdLevel::default()), 10);
    let out = tmp.path().join("floor.parquet");
    let o = sapu(&["clean", "-q", "--no-clean", s(&input), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (got, _) = read_parquet(&out);
    assert_eq!(got, b);

    let o = common::sapu_stdin(
        &["clean", "--format", "parquet", "-"],
        &fs::read(&input).unwrap(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not read from stdin"), "{}", stderr(&o));
}
