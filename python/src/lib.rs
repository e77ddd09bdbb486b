//! The native part of the `sapu` Python package (`sapu._sapu`): a
//! `Cleaner` holding compiled rules, cleaning one text or a batch on rayon
//! with the GIL released. The Python side (`python/sapu/`) re-exports it and
//! adds the engine integrations.

mod arrow;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};

use pyo3::exceptions::{PyTypeError, PyUnicodeWarning, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3::{IntoPyObjectExt, create_exception};
use rayon::prelude::*;

use sapu::CleanOptions;
use sapu::corpus::{Fields, LineOutcome, LineSettings, Record, RecordError, clean_line, split_bom};
use sapu::document::{Layout, Processed, Wants, process};
use sapu::output::count;
use sapu::output::stats::Stats;
use sapu::rules::{CompileOptions, RuleErrors, RuleSet, RuleSource, compile_sources, load_paths};

// Both are created in module `sapu` (re-exported by `sapu/__init__.py`),
// not `sapu._sapu`'s short name `_sapu`, which pickle could not import: a
// RuleError raised in an engine's worker reached the driver as a
// PicklingError, its message lost.
create_exception!(
    sapu,
    RuleError,
    PyValueError,
    "A rule file could not be read or compiled. The message holds one line per problem, \
     each naming the file, the line and the rule id, as `sapu` prints them."
);

create_exception!(
    sapu,
    BadRecordWarning,
    PyUserWarning,
    "Cleaner.clean_jsonl skipped lines that are not records sapu can clean \
     (on_error=\"skip\", the default, as `sapu clean` skips them): their outputs are None."
);

/// A list of texts. One `str` is refused with a message that says what to
/// do (it is a sequence too, and pyo3's own message was \"Can't extract
/// `str` to `Vec`\").
fn text_list(texts: &Bound<'_, PyAny>, what: &str, one: &str) -> PyResult<Vec<String>> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}: give a list of str, not one str; for one text, call {one}"
        )));
    }
    texts
        .extract::<Vec<String>>()
        .map_err(|e| PyTypeError::new_err(format!("{what}: give a list of str ({e})")))
}

/// One input of `clean_jsonl`, as given.
enum Line {
    Missing,
    Text(String),
    Bytes(Vec<u8>),
}

impl Line {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Line::Missing => None,
            Line::Text(s) => Some(s.as_bytes()),
            Line::Bytes(b) => Some(b),
        }
    }
}

/// What `clean_jsonl` does with one line.
enum Outcome {
    /// Given back as it came (None, a blank line, a blank text).
    Same,
    /// The clean line, and the unpaired surrogate escapes of its text
    /// read as U+FFFD.
    Clean(Vec<u8>, usize),
    Bad(RecordError),
}

/// Everything a `Cleaner` is made from. Kept so that a pickled cleaner
/// carries the text of its rule files, not their paths: a worker on
/// another machine compiles the same rules.
#[derive(Clone)]
struct Recipe {
    /// User rule files, in load order: (name, text).
    sources: Vec<(String, String)>,
    default_rules: bool,
    disable: Vec<String>,
    max_removed: Option<f64>,
    flag_removed: f64,
}

impl Recipe {
    fn compile(&self) -> Result<RuleSet, RuleErrors> {
        let sources: Vec<RuleSource> = self
            .sources
            .iter()
            .map(|(name, text)| RuleSource {
                name: name.clone(),
                text: text.clone(),
            })
            .collect();
        compile_sources(
            self.default_rules,
            &sources,
            CompileOptions {
                disable: self.disable.clone(),
                ..CompileOptions::default()
            },
        )
    }
}

fn rule_error(errors: RuleErrors) -> PyErr {
    RuleError::new_err(errors.to_string())
}

/// Rule paths as given: `None`, one path, or a sequence of paths.
fn rule_paths(rules: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(rules) = rules else {
        return Ok(Vec::new());
    };
    if rules.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(one) = rules.extract::<PathBuf>() {
        return Ok(vec![one]);
    }
    rules.extract::<Vec<PathBuf>>().map_err(|_| {
        PyTypeError::new_err(
            "rules: give a path (str or os.PathLike) to a .toml rule file or a directory of them, \
             or a list of such paths",
        )
    })
}

