//! `Cleaner.clean_arrow`: pyarrow record batches and tables in and out
//! through the Arrow C data interface (the `__arrow_c_array__` and
//! `__arrow_c_stream__` capsules), so that no column is copied on the
//! way in and the columns sapu does not touch are not copied on the way
//! out. The text column is cleaned by `sapu::corpus::arrow::clean_rows`,
//! the same function as for Parquet shards.

use std::sync::{Arc, Mutex};

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchIterator, StructArray};
use arrow_schema::{ArrowError, Schema, SchemaRef};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyTuple};

use sapu::corpus::arrow::{Columns, clean_rows};
use sapu::corpus::{Fields, Limits, LineSettings, OnError, Settings};
use sapu::document::Wants;

const SCHEMA: &std::ffi::CStr = c"arrow_schema";
const ARRAY: &std::ffi::CStr = c"arrow_array";
const STREAM: &std::ffi::CStr = c"arrow_array_stream";

/// Rows a worker cleans at a time when a batch is split among threads.
const SLICE_ROWS: usize = 256;

/// What was given to `clean_arrow`, read through the C data interface.
pub enum Given {
    /// A record batch (`__arrow_c_array__`).
    Batch(RecordBatch),
    /// A table or a stream of batches (`__arrow_c_stream__`).
    Table(SchemaRef, Vec<RecordBatch>),
}

fn arrow_error(e: ArrowError) -> PyErr {
    PyValueError::new_err(format!("Arrow: {e}"))
}

/// Reads a pyarrow RecordBatch, Table or RecordBatchReader (or any object
/// with the Arrow PyCapsule interface) without copying its buffers.
pub fn import(data: &Bound<'_, PyAny>) -> PyResult<Given> {
    if data.hasattr("__arrow_c_array__")? {
        let pair = data.call_method0("__arrow_c_array__")?;
        let pair = pair.cast::<PyTuple>()?;
        let schema = pair.get_item(0)?;
        let array = pair.get_item(1)?;
        let (schema, array) = (schema.cast::<PyCapsule>()?, array.cast::<PyCapsule>()?);
        let schema_ptr = schema
            .pointer_checked(Some(SCHEMA))?
            .cast::<FFI_ArrowSchema>();
        let array_ptr = array.pointer_checked(Some(ARRAY))?.cast::<FFI_ArrowArray>();
        // SAFETY: the capsules hold the structs their names say; the array
        // is moved out (its capsule is left released), the schema borrowed
        // while the capsule lives.
        let (schema, data) = unsafe {
            let ffi_schema = schema_ptr.as_ref();
            let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr());
            (
                Schema::try_from(ffi_schema).map_err(arrow_error)?,
                from_ffi(array, ffi_schema).map_err(arrow_error)?,
            )
        };
        let columns = StructArray::from(data);
        if columns.null_count() > 0 {
            return Err(PyValueError::new_err(
                "clean_arrow: a struct array with null rows is not a record batch",
            ));
        }
        let batch = RecordBatch::try_new(Arc::new(schema), columns.columns().to_vec())
            .map_err(arrow_error)?;
        return Ok(Given::Batch(batch));
    }
    if data.hasattr("__arrow_c_stream__")? {
        let capsule = data.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let ptr = capsule
            .pointer_checked(Some(STREAM))?
            .cast::<FFI_ArrowArrayStream>();
        // SAFETY: the capsule holds a stream, moved out here (its capsule
        // is left released).
        let reader = unsafe {
            let stream = FFI_ArrowArrayStream::from_raw(ptr.as_ptr());
            RecordBatchStreamReader::try_new(stream).map_err(arrow_error)?
        };
        let schema = arrow_array::RecordBatchReader::schema(&reader);
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(arrow_error)?;
        return Ok(Given::Table(schema, batches));
    }
    Err(PyTypeError::new_err(format!(
        "clean_arrow: give a pyarrow RecordBatch or Table (or an object with \
         __arrow_c_array__ or __arrow_c_stream__), not {}",
        data.get_type().name()?
    )))
}

/// How `clean_arrow` cleans: the Parquet path's settings, without a size
/// limit, a report or `--explain`.
pub struct Options {
    pub fields: Fields,
    pub annotate: bool,
}

impl Options {
    /// The output columns of batches of `schema`; a schema without a text
    /// column sapu can clean is a `ValueError` that says which.
    pub fn columns(&self, schema: &Schema) -> PyResult<Columns> {
        Columns::find(schema, &self.fields, self.annotate).map_err(|e| {
            PyValueError::new_err(format!(
                "clean_arrow: {e} (choose the text column with text_field=...)"
            ))
        })
    }

