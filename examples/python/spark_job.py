"""Clean a JSONL or Parquet dataset with PySpark and sapu, four ways.

    pip install 'sapu[spark]'        # or the wheel python/test.sh builds
    python examples/python/spark_job.py crawl/ clean/                # in process, raw lines
    python examples/python/spark_job.py crawl/ clean/ --dataframe    # in process, parsed rows
    python examples/python/spark_job.py crawl/ clean/ --pipe --sapu target/release/sapu
    python examples/python/spark_job.py crawl-parquet/ clean/ --parquet  # Parquet, in process

In process on raw lines (default): Spark reads the files as text, and
`mapInArrow` hands each partition's lines to one Cleaner per Python worker,
which cleans each record as `sapu clean --format jsonl --annotate` does
(every other field keeps its bytes; no schema); written with
`DataFrame.write.text`. With --dataframe: Spark parses the JSON into
columns, `mapInPandas` cleans the text column, and the result is written
with `DataFrame.write.json` (a `sapu` column holds the dropped-line
counts). With --pipe: the JVM streams each partition's lines through one
`sapu clean --format jsonl -` process (every other field keeps its bytes)
and writes them with saveAsTextFile. With --parquet: Spark reads the
Parquet files (`spark.read.parquet`), `mapInArrow` hands each Arrow batch
to `Cleaner.clean_arrow`, which cleans the text column as `sapu clean`
cleans a Parquet file's and passes every other column on untouched, and
the result is written with `DataFrame.write.parquet` (a `sapu` struct
column holds the dropped-line counts). Spark divides the input files into
partitions, one task per core; OUTPUT must not exist yet.
"""

import argparse
import os
import sys

from sapu.spark import clean_arrow_dataframe, clean_dataframe, clean_jsonl_text, pipe_jsonl


def session(master: str = "local[2]"):
    """A local SparkSession whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("sapu")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def run(
    spark,
    input_path: str,
    output: str,
    pipe: bool = False,
    sapu: str = "sapu",
    dataframe: bool = False,
    parquet: bool = False,
) -> None:
    if parquet:
        clean_arrow_dataframe(spark.read.parquet(input_path), annotate=True).write.parquet(output)
    elif pipe:
        pipe_jsonl(spark.sparkContext, input_path, output, sapu=sapu)
    elif not dataframe:
        clean_jsonl_text(spark.read.text(input_path), annotate=True).write.text(output)
    else:
        df = spark.read.json(input_path)
        clean_dataframe(df, annotate=True).write.json(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="JSONL (or Parquet) file, directory or glob (records with a `text` field)")
    parser.add_argument("output", help="output directory (must not exist)")
    parser.add_argument("--pipe", action="store_true", help="through the sapu CLI instead of in process")
    parser.add_argument("--dataframe", action="store_true", help="in process on parsed rows (mapInPandas)")
    parser.add_argument("--parquet", action="store_true", help="read and write Parquet, in process (mapInArrow)")
    parser.add_argument("--sapu", default="sapu", help="the sapu binary for --pipe (default: sapu on PATH)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    args = parser.parse_args()
    spark = session(args.master)
    try:
        run(
            spark,
            args.input,
            args.output,
            pipe=args.pipe,
            sapu=args.sapu,
            dataframe=args.dataframe,
            parquet=args.parquet,
        )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
