"""Throughput of sapu.Cleaner.clean_batch from Python against the CLI on
the same texts.

    cargo build --release --bin sapu
    cargo run --release --example gen_corpus -- --out bench/out/gen --mb 50
    python/.venv/bin/python python/bench.py bench/out/gen/corpus.jsonl

Each figure is the median of --runs runs, in MB of text (the UTF-8 bytes
of the `text` fields) per second of wall time. The CLI run is a whole
process: `sapu clean --format jsonl -j N FILE -o OUT` (reading, JSON
parsing and writing included). The Python run is one `clean_batch` call
on a list of str already in memory (conversion to and from Python str
included); loading the JSONL into Python is timed apart.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Import the installed wheel, not python/sapu/ next to this script (it has
# no native module until built).
sys.path = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import sapu  # noqa: E402


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="JSONL file with a `text` field")
    parser.add_argument("--sapu", default=str(REPO / "target/release/sapu"), help="the CLI (release build)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    with open(args.corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    load = time.perf_counter() - start
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    file_mb = os.path.getsize(args.corpus) / 1e6
    cleaner = sapu.Cleaner()
    print(f"corpus: {args.corpus}: {len(texts)} documents, {mb:.1f} MB of text ({file_mb:.1f} MB JSONL)")
    print(f"loading the JSONL into Python (json.loads per line): {load:.2f} s ({file_mb / load:.0f} MB/s)")
    print()
    print("| threads | CLI `sapu clean --format jsonl` | Python `clean_batch` | ratio Python/CLI |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        for n in args.threads:
            cmd = [args.sapu, "clean", "--format", "jsonl", "-q", "-j", str(n), args.corpus, "-o", out]
            cli = median_time(lambda: subprocess.run(cmd, check=True), args.runs)
            py = median_time(lambda: cleaner.clean_batch(texts, threads=n), args.runs)
            print(f"| {n} | {mb / cli:.1f} MB/s ({cli:.2f} s) | {mb / py:.1f} MB/s ({py:.2f} s) | {cli / py:.2f} |")
        # Same output as the CLI on these texts.
        with open(out, encoding="utf-8") as f:
            cli_texts = [json.loads(line)["text"] for line in f if line.strip()]
    same = cli_texts == cleaner.clean_batch(texts)
    one = median_time(lambda: [cleaner.clean(t) for t in texts], 1)
    print()
    print(f"Python `clean` one text at a time, one thread: {mb / one:.1f} MB/s ({one:.2f} s)")
    print(f"clean_batch output equals the CLI's: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
