//! One Arrow record batch through sapu: the text column cleaned row by row
//! on the document path, as a JSONL record's text field is; every other
//! column kept as it is (the same arrays, not copied); with `--annotate`,
//! a struct column `sapu`. The Parquet shards ([`super::parquet`]) and
//! Python's `Cleaner.clean_arrow` both call [`clean_rows`].

use std::sync::Arc;

use arrow_array::builder::{GenericStringBuilder, ListBuilder, StringBuilder, StringViewBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, StructArray,
};
use arrow_schema::{ArrowError, DataType, Field, Fields as ArrowFields, Schema, SchemaRef};

use super::record::{ANNOTATION_KEY, Fields, RecordError};
use super::shard::{OnError, Settings};
use crate::document::{Layout, process};
use crate::output::report::{HeldDoc, ReportSample};
use crate::output::{explain, stats::Stats};

/// Why a batch's schema has no text column sapu can clean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("no column \"{field}\" (the columns are {columns})")]
    MissingText { field: String, columns: String },
    #[error("column \"{field}\" is {found}, not a string")]
    NonStringText { field: String, found: String },
}

impl SchemaError {
    /// A short kind for statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            SchemaError::MissingText { .. } => "missing-text-column",
            SchemaError::NonStringText { .. } => "non-string-text",
        }
    }
}

/// The three Arrow string types a text column may have; the clean text is
/// written back in the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextType {
    Utf8,
    LargeUtf8,
    Utf8View,
}

/// Where sapu reads and writes in a batch, found once per schema.
#[derive(Clone, Debug)]
pub struct Columns {
    text: usize,
    text_type: TextType,
    /// The `--id-field` column, when it holds strings or integers.
    id: Option<usize>,
    /// With `--annotate`: the index of the `sapu` column in the output,
    /// over an existing one or after the last.
    annotation: Option<usize>,
    output: SchemaRef,
}

impl Columns {
    /// Finds the text and id columns of `schema`, and the output schema:
    /// the same fields and metadata, with the annotation column when
    /// `annotate`.
    pub fn find(schema: &Schema, fields: &Fields, annotate: bool) -> Result<Columns, SchemaError> {
        let text = schema
            .index_of(&fields.text)
            .map_err(|_| SchemaError::MissingText {
                field: fields.text.clone(),
                columns: column_list(schema),
            })?;
        let text_type = match schema.field(text).data_type() {
            DataType::Utf8 => TextType::Utf8,
            DataType::LargeUtf8 => TextType::LargeUtf8,
            DataType::Utf8View => TextType::Utf8View,
            other => {
                return Err(SchemaError::NonStringText {
                    field: fields.text.clone(),
                    found: type_name(other),
                });
            }
        };
        let id = schema
            .index_of(&fields.id)
            .ok()
            .filter(|&i| i != text && names_a_row(schema.field(i).data_type()));
        let mut out: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        let annotation = annotate.then(|| {
            let field = Field::new(ANNOTATION_KEY, annotation_type(), true);
            match schema.index_of(ANNOTATION_KEY) {
                Ok(i) if i != text => {
                    out[i] = field;
                    i
                }
                _ => {
                    out.push(field);
                    out.len() - 1
                }
            }
        });
        Ok(Columns {
            text,
            text_type,
            id,
            annotation,
            output: Arc::new(Schema::new_with_metadata(out, schema.metadata().clone())),
        })
    }

    /// The schema of the cleaned batches.
    pub fn output_schema(&self) -> &SchemaRef {
        &self.output
    }

    /// The index of the text column.
    pub fn text_index(&self) -> usize {
        self.text
    }

    /// With `--annotate`, the index of the annotation column in the
    /// output.
    pub fn annotation_index(&self) -> Option<usize> {
        self.annotation
    }
}

