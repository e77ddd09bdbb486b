"""sapu in PySpark: in process with mapInPandas, or the CLI through a pipe.

In process (one Cleaner per Python worker, partitions cleaned as Arrow
batches, row order kept):

    from sapu.spark import clean_dataframe
    df = spark.read.json("crawl/*.jsonl")
    clean_dataframe(df, annotate=True).write.json("clean/")

In process on Parquet (or any DataFrame with a string text column), as
`sapu clean` cleans a Parquet file: each Arrow batch's text column cleaned
in Rust, every other column passed through untouched:

    from sapu.spark import clean_arrow_dataframe
    clean_arrow_dataframe(spark.read.parquet("crawl/"), annotate=True).write.parquet("clean/")

In process on the raw lines, as the CLI cleans them (Spark reads and
writes plain text, sapu parses each record in Rust and splices the clean
text into it: every other field keeps its bytes, and no schema is needed):

    from sapu.spark import clean_jsonl_text
    clean_jsonl_text(spark.read.text("crawl/*.jsonl")).write.text("clean/")

Through the CLI, line for line as `sapu clean --format jsonl -` (every
other field keeps its bytes; the JVM streams each partition through one
sapu process):

    from sapu.spark import pipe_jsonl
    pipe_jsonl(spark.sparkContext, "crawl/*.jsonl", "clean/", sapu="/usr/local/bin/sapu")
"""

import os
import shlex
import stat
import tempfile
from collections.abc import Iterator, Sequence
from typing import Optional

from sapu._sapu import Cleaner
from sapu._workers import cleaner_from, ship

__all__ = [
    "annotation_schema",
    "clean_arrow_batches",
    "clean_arrow_dataframe",
    "clean_arrow_lines",
    "clean_dataframe",
    "clean_jsonl_text",
    "clean_pandas_batches",
    "pipe_jsonl",
]


def annotation_schema():
    """The Spark type of the `sapu` column that `annotate=True` adds."""
    from pyspark.sql.types import ArrayType, BooleanType, LongType, StringType, StructField, StructType

    return StructType(
        [
            StructField("dropped_lines", LongType(), False),
            StructField("dropped_chars", LongType(), False),
            StructField("rules", ArrayType(StringType(), False), False),
            StructField("flagged", BooleanType(), False),
            StructField("reverted", BooleanType(), False),
        ]
    )


