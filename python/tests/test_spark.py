"""sapu in PySpark: mapInArrow on raw lines and mapInPandas with the
package, and the CLI through the JVM's RDD.pipe, in one local[2] session
for all cases, against the CLI."""

import importlib.util
import os
import sys

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (python/test.sh installs it)")

import sapu  # noqa: E402
from conftest import REPO, read_jsonl, run_cli  # noqa: E402
from sapu.spark import clean_dataframe, pipe_jsonl  # noqa: E402


def load_example():
    spec = importlib.util.spec_from_file_location("spark_job", REPO / "examples/python/spark_job.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark():
    example = load_example()
    session = example.session("local[2]")
    # Small splits: the little test file becomes several partitions.
    session.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    session.conf.set("spark.sql.files.openCostInBytes", "0")
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def cli_records(sapu_bin, corpus_jsonl):
    done = run_cli(sapu_bin, "clean", "--format", "jsonl", "--annotate", "-q", str(corpus_jsonl))
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().splitlines()


def ids_by_partition(df):
    return df.rdd.mapPartitions(lambda rows: [[r["id"] for r in rows]]).collect()


def test_map_in_pandas_equals_cli(spark, corpus_jsonl, cli_records):
    import json

    expected = {r["id"]: r for r in map(json.loads, cli_records)}
    df = spark.read.json(str(corpus_jsonl))
    assert df.rdd.getNumPartitions() >= 2
    clean = clean_dataframe(df, annotate=True)
    # Same partitions, same order within each.
    before, after = ids_by_partition(df), ids_by_partition(clean)
    assert after == before and sum(map(len, after)) == len(expected)
    rows = clean.collect()
    assert [r["id"] for r in rows] == list(expected)
    for row in rows:
        record = expected[row["id"]]
        assert row["text"] == record["text"], row["id"]
        note = row["sapu"].asDict()
        assert note["dropped_lines"] == record["sapu"]["dropped_lines"]
        assert note["rules"] == record["sapu"]["rules"]
        assert note["flagged"] == record["sapu"].get("flagged", False)
        assert row["url"] == record["url"] and row["n"] == record["n"]


def test_map_in_pandas_ships_user_rules(spark, tmp_path, corpus_jsonl):
    rule_file = tmp_path / "mine.toml"
    rule_file.write_text(
        '[[rule]]\nid = "test.judul"\nkind = "line"\ndescription = "Lines starting with a digit."\n'
        "regex = ['^[0-9]']\nkeep_sentences = false\n"
        'examples.drop = ["1. Sebuah daftar"]\nexamples.keep = ["Sebuah kalimat biasa."]\n',
        encoding="utf-8",
    )
    cleaner = sapu.Cleaner(rules=rule_file, disable=["generic.model"])
    rule_file.unlink()  # the workers get the rule's text, not its path
    df = spark.read.json(str(corpus_jsonl))
    rows = clean_dataframe(df, cleaner=cleaner, annotate=True).collect()
    local = {r["id"]: cleaner.annotate(r["text"]) for r in df.collect()}
    assert any("test.judul" in row["sapu"]["rules"] for row in rows)
    for row in rows:
        assert row["text"] == local[row["id"]][0]


def test_null_texts_stay_null(spark):
    df = spark.createDataFrame([("a", "Baca Juga: x\n\nIsi berita yang panjang dan lengkap sekali hari ini."), ("b", None)], "id string, text string")
    rows = clean_dataframe(df).collect()
    assert rows[0]["text"] == "Isi berita yang panjang dan lengkap sekali hari ini."
    assert rows[1]["text"] is None


def test_jvm_pipe_equals_cli(spark, sapu_bin, corpus_jsonl, cli_records, tmp_path):
    out = tmp_path / "piped"
    pipe_jsonl(spark.sparkContext, str(corpus_jsonl), str(out), sapu=str(sapu_bin), args=["--annotate"], min_partitions=3)
    parts = sorted(out.glob("part-*"))
    assert len(parts) >= 3 and all(p.stat().st_size > 0 for p in parts)
    # Partitions in order, lines in order within each: the CLI's output on the whole file.
    lines = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()]
    assert lines == cli_records
    assert (out / "_SUCCESS").is_file()
    assert not list(tmp_path.glob("sapu-pipe-*.sh"))


def test_example_job_both_ways(spark, sapu_bin, corpus_jsonl, cli_records, tmp_path):
    import json

    example = load_example()
    example.run(spark, str(corpus_jsonl), str(tmp_path / "raw"))
    example.run(spark, str(corpus_jsonl), str(tmp_path / "inproc"), dataframe=True)
    example.run(spark, str(corpus_jsonl), str(tmp_path / "piped"), pipe=True, sapu=str(sapu_bin))
    expected = {r["id"]: r["text"] for r in map(json.loads, cli_records)}
    raw = {r["id"]: r["text"] for p in sorted((tmp_path / "raw").glob("part-*.txt")) for r in read_jsonl(p)}
    inproc = {r["id"]: r["text"] for p in sorted((tmp_path / "inproc").glob("part-*.json")) for r in read_jsonl(p)}
    piped = {r["id"]: r["text"] for p in sorted((tmp_path / "piped").glob("part-*")) for r in read_jsonl(p)}
    assert raw == expected
    assert inproc == expected
    assert piped == expected
    assert os.environ["PYSPARK_PYTHON"] == sys.executable


def test_map_in_arrow_on_raw_lines_equals_cli(spark, corpus_jsonl, cli_records):
    from sapu.spark import clean_jsonl_text

    df = spark.read.text(str(corpus_jsonl))
    assert df.rdd.getNumPartitions() >= 2
    clean = clean_jsonl_text(df, annotate=True)
    # One output line per input line, partitions and order kept: the CLI's bytes.
    assert [r["value"] for r in clean.collect()] == cli_records


def test_map_in_arrow_bad_lines_skip_raise_or_pass_through(spark):
    from sapu.spark import clean_jsonl_text

    good = '{"id":"a","text":"Baca Juga: x\\n\\nIsi berita yang panjang dan lengkap sekali hari ini."}'
    df = spark.createDataFrame([(good,), ('{"id":"b","text":7}',)], "value string")
    rows = clean_jsonl_text(df, on_error="keep").collect()
    assert rows[0]["value"] == '{"id":"a","text":"Isi berita yang panjang dan lengkap sekali hari ini."}'
    assert rows[1]["value"] == '{"id":"b","text":7}'
    # By default a bad line is left out, as `sapu clean` leaves it out.
    assert [r["value"] for r in clean_jsonl_text(df).collect()] == [rows[0]["value"]]
    with pytest.raises(Exception, match="not a string"):
        clean_jsonl_text(df, on_error="raise").collect()


def test_parquet_example_map_in_arrow_equals_cli(spark, sapu_bin, corpus_parquet, tmp_path):
    import pyarrow.parquet as pq

    cli = tmp_path / "cli.parquet"
    done = run_cli(sapu_bin, "clean", "--annotate", "-q", str(corpus_parquet), "-o", str(cli))
    assert done.returncode == 0, done.stderr.decode()
    expected = pq.read_table(cli).to_pylist()
    out = tmp_path / "spark-parquet"
    load_example().run(spark, str(corpus_parquet), str(out), parquet=True)
    rows = [r for p in sorted(out.glob("part-*.parquet")) for r in pq.read_table(p).to_pylist()]
    # Partitions in order, rows in order within each: the CLI's rows.
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    for row, record in zip(rows, expected):
        for name in ["text", "url", "n", "tags", "meta", "sapu"]:
            assert row[name] == record[name], (row["id"], name)