/// The columns of a schema for a message: the first ten names.
fn column_list(schema: &Schema) -> String {
    let names: Vec<String> = schema
        .fields()
        .iter()
        .take(10)
        .map(|f| format!("\"{}\"", f.name()))
        .collect();
    match schema.fields().len() {
        0 => "none".to_string(),
        n if n > 10 => format!("{}, ... ({n} in all)", names.join(", ")),
        _ => names.join(", "),
    }
}

/// An Arrow type as a message names it: `Int64`, `List(Utf8)`.
fn type_name(t: &DataType) -> String {
    match t {
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            format!("{t} (bytes without a string annotation)")
        }
        DataType::Dictionary(_, _) => format!("{t} (dictionary-encoded)"),
        _ => t.to_string(),
    }
}

fn names_a_row(t: &DataType) -> bool {
    t.is_integer() || matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// The type of the `sapu` column of `--annotate`: what the JSONL
/// annotation holds, with `flagged` and `reverted` always present (the
/// same fields and types as `sapu.spark.annotation_schema()`).
pub fn annotation_type() -> DataType {
    DataType::Struct(annotation_fields())
}

fn annotation_fields() -> ArrowFields {
    ArrowFields::from(vec![
        Field::new("dropped_lines", DataType::Int64, false),
        Field::new("dropped_chars", DataType::Int64, false),
        Field::new("rules", DataType::List(Arc::new(rule_item())), false),
        Field::new("flagged", DataType::Boolean, false),
        Field::new("reverted", DataType::Boolean, false),
    ])
}

fn rule_item() -> Field {
    Field::new("item", DataType::Utf8, false)
}

/// A row that was not cleaned, by its index in the batch.
#[derive(Debug)]
pub enum RowEvent {
    /// A null text: left null, not a document.
    NullText,
    /// A blank text: passed through unchanged, as a JSONL record's.
    EmptyText { id: Option<String> },
    /// Not cleaned and left out of the output.
    Rejected {
        id: Option<String>,
        error: RecordError,
    },
}

/// What cleaning a batch produced.
pub struct RowsOut {
    /// Every row but the rejected ones, in order, in the output schema.
    /// Empty when cleaning stopped at a rejected row (`OnError::Fail`).
    pub batch: RecordBatch,
    /// The `--explain` records of the rows, one after the other.
    pub explain: Vec<u8>,
    pub stats: Stats,
    /// The rows not cleaned, in order; with `OnError::Fail`, up to the
    /// first rejected one.
    pub events: Vec<(usize, RowEvent)>,
    pub report: Option<ReportSample<HeldDoc>>,
}

/// Cleans the text column of `batch`, whose first row is row `first_row`
/// of its file (counted from 0). `name` names the file in `--explain`
/// and `--report`: a row is `NAME:ID`, or `NAME:ROW` without an id.
/// `columns` must have been found on `batch`'s schema. The error is
/// Arrow's, for arrays that do not fit together (it does not happen with
/// the batches of one schema).
pub fn clean_rows(
    batch: &RecordBatch,
    columns: &Columns,
    first_row: u64,
    name: &str,
    settings: &Settings,
) -> Result<RowsOut, ArrowError> {
    let n = batch.num_rows();
    let texts = Texts::of(batch.column(columns.text).as_ref(), columns.text_type)?;
    let ids = columns.id.map(|i| batch.column(i).as_ref());
    let id_of = |i: usize| ids.and_then(|c| id_at(c, i));
    let mut out = RowsOut {
        batch: RecordBatch::new_empty(columns.output.clone()),
        explain: Vec::new(),
        stats: Stats::default(),
        events: Vec::new(),
        report: settings.report.map(|c| ReportSample::new(c.size())),
    };
    let mut clean = TextBuilder::new(columns.text_type, n, texts.bytes());
    let mut notes = columns.annotation.map(|_| Notes::with_capacity(n));
    // Allocated at the first rejected row.
    let mut keep: Option<Vec<bool>> = None;
    let line = &settings.line;
    let rules = line.cleaner.rules();
    let row_name = |i: usize| match id_of(i) {
        Some(id) => format!("{name}:{id}"),
        None => format!("{name}:{}", first_row + i as u64),
    };
    for i in 0..n {
        let Some(text) = texts.value(i) else {
            clean.append(None);
            notes.as_mut().map(Notes::push_null);
            out.events.push((i, RowEvent::NullText));
            continue;
        };
        if text.len() > settings.limits.max_record_bytes {
            let error = RecordError::TooLarge(text.len() as u64);
            out.events.push((
                i,
                RowEvent::Rejected {
                    id: id_of(i),
                    error,
                },
            ));
            if settings.on_error == OnError::Fail {
                return Ok(out);
            }
            keep.get_or_insert_with(|| vec![true; n])[i] = false;
            continue;
        }
        if line.passthrough {
            clean.append(Some(text));
            notes.as_mut().map(Notes::push_null);
            out.stats.documents += 1;
            out.stats.bytes(text.len(), text.len());
            continue;
        }
        let doc_name = if line.wants.explain {
            row_name(i)
        } else {
            String::new()
        };
        let done = process(
            line.cleaner,
            &doc_name,
            text,
            Layout::Field,
            line.wants,
            &mut out.stats,
        );
        if done.passed_through() {
            out.stats.bytes(text.len(), text.len());
            clean.append(Some(text));
            notes.as_mut().map(Notes::push_null);
            out.events.push((i, RowEvent::EmptyText { id: id_of(i) }));
            continue;
        }
        out.stats.bytes(text.len(), done.text.len());
        clean.append(Some(&done.text));
        if let Some(notes) = notes.as_mut() {
            notes.push(done.annotation.as_ref());
        }
        explain::write_values(&done.explain, &mut out.explain);
        if let (Some(sample), Some(cleaned)) = (out.report.as_mut(), done.cleaned) {
            sample.record(row_name(i), cleaned, rules, settings.report);
        }
    }
    let mut arrays: Vec<ArrayRef> = batch.columns().to_vec();
    if let Some(keep) = keep {
        let predicate = BooleanArray::from(keep);
        for (j, array) in arrays.iter_mut().enumerate() {
            if j != columns.text {
                *array = arrow_select::filter::filter(array.as_ref(), &predicate)?;
            }
        }
    }
    arrays[columns.text] = clean.finish();
    if let (Some(at), Some(notes)) = (columns.annotation, notes) {
        let notes = notes.finish()?;
        if at < arrays.len() {
            arrays[at] = notes;
        } else {
            arrays.push(notes);
        }
    }
    out.batch = RecordBatch::try_new(columns.output.clone(), arrays)?;
    Ok(out)
}

/// The text column, whichever of the string types it has.
enum Texts<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Texts<'a> {
    fn of(array: &'a dyn Array, t: TextType) -> Result<Texts<'a>, ArrowError> {
        let wrong = || ArrowError::SchemaError(format!("a text column of {}", array.data_type()));
        Ok(match t {
            TextType::Utf8 => Texts::Utf8(array.as_string_opt::<i32>().ok_or_else(wrong)?),
            TextType::LargeUtf8 => Texts::Large(array.as_string_opt::<i64>().ok_or_else(wrong)?),
            TextType::Utf8View => Texts::View(array.as_string_view_opt().ok_or_else(wrong)?),
        })
    }

    fn value(&self, i: usize) -> Option<&'a str> {
        match self {
            Texts::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Texts::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Texts::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }

    /// Bytes of text, about (for the output's capacity).
    fn bytes(&self) -> usize {
        match self {
            Texts::Utf8(a) => a.value_data().len(),
            Texts::Large(a) => a.value_data().len(),
            Texts::View(a) => a.len() * 64,
        }
    }
}

/// The clean text column, built in the input's string type.
enum TextBuilder {
    Utf8(GenericStringBuilder<i32>),
    Large(GenericStringBuilder<i64>),
    View(StringViewBuilder),
}

impl TextBuilder {
    fn new(t: TextType, rows: usize, bytes: usize) -> TextBuilder {
        match t {
            TextType::Utf8 => TextBuilder::Utf8(GenericStringBuilder::with_capacity(rows, bytes)),
            TextType::LargeUtf8 => {
                TextBuilder::Large(GenericStringBuilder::with_capacity(rows, bytes))
            }
            TextType::Utf8View => TextBuilder::View(StringViewBuilder::with_capacity(rows)),
        }
    }

    fn append(&mut self, text: Option<&str>) {
        match self {
            TextBuilder::Utf8(b) => b.append_option(text),
            TextBuilder::Large(b) => b.append_option(text),
            TextBuilder::View(b) => b.append_option(text),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            TextBuilder::Utf8(mut b) => Arc::new(b.finish()),
            TextBuilder::Large(mut b) => Arc::new(b.finish()),
            TextBuilder::View(mut b) => Arc::new(b.finish()),
        }
    }
}

/// The annotation column, row by row: null for the rows that were not
/// cleaned (as a JSONL record with a blank text gets no annotation).
struct Notes {
    lines: Vec<i64>,
    chars: Vec<i64>,
    rules: ListBuilder<StringBuilder>,
    flagged: Vec<bool>,
    reverted: Vec<bool>,
    valid: Vec<bool>,
}

impl Notes {
    fn with_capacity(n: usize) -> Notes {
        Notes {
            lines: Vec::with_capacity(n),
            chars: Vec::with_capacity(n),
            rules: ListBuilder::with_capacity(StringBuilder::new(), n).with_field(rule_item()),
            flagged: Vec::with_capacity(n),
            reverted: Vec::with_capacity(n),
            valid: Vec::with_capacity(n),
        }
    }

    /// One row's annotation, as the document path makes it for JSONL.
    fn push(&mut self, note: Option<&serde_json::Value>) {
        let Some(note) = note else {
            return self.push_null();
        };
        let count = |key: &str| note[key].as_i64().unwrap_or(0);
        let flag = |key: &str| note[key].as_bool().unwrap_or(false);
        self.lines.push(count("dropped_lines"));
        self.chars.push(count("dropped_chars"));
        for rule in note["rules"].as_array().into_iter().flatten() {
            self.rules
                .values()
                .append_value(rule.as_str().unwrap_or_default());
        }
        self.rules.append(true);
        self.flagged.push(flag("flagged"));
        self.reverted.push(flag("reverted"));
        self.valid.push(true);
    }

    fn push_null(&mut self) {
        self.lines.push(0);
        self.chars.push(0);
        self.rules.append(true);
        self.flagged.push(false);
        self.reverted.push(false);
        self.valid.push(false);
    }

    fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        let nulls = (!self.valid.iter().all(|v| *v)).then(|| self.valid.into());
        let array = StructArray::try_new(
            annotation_fields(),
            vec![
                Arc::new(Int64Array::from(self.lines)),
                Arc::new(Int64Array::from(self.chars)),
                Arc::new(self.rules.finish()),
                Arc::new(BooleanArray::from(self.flagged)),
                Arc::new(BooleanArray::from(self.reverted)),
            ],
            nulls,
        )?;
        Ok(Arc::new(array))
    }
}

