"""Spark throughput of sapu in a local[2] session: in process
(mapInArrow on raw lines, mapInPandas on parsed rows) against the CLI through the JVM's RDD.pipe, on one JSONL.

    python/.venv/bin/python python/bench_spark.py bench/out/gen/corpus.jsonl

Each job reads the file, cleans it and writes JSON text files; the figure
is MB of JSONL input per second of the job's wall time (session start not
included). Median of --runs runs.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from sapu.spark import clean_dataframe, clean_jsonl_text, pipe_jsonl  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--sapu", default=str(REPO / "target/release/sapu"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("spark_job", REPO / "examples/python/spark_job.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    start = time.perf_counter()
    spark = example.session("local[2]")
    spark.sparkContext.setLogLevel("ERROR")
    print(f"session start: {time.perf_counter() - start:.1f} s")
    mb = os.path.getsize(args.corpus) / 1e6
    # The schema is inferred once, outside the timing: inferring it is a
    # whole extra pass over the file that a production job avoids by
    # giving the schema.
    schema = spark.read.json(args.corpus).schema
    jobs = {
        "mapInArrow on raw lines (sapu package, clean_jsonl_text)": lambda out: clean_jsonl_text(
            spark.read.text(args.corpus)
        ).write.text(out),
        "mapInPandas (sapu package), schema given": lambda out: clean_dataframe(
            spark.read.schema(schema).json(args.corpus)
        ).write.json(out),
        "mapInPandas (sapu package), schema inferred": lambda out: clean_dataframe(
            spark.read.json(args.corpus)
        ).write.json(out),
        "JVM RDD.pipe (sapu CLI)": lambda out: pipe_jsonl(spark.sparkContext, args.corpus, out, sapu=args.sapu, min_partitions=2),
    }
    with tempfile.TemporaryDirectory() as tmp:
        # One untimed job first: the first job of a session also pays for
        # starting the Python workers and compiling the rules in them.
        next(iter(jobs.values()))(os.path.join(tmp, "warm-up"))
        for name, job in jobs.items():
            times = []
            for i in range(args.runs):
                out = os.path.join(tmp, f"{len(os.listdir(tmp))}")
                t = time.perf_counter()
                job(out)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            print(f"| {name} | {mb / med:.1f} MB/s ({med:.2f} s) |")
    spark.stop()


if __name__ == "__main__":
    main()