def clean_pandas_batches(
    shipped: bytes, text_col: str = "text", annotate: bool = False, threads: Optional[int] = 1
):
    """The function for `DataFrame.mapInPandas`: cleans `text_col` of each
    pandas batch with the Cleaner pickled in `shipped` (see
    `sapu._workers.ship`), compiled once per worker process. Null texts
    stay null."""

    def clean(batches: Iterator["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:  # noqa: F821
        cleaner = cleaner_from(shipped)
        for batch in batches:
            texts = batch[text_col]
            present = texts.notna()
            values = texts[present].tolist()
            if annotate:
                done = cleaner.annotate_batch(values, threads=threads)
                clean_texts = [t for t, _ in done]
                notes = [
                    {
                        "dropped_lines": n["dropped_lines"],
                        "dropped_chars": n["dropped_chars"],
                        "rules": n["rules"],
                        "flagged": bool(n.get("flagged", False)),
                        "reverted": bool(n.get("reverted", False)),
                    }
                    for _, n in done
                ]
                column = [None] * len(batch)
                for i, note in zip(present.to_numpy().nonzero()[0], notes):
                    column[i] = note
                batch = batch.assign(sapu=column)
            else:
                clean_texts = cleaner.clean_batch(values, threads=threads)
            out = texts.astype(object).copy()
            out[present] = clean_texts
            batch[text_col] = out
            yield batch

    return clean


def clean_dataframe(
    df,
    cleaner: Optional[Cleaner] = None,
    text_col: str = "text",
    annotate: bool = False,
    threads: Optional[int] = 1,
):
    """`df` with `text_col` cleaned by `cleaner` (default: the embedded
    rules), partition by partition in the Python workers; with
    `annotate`, a `sapu` struct column with the dropped-line counts.
    threads: per Python worker (1: Spark runs one task per core)."""
    from pyspark.sql.types import StructField, StructType

    cleaner = cleaner or Cleaner()
    schema = df.schema
    if annotate:
        fields = [f for f in schema.fields if f.name != "sapu"]
        schema = StructType(fields + [StructField("sapu", annotation_schema(), True)])
        if "sapu" in df.columns:
            df = df.drop("sapu")
    return df.mapInPandas(clean_pandas_batches(ship(cleaner), text_col, annotate, threads), schema)


def clean_arrow_batches(
    shipped: bytes, text_col: str = "text", annotate: bool = False, threads: Optional[int] = 1
):
    """The function for `DataFrame.mapInArrow`: each Arrow batch's
    `text_col` cleaned with `Cleaner.clean_arrow` (as `sapu clean` cleans a
    Parquet file's text column) by the Cleaner pickled in `shipped`,
    compiled once per worker process; every other column is passed on as
    it came. Null texts stay null."""

    def clean(batches):
        cleaner = cleaner_from(shipped)
        for batch in batches:
            yield cleaner.clean_arrow(batch, text_field=text_col, annotate=annotate, threads=threads)

    return clean


def clean_arrow_dataframe(
    df,
    cleaner: Optional[Cleaner] = None,
    text_col: str = "text",
    annotate: bool = False,
    threads: Optional[int] = 1,
):
    """`df` with `text_col` cleaned by `cleaner` (default: the embedded
    rules) with `mapInArrow`, batch by batch in the Python workers,
    partition order and row order kept: the way to clean
    `spark.read.parquet(...)` as `sapu clean` cleans a Parquet file. With
    `annotate`, a `sapu` struct column (`annotation_schema()`) is added,
    or replaces one of that name."""
    from pyspark.sql.types import StructField, StructType

    cleaner = cleaner or Cleaner()
    schema = df.schema
    if annotate:
        fields = [StructField("sapu", annotation_schema(), True) if f.name == "sapu" else f for f in schema.fields]
        if "sapu" not in df.columns:
            fields.append(StructField("sapu", annotation_schema(), True))
        schema = StructType(fields)
    return df.mapInArrow(clean_arrow_batches(ship(cleaner), text_col, annotate, threads), schema)


def clean_arrow_lines(shipped: bytes, column: str = "value", **options):
    """The function for `DataFrame.mapInArrow`: each Arrow batch's string
    `column` holds JSON Lines records, cleaned with `Cleaner.clean_jsonl`
    (keyword `options`: text_field, id_field, annotate, on_error,
    threads) by the Cleaner pickled in `shipped`, one line out per line
    in, except the bad lines skipped with on_error="skip" (the default),
    which are left out as `sapu clean` leaves them out."""

    def clean(batches):
        import pyarrow as pa

        cleaner = cleaner_from(shipped)
        for batch in batches:
            lines = batch.column(column).to_pylist()
            done = cleaner.clean_jsonl(lines, **options)
            # A bad line skipped (None for a line) is left out, as the CLI
            # leaves it out; a null line stays a null line.
            done = [out for out, line in zip(done, lines) if out is not None or line is None]
            yield pa.RecordBatch.from_arrays([pa.array(done, type=pa.string())], names=[column])

    return clean


def clean_jsonl_text(
    df,
    cleaner: Optional[Cleaner] = None,
    column: str = "value",
    text_field: str = "text",
    id_field: str = "id",
    annotate: bool = False,
    on_error: str = "skip",
    threads: Optional[int] = 1,
):
    """`df` (one string column of JSON Lines records, as `spark.read.text`
    gives) with each record cleaned as `sapu clean --format jsonl` cleans
    it, in the Python workers, partition order and row order kept. Write it
    with `.write.text(...)`. A line that is not a record sapu can clean is
    left out with on_error="skip" (the default, as `sapu clean` does; a
    sapu.BadRecordWarning in the worker's log counts them), fails the task
    naming it with "raise", and is passed through unchanged with "keep"."""
    cleaner = cleaner or Cleaner()
    fn = clean_arrow_lines(
        ship(cleaner),
        column,
        text_field=text_field,
        id_field=id_field,
        annotate=annotate,
        on_error=on_error,
        threads=threads,
    )
    return df.select(column).mapInArrow(fn, f"{column} string")


def write_pipe_script(sapu: str, args: Sequence[str] = (), directory: Optional[str] = None) -> str:
    """A shell script running `sapu clean --format jsonl -q ARGS -`. The JVM's
    `RDD.pipe(String)` splits its command on whitespace, so flags (and
    paths with spaces) go into a script. Returns its path."""
    fd, path = tempfile.mkstemp(prefix="sapu-pipe-", suffix=".sh", dir=directory)
    command = " ".join(shlex.quote(a) for a in [sapu, "clean", "--format", "jsonl", "-q", *args, "-"])
    with os.fdopen(fd, "w") as f:
        f.write(f"#!/bin/sh\nexec {command}\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def pipe_jsonl(sc, input_path: str, output_dir: str, sapu: str = "sapu", args: Sequence[str] = (), min_partitions: Optional[int] = None) -> None:
    """Cleans JSONL text files through the sapu CLI with the JVM's
    `RDD.pipe`: each partition's lines stream through one `sapu clean
    --format jsonl -` process, and the output lines are written with
    `saveAsTextFile` (which refuses an existing `output_dir`), in input
    order within each partition. `sapu` must be on the workers' machines
    at that path; the wrapper script is written next to `output_dir`, so
    put that on storage the workers share for a cluster."""
    script = write_pipe_script(sapu, args, directory=os.path.dirname(os.path.abspath(output_dir)) or None)
    try:
        jsc = sc._jsc
        lines = jsc.textFile(input_path, min_partitions or sc.defaultMinPartitions).rdd()
        lines.pipe(script).saveAsTextFile(output_dir)
    finally:
        os.unlink(script)