/// A row's id as a name: a string, or an integer's digits.
fn id_at(column: &dyn Array, i: usize) -> Option<String> {
    if column.is_null(i) {
        return None;
    }
    macro_rules! int {
        ($t:ty) => {
            Some(column.as_primitive::<$t>().value(i).to_string())
        };
    }
    match column.data_type() {
        DataType::Utf8 => Some(column.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Some(column.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Some(column.as_string_view().value(i).to_string()),
        DataType::Int8 => int!(Int8Type),
        DataType::Int16 => int!(Int16Type),
        DataType::Int32 => int!(Int32Type),
        DataType::Int64 => int!(Int64Type),
        DataType::UInt8 => int!(UInt8Type),
        DataType::UInt16 => int!(UInt16Type),
        DataType::UInt32 => int!(UInt32Type),
        DataType::UInt64 => int!(UInt64Type),
        _ => None,
    }
}

/// Row `i` of `batch` as a JSON object, for the rejects file: every
/// column by name. Nested lists, structs and maps become arrays and
/// objects; bytes are decoded as UTF-8 with U+FFFD; dates, times and
/// decimals are their stored integers; a type without a JSON form is
/// named instead.
pub fn row_json(batch: &RecordBatch, i: usize) -> serde_json::Map<String, serde_json::Value> {
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().clone(), value_json(c.as_ref(), i)))
        .collect()
}