    /// Cleans one slice of rows with `cleaner`.
    pub fn clean_slice(
        &self,
        cleaner: &sapu::Cleaner,
        columns: &Columns,
        slice: &RecordBatch,
    ) -> Result<RecordBatch, ArrowError> {
        let settings = Settings {
            line: LineSettings {
                cleaner,
                fields: &self.fields,
                wants: Wants {
                    explain: false,
                    annotate: self.annotate,
                },
                passthrough: false,
            },
            report: None,
            on_error: OnError::Skip,
            limits: Limits {
                max_record_bytes: usize::MAX,
                ..Limits::for_run(1, 1, usize::MAX)
            },
        };
        clean_rows(slice, columns, 0, "", &settings).map(|out| out.batch)
    }
}

/// The slices of `batch` its rows are cleaned in: one for one thread, else
/// [`SLICE_ROWS`] rows each (zero-copy views).
pub fn slices(batch: &RecordBatch, threads: Option<usize>) -> Vec<RecordBatch> {
    let n = batch.num_rows();
    if threads == Some(1) || n <= SLICE_ROWS {
        return vec![batch.clone()];
    }
    (0..n)
        .step_by(SLICE_ROWS)
        .map(|start| batch.slice(start, SLICE_ROWS.min(n - start)))
        .collect()
}

/// The cleaned batch: `batch`'s own columns, but for the text (and the
/// annotation) put together from the cleaned slices.
pub fn assemble(
    batch: &RecordBatch,
    columns: &Columns,
    cleaned: Vec<RecordBatch>,
) -> Result<RecordBatch, ArrowError> {
    let column = |at: usize| -> Result<ArrayRef, ArrowError> {
        if cleaned.len() == 1 {
            return Ok(cleaned[0].column(at).clone());
        }
        let parts: Vec<&dyn Array> = cleaned.iter().map(|b| b.column(at).as_ref()).collect();
        arrow_select::concat::concat(&parts)
    };
    let mut arrays = batch.columns().to_vec();
    arrays[columns.text_index()] = column(columns.text_index())?;
    if let Some(at) = columns.annotation_index() {
        let notes = column(at)?;
        if at < arrays.len() {
            arrays[at] = notes;
        } else {
            arrays.push(notes);
        }
    }
    RecordBatch::try_new(columns.output_schema().clone(), arrays)
}

/// Hands cleaned data to pyarrow through the PyCapsule interface: a
/// record batch (`__arrow_c_array__`) or a stream of them
/// (`__arrow_c_stream__`), taken once.
#[pyclass(module = "sapu._sapu", frozen)]
pub struct ArrowExport {
    array: Mutex<Option<(FFI_ArrowSchema, FFI_ArrowArray)>>,
    stream: Mutex<Option<FFI_ArrowArrayStream>>,
}

impl ArrowExport {
    fn taken() -> PyErr {
        PyValueError::new_err("sapu: this Arrow export was taken already")
    }

    /// `pyarrow.record_batch` of `batch`.
    pub fn batch<'py>(py: Python<'py>, batch: RecordBatch) -> PyResult<Bound<'py, PyAny>> {
        let schema = FFI_ArrowSchema::try_from(batch.schema().as_ref()).map_err(arrow_error)?;
        let array = FFI_ArrowArray::new(&StructArray::from(batch).into_data());
        let export = ArrowExport {
            array: Mutex::new(Some((schema, array))),
            stream: Mutex::new(None),
        };
        py.import("pyarrow")?
            .getattr("record_batch")?
            .call1((Bound::new(py, export)?,))
    }

    /// `pyarrow.table` of `batches`.
    pub fn table<'py>(
        py: Python<'py>,
        schema: SchemaRef,
        batches: Vec<RecordBatch>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
        let export = ArrowExport {
            array: Mutex::new(None),
            stream: Mutex::new(Some(FFI_ArrowArrayStream::new(Box::new(reader)))),
        };
        py.import("pyarrow")?
            .getattr("table")?
            .call1((Bound::new(py, export)?,))
    }
}

#[pymethods]
impl ArrowExport {
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let _ = requested_schema;
        let (schema, array) = self
            .array
            .lock()
            .ok()
            .and_then(|mut a| a.take())
            .ok_or_else(ArrowExport::taken)?;
        let schema = PyCapsule::new_with_value(py, schema, SCHEMA)?;
        let array = PyCapsule::new_with_value(py, array, ARRAY)?;
        PyTuple::new(py, [schema, array])
    }

    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = self
            .stream
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .ok_or_else(ArrowExport::taken)?;
        PyCapsule::new_with_value(py, stream, STREAM)
    }
}