/// Thread pools by size, built on first use and kept: building a pool per
/// call would cost more than cleaning a small batch.
static POOLS: LazyLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    let mut pools = POOLS
        .lock()
        .map_err(|_| PyValueError::new_err("sapu: the thread pool registry is poisoned"))?;
    if let Some(pool) = pools.get(&threads) {
        return Ok(pool.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("sapu-{i}"))
        .build()
        .map_err(|e| PyValueError::new_err(format!("cannot start {threads} threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.insert(threads, pool.clone());
    Ok(pool)
}

/// Compiled sapu rules: clean texts, explain what was dropped.
///
/// Cleaner(rules=None, default_rules=True, disable=(), max_removed=None, flag_removed=0.6)
///
/// rules: a .toml rule file, a directory of them, or a list of such paths,
///     added to the embedded default rules (as `sapu clean --rules`).
/// default_rules: load the embedded rules (False: `--no-default-rules`).
/// disable: rule ids to turn off (`--disable`); an unknown id is an error.
/// max_removed: leave texts that would lose more than this share of their
///     characters normalized but uncut (`--max-removed`).
/// flag_removed: flag texts losing more than this share (`--flag-removed`).
///
/// The rules are compiled once, here; bad rules raise `sapu.RuleError`
/// with the messages of the command line. A Cleaner is picklable: it keeps
/// the text of its rule files and compiles them again where it is
/// unpickled. It is safe to share between threads.
#[pyclass(module = "sapu._sapu", frozen)]
struct Cleaner {
    recipe: Recipe,
    rules: Arc<RuleSet>,
}

impl Cleaner {
    fn from_recipe(recipe: Recipe) -> PyResult<Cleaner> {
        let rules = recipe.compile().map_err(rule_error)?;
        Ok(Cleaner {
            recipe,
            rules: Arc::new(rules),
        })
    }

    fn options(&self) -> CleanOptions {
        CleanOptions {
            flag_removed: self.recipe.flag_removed,
            max_removed: self.recipe.max_removed,
            ..CleanOptions::default()
        }
    }

    /// Cleans one text as `sapu clean --format jsonl` cleans a record's
    /// text field (no final newline; a blank text is left as it is).
    fn process(&self, cleaner: &sapu::Cleaner, text: &str, wants: Wants) -> Processed {
        process(
            cleaner,
            "",
            text,
            Layout::Field,
            wants,
            &mut Stats::default(),
        )
    }

    /// One record batch through `clean_arrow`: its rows cleaned in slices
    /// on `threads`, the text column put together again.
    fn clean_arrow_batch(
        &self,
        py: Python<'_>,
        options: &arrow::Options,
        columns: &sapu::corpus::arrow::Columns,
        batch: &arrow_array::RecordBatch,
        threads: Option<usize>,
    ) -> PyResult<arrow_array::RecordBatch> {
        let slices = arrow::slices(batch, threads);
        let cleaned = self
            .map_batch(py, &slices, threads, |c, slice| {
                options.clean_slice(c, columns, slice)
            })?
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .and_then(|cleaned| arrow::assemble(batch, columns, cleaned))
            .map_err(|e| PyValueError::new_err(format!("clean_arrow: {e}")))?;
        Ok(cleaned)
    }

    fn annotated(&self, cleaner: &sapu::Cleaner, text: &str) -> (String, serde_json::Value) {
        let wants = Wants {
            annotate: true,
            explain: false,
        };
        let done = self.process(cleaner, text, wants);
        // Asked for, so present.
        (done.text, done.annotation.unwrap_or_default())
    }

    /// Runs `work` over `texts` with the GIL released: in the calling
    /// thread for one thread, else on a rayon pool.
    fn map_batch<I: Sync, T: Send>(
        &self,
        py: Python<'_>,
        texts: &[I],
        threads: Option<usize>,
        work: impl Fn(&sapu::Cleaner, &I) -> T + Sync,
    ) -> PyResult<Vec<T>> {
        let cleaner = sapu::Cleaner::new(&self.rules, self.options());
        let run = || -> Vec<T> {
            texts
                .par_iter()
                .with_min_len(4)
                .map(|t| work(&cleaner, t))
                .collect()
        };
        match threads {
            Some(0) => Err(PyValueError::new_err(
                "threads: give 1 or more, or None for all cores",
            )),
            Some(1) => Ok(py.detach(|| texts.iter().map(|t| work(&cleaner, t)).collect())),
            Some(n) => {
                let pool = pool(n)?;
                Ok(py.detach(|| pool.install(run)))
            }
            None => Ok(py.detach(run)),
        }
    }
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (rules=None, default_rules=true, disable=Vec::new(), max_removed=None, flag_removed=0.6))]
    fn new(
        rules: Option<&Bound<'_, PyAny>>,
        default_rules: bool,
        disable: Vec<String>,
        max_removed: Option<f64>,
        flag_removed: f64,
    ) -> PyResult<Cleaner> {
        for (name, share) in [
            ("max_removed", max_removed),
            ("flag_removed", Some(flag_removed)),
        ] {
            if let Some(s) = share
                && !(0.0..=1.0).contains(&s)
            {
                return Err(PyValueError::new_err(format!(
                    "{name}: a share of the characters between 0 and 1, not {s}"
                )));
            }
        }
        let paths = rule_paths(rules)?;
        let sources = load_paths(&paths).map_err(rule_error)?;
        Cleaner::from_recipe(Recipe {
            sources: sources.into_iter().map(|s| (s.name, s.text)).collect(),
            default_rules,
            disable,
            max_removed,
            flag_removed,
        })
    }

    /// clean(text) -> str
    ///
    /// The clean text, as `sapu clean --format jsonl` writes it into a
    /// record: normalized, boilerplate lines dropped, without a final
    /// newline. A blank text is returned as it is.
    fn clean(&self, py: Python<'_>, text: String) -> String {
        let cleaner = sapu::Cleaner::new(&self.rules, self.options());
        py.detach(|| self.process(&cleaner, &text, Wants::default()).text)
    }

    /// clean_batch(texts, threads=None) -> list[str]
    ///
    /// `clean` of each text, in order, cleaned in parallel with the GIL
    /// released. threads: None for all cores, or how many threads to use
    /// (pools are kept per size).
    #[pyo3(signature = (texts, threads=None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let texts = text_list(texts, "texts", "clean(text)")?;
        self.map_batch(py, &texts, threads, |c, t| {
            self.process(c, t, Wants::default()).text
        })
    }

    /// annotate(text) -> tuple[str, dict]
    ///
    /// The clean text and what was done to it: the `"sapu"` object of
    /// `sapu clean --annotate` (`dropped_lines`, `dropped_chars`, `rules`,
    /// and `flagged` / `reverted` when true).
    fn annotate<'py>(&self, py: Python<'py>, text: String) -> PyResult<Bound<'py, PyTuple>> {
        let cleaner = sapu::Cleaner::new(&self.rules, self.options());
        let (clean, note) = py.detach(|| self.annotated(&cleaner, &text));
        PyTuple::new(py, [clean.into_bound_py_any(py)?, to_py(py, &note)?])
    }

    /// annotate_batch(texts, threads=None) -> list[tuple[str, dict]]
    ///
    /// `annotate` of each text, in order, in parallel with the GIL
    /// released.
    #[pyo3(signature = (texts, threads=None))]
    fn annotate_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let texts = text_list(texts, "texts", "annotate(text)")?;
        let done = self.map_batch(py, &texts, threads, |c, t| self.annotated(c, t))?;
        let items = done
            .into_iter()
            .map(|(clean, note)| {
                PyTuple::new(py, [clean.into_bound_py_any(py)?, to_py(py, &note)?])
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// clean_jsonl(lines, text_field="text", id_field="id", annotate=False, on_error="skip", threads=None) -> list[str | bytes | None]
    ///
    /// Cleans JSON Lines records as `sapu clean --format jsonl` does, one
    /// line (without its newline; str or bytes) in, one line out of the
    /// same type, in order: the clean text is spliced into the raw line, so
    /// every other field keeps its bytes and key order; with `annotate`,
    /// the `"sapu"` object of `--annotate` is added. A record with a blank
    /// text, a blank line and None come back as they went in (one output
    /// per input, for Arrow batches). A line that is not a record sapu can
    /// clean (malformed JSON, no text field, a text that is not a string,
    /// invalid UTF-8) is handled as `on_error` says: "skip" (the default,
    /// as the CLI's default) gives None in its place, where the CLI leaves
    /// it out (the input line at that index is what `--rejects` would
    /// hold), with one `sapu.BadRecordWarning` per call counting them and
    /// naming the first; "raise" raises ValueError naming its index and the
    /// problem; "keep" gives it back unchanged (nothing is cleaned in it).
    /// A text with unpaired UTF-16 surrogate escapes (`\ud83d` alone) is
    /// cleaned with each read as U+FFFD, with one `UnicodeWarning` per call
    /// counting such records, as the CLI warns of each.
    #[pyo3(signature = (lines, text_field="text".to_string(), id_field="id".to_string(), annotate=false, on_error="skip".to_string(), threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn clean_jsonl<'py>(
        &self,
        py: Python<'py>,
        lines: &Bound<'py, PyAny>,
        text_field: String,
        id_field: String,
        annotate: bool,
        on_error: String,
        threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        #[derive(PartialEq)]
        enum OnError {
            Skip,
            Raise,
            Keep,
        }
        let on_error = match on_error.as_str() {
            "skip" => OnError::Skip,
            "raise" => OnError::Raise,
            "keep" => OnError::Keep,
            other => {
                return Err(PyValueError::new_err(format!(
                    "on_error: \"skip\", \"raise\" or \"keep\", not {other:?}"
                )));
            }
        };
        if lines.is_instance_of::<PyString>() || lines.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err(
                "lines: give a list of JSON Lines records (str or bytes), not one; \
                 for one record, pass [line]",
            ));
        }
        let items: Vec<Bound<'py, PyAny>> = lines
            .try_iter()
            .map_err(|_| PyTypeError::new_err("lines: give a list of str, bytes or None"))?
            .collect::<PyResult<_>>()?;
        let parsed = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if item.is_none() {
                    Ok(Line::Missing)
                } else if let Ok(s) = item.cast::<PyString>() {
                    Ok(Line::Text(s.extract::<String>()?))
                } else if let Ok(b) = item.cast::<PyBytes>() {
                    Ok(Line::Bytes(b.as_bytes().to_vec()))
                } else {
                    Err(PyTypeError::new_err(format!(
                        "line {i} of the batch: str, bytes or None, not {}",
                        item.get_type().name()?
                    )))
                }
            })
            .collect::<PyResult<Vec<Line>>>()?;
        let fields = Fields {
            text: text_field,
            id: id_field,
        };
        if let Some(clash) = fields.annotation_clash(annotate) {
            return Err(PyValueError::new_err(format!("text_field: {clash}")));
        }
        // Where the batch's first line is (a BOM is kept before it alone).
        let first_line = parsed
            .first()
            .and_then(Line::bytes)
            .map(|b| b.as_ptr() as usize);
        let done = self.map_batch(py, &parsed, threads, |c, line| {
            let Some(line) = line.bytes() else {
                return Outcome::Same;
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                return Outcome::Same;
            }
            // As `sapu clean` keeps one before a shard's first record.
            let (bom, line) = split_bom(line, first_line == Some(line.as_ptr() as usize));
            let settings = LineSettings {
                cleaner: c,
                fields: &fields,
                wants: Wants {
                    annotate,
                    explain: false,
                },
                passthrough: false,
            };
            let mut out = Vec::with_capacity(line.len());
            let no_name = |_: &Record| String::new();
            let repaired = match clean_line(
                &settings,
                bom,
                line,
                &no_name,
                &mut Stats::default(),
                &mut out,
            ) {
                LineOutcome::Rejected(e) => return Outcome::Bad(e),
                LineOutcome::EmptyText { .. } => return Outcome::Same,
                LineOutcome::Cleaned { repaired, .. } => repaired,
            };
            // `clean_line` ends the record with its newline; a line here has none.
            if out.last() == Some(&b'\n') {
                out.pop();
            }
            Outcome::Clean(out, repaired)
        })?;
        let mut skipped = 0usize;
        let mut first_skipped = String::new();
        let (mut repaired_lines, mut first_repaired) = (0usize, 0usize);
        let mut results = Vec::with_capacity(done.len());
        for (i, ((item, line), outcome)) in items.iter().zip(&parsed).zip(done).enumerate() {
            let result = match outcome {
                Outcome::Same => item.clone(),
                Outcome::Clean(out, repaired) => {
                    if repaired > 0 {
                        if repaired_lines == 0 {
                            first_repaired = i;
                        }
                        repaired_lines += 1;
                    }
                    match line {
                        Line::Bytes(_) => PyBytes::new(py, &out).into_any(),
                        // A str record is UTF-8, and so is the clean text
                        // spliced into it.
                        _ => String::from_utf8(out)
                            .map_err(|e| PyValueError::new_err(format!("line {i}: {e}")))?
                            .into_bound_py_any(py)?,
                    }
                }
                Outcome::Bad(e) => match on_error {
                    OnError::Raise => {
                        let hint = match e {
                            RecordError::MissingText(_) => {
                                " (choose the field with text_field=...)"
                            }
                            _ => "",
                        };
                        return Err(PyValueError::new_err(format!(
                            "line {i} of the batch: {e}{hint}"
                        )));
                    }
                    OnError::Keep => item.clone(),
                    OnError::Skip => {
                        if skipped == 0 {
                            first_skipped = format!("line {i} of the batch: {e}");
                        }
                        skipped += 1;
                        py.None().into_bound(py)
                    }
                },
            };
            results.push(result);
        }
        if skipped > 0 {
            let message = format!(
                "sapu: {} skipped, None in {} place (on_error=\"skip\"); \
                 the first: {first_skipped}",
                count(skipped as u64, "bad line", "bad lines"),
                if skipped == 1 { "its" } else { "their" },
            );
            let message = std::ffi::CString::new(message.replace('\0', " "))
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            PyErr::warn(py, &py.get_type::<BadRecordWarning>(), &message, 1)?;
        }
        if repaired_lines > 0 {
            let message = format!(
                "sapu: {} with unpaired UTF-16 surrogate escapes such as \\ud800 \
                 (not characters) in the text, cleaned with each read as U+FFFD; the first: \
                 line {first_repaired} of the batch",
                count(repaired_lines as u64, "record", "records"),
            );
            let message = std::ffi::CString::new(message)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            PyErr::warn(py, &py.get_type::<PyUnicodeWarning>(), &message, 1)?;
        }
        Ok(results)
    }

    /// clean_arrow(data, text_field="text", annotate=False, threads=None) -> pyarrow.RecordBatch | pyarrow.Table
    ///
    /// Cleans the text column of a pyarrow RecordBatch (a RecordBatch
    /// back) or Table (a Table back; also a RecordBatchReader, or any
    /// object with the Arrow PyCapsule interface) as `sapu clean` cleans a
    /// Parquet file's: each text as `clean` cleans it, null texts left
    /// null, blank ones as they are; every other column, its type and the
    /// schema's metadata kept. The data comes in through the Arrow C data
    /// interface without a copy, and the columns other than the text go
    /// back the same way, not copied. With `annotate`, a struct column
    /// `sapu` (dropped_lines, dropped_chars, rules, flagged, reverted; null
    /// where nothing was cleaned) is added, or replaces one of that name.
    /// A missing or non-string text column raises ValueError. threads: as
    /// for `clean_batch`.
    #[pyo3(signature = (data, text_field="text".to_string(), annotate=false, threads=None))]
    fn clean_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        text_field: String,
        annotate: bool,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let given = arrow::import(data)?;
        let options = arrow::Options {
            fields: Fields {
                text: text_field,
                ..Fields::default()
            },
            annotate,
        };
        if let Some(clash) = options.fields.annotation_clash(annotate) {
            return Err(PyValueError::new_err(format!("text_field: {clash}")));
        }
        match given {
            arrow::Given::Batch(batch) => {
                let columns = options.columns(&batch.schema())?;
                let out = self.clean_arrow_batch(py, &options, &columns, &batch, threads)?;
                arrow::ArrowExport::batch(py, out)
            }
            arrow::Given::Table(schema, batches) => {
                let columns = options.columns(&schema)?;
                let out = batches
                    .iter()
                    .map(|b| self.clean_arrow_batch(py, &options, &columns, b, threads))
                    .collect::<PyResult<Vec<_>>>()?;
                arrow::ArrowExport::table(py, columns.output_schema().clone(), out)
            }
        }
    }

    /// explain(text, doc=None) -> list[dict]
    ///
    /// One dict per dropped or rewritten line, in line order, with the
    /// fields of `sapu clean --explain`: `line` (1-based, in the text),
    /// `action` ("drop" or "rewrite"), `rule` (its id), `kind`, `reason`,
    /// `text` (the line), `to` (for a rewrite) and `applied`; then a
    /// `"flag"` record when the text loses more than `flag_removed`. With
    /// `doc`, each record names it in a `doc` field, as the CLI does.
    #[pyo3(signature = (text, doc=None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        text: String,
        doc: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let cleaner = sapu::Cleaner::new(&self.rules, self.options());
        let records = py.detach(|| {
            let wants = Wants {
                explain: true,
                annotate: false,
            };
            let name = doc.as_deref().unwrap_or("");
            let done = process(
                &cleaner,
                name,
                &text,
                Layout::Field,
                wants,
                &mut Stats::default(),
            );
            let mut records = done.explain;
            if doc.is_none() {
                for r in &mut records {
                    if let Some(map) = r.as_object_mut() {
                        map.shift_remove("doc");
                    }
                }
            }
            records
        });
        let items = records
            .iter()
            .map(|r| to_py(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// rule_ids() -> list[str]
    ///
    /// The ids of the rules in force (after `disable`), in load order.
    fn rule_ids(&self) -> Vec<String> {
        self.rules.rules.iter().map(|r| r.id.clone()).collect()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("sapu._sapu")?.getattr("_restore")?;
        let r = &self.recipe;
        let args = (
            r.sources.clone(),
            r.default_rules,
            r.disable.clone(),
            r.max_removed,
            r.flag_removed,
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [restore, args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "sapu.Cleaner({} rules{}{})",
            self.rules.rules.len(),
            if self.recipe.default_rules {
                ""
            } else {
                ", default_rules=False"
            },
            if self.recipe.sources.is_empty() {
                String::new()
            } else {
                format!(
                    ", rule files: {}",
                    self.recipe
                        .sources
                        .iter()
                        .map(|(name, _)| name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )
    }
}

/// Rebuilds a pickled Cleaner from its rule files' text.
#[pyfunction]
fn _restore(
    sources: Vec<(String, String)>,
    default_rules: bool,
    disable: Vec<String>,
    max_removed: Option<f64>,
    flag_removed: f64,
) -> PyResult<Cleaner> {
    Cleaner::from_recipe(Recipe {
        sources,
        default_rules,
        disable,
        max_removed,
        flag_removed,
    })
}

/// A JSON value as Python objects (dict, list, str, int, float, bool, None).
fn to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py),
            (None, Some(u)) => u.into_bound_py_any(py),
            (None, None) => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py),
        },
        Value::String(s) => s.into_bound_py_any(py),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|v| to_py(py, v))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(PyList::new(py, items)?.into_any())
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            Ok(dict.into_any())
        }
    }
}

#[pymodule]
fn _sapu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_class::<arrow::ArrowExport>()?;
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    m.add("RuleError", m.py().get_type::<RuleError>())?;
    m.add("BadRecordWarning", m.py().get_type::<BadRecordWarning>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