fn value_json(array: &dyn Array, i: usize) -> serde_json::Value {
    use arrow_array::types::*;
    use serde_json::{Value, json};
    if array.is_null(i) {
        return Value::Null;
    }
    macro_rules! prim {
        ($t:ty) => {
            json!(array.as_primitive::<$t>().value(i))
        };
    }
    let list = |values: ArrayRef| -> Value {
        Value::Array(
            (0..values.len())
                .map(|j| value_json(values.as_ref(), j))
                .collect(),
        )
    };
    match array.data_type() {
        DataType::Boolean => json!(array.as_boolean().value(i)),
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Float16 => json!(array.as_primitive::<Float16Type>().value(i).to_f64()),
        DataType::Float32 => prim!(Float32Type),
        DataType::Float64 => prim!(Float64Type),
        DataType::Date32
        | DataType::Date64
        | DataType::Time32(_)
        | DataType::Time64(_)
        | DataType::Timestamp(_, _)
        | DataType::Duration(_) => {
            let data = array.to_data();
            let at = data.offset() + i;
            match array.data_type().primitive_width() {
                Some(4) => json!(data.buffers()[0].typed_data::<i32>()[at]),
                _ => json!(data.buffers()[0].typed_data::<i64>()[at]),
            }
        }
        DataType::Decimal128(_, _) => {
            json!(array.as_primitive::<Decimal128Type>().value(i).to_string())
        }
        DataType::Utf8 => json!(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => json!(array.as_string::<i64>().value(i)),
        DataType::Utf8View => json!(array.as_string_view().value(i)),
        DataType::Binary => json!(String::from_utf8_lossy(array.as_binary::<i32>().value(i))),
        DataType::LargeBinary => json!(String::from_utf8_lossy(array.as_binary::<i64>().value(i))),
        DataType::BinaryView => json!(String::from_utf8_lossy(array.as_binary_view().value(i))),
        DataType::FixedSizeBinary(_) => {
            json!(String::from_utf8_lossy(
                array.as_fixed_size_binary().value(i)
            ))
        }
        DataType::List(_) => list(array.as_list::<i32>().value(i)),
        DataType::LargeList(_) => list(array.as_list::<i64>().value(i)),
        DataType::FixedSizeList(_, _) => list(array.as_fixed_size_list().value(i)),
        DataType::Struct(fields) => {
            let s = array.as_struct();
            Value::Object(
                fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (f.name().clone(), value_json(c.as_ref(), i)))
                    .collect(),
            )
        }
        DataType::Map(_, _) => {
            let entries = array.as_map().value(i);
            let (keys, values) = (entries.column(0), entries.column(1));
            let pairs = (0..entries.len())
                .map(|j| (value_json(keys.as_ref(), j), value_json(values.as_ref(), j)));
            if keys.data_type() == &DataType::Utf8 {
                Value::Object(
                    pairs
                        .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v))
                        .collect(),
                )
            } else {
                Value::Array(pairs.map(|(k, v)| json!([k, v])).collect())
            }
        }
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let key = dict.normalized_keys()[i];
            value_json(dict.values().as_ref(), key)
        }
        other => json!(format!("<{other}>")),
    }
}
