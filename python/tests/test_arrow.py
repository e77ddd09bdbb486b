"""Cleaner.clean_arrow and `sapu clean` on Parquet, against pyarrow and
the CLI's JSONL path."""

import json

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (python/test.sh installs it)")
import pyarrow.parquet as pq  # noqa: E402

import sapu  # noqa: E402
from conftest import run_cli  # noqa: E402


@pytest.fixture(scope="module")
def cli_parquet(sapu_bin, corpus_parquet, tmp_path_factory):
    """`sapu clean --annotate` of the Parquet corpus, read by pyarrow."""
    out = tmp_path_factory.mktemp("cli-parquet") / "clean.parquet"
    done = run_cli(sapu_bin, "clean", "--annotate", "-q", str(corpus_parquet), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    return out


def test_cli_writes_parquet_pyarrow_reads_with_the_jsonl_texts(cli_parquet, corpus_parquet, cli_clean):
    expected = {r["id"]: r for r in cli_clean["records"]}
    before = pq.read_table(corpus_parquet)
    after = pq.read_table(cli_parquet)
    # The input's columns, types and metadata, and the annotation last.
    assert after.schema.remove(after.schema.get_field_index("sapu")) == before.schema
    assert after.schema.metadata[b"source"] == b"sapu tests"
    assert after.schema.field("sapu").type == pa.struct(
        [
            pa.field("dropped_lines", pa.int64(), nullable=False),
            pa.field("dropped_chars", pa.int64(), nullable=False),
            pa.field("rules", pa.list_(pa.field("item", pa.string(), nullable=False)), nullable=False),
            pa.field("flagged", pa.bool_(), nullable=False),
            pa.field("reverted", pa.bool_(), nullable=False),
        ]
    )
    for name in ["id", "url", "n", "tags", "meta"]:
        assert after.column(name).equals(before.column(name)), name
    # Row groups as the input's, each column with the input's codec.
    meta_in, meta_out = pq.ParquetFile(corpus_parquet).metadata, pq.ParquetFile(cli_parquet).metadata
    assert [meta_out.row_group(i).num_rows for i in range(meta_out.num_row_groups)] == [
        meta_in.row_group(i).num_rows for i in range(meta_in.num_row_groups)
    ]
    assert meta_out.row_group(0).column(0).compression == "ZSTD"
    for row in after.to_pylist():
        if row["text"] is None:
            assert row["id"] == "null-text" and row["sapu"] is None
            continue
        record = expected[row["id"]]
        assert row["text"] == record["text"], row["id"]
        assert row["sapu"]["dropped_lines"] == record["sapu"]["dropped_lines"]
        assert row["sapu"]["rules"] == record["sapu"]["rules"]
        assert row["sapu"]["flagged"] == record["sapu"].get("flagged", False)


def test_clean_arrow_equals_the_cli_on_tables_and_batches(cli_parquet, corpus_parquet):
    cleaner = sapu.Cleaner()
    table = pq.read_table(corpus_parquet)
    expected = pq.read_table(cli_parquet)
    got = cleaner.clean_arrow(table, annotate=True)
    assert isinstance(got, pa.Table)
    assert got.schema == expected.schema
    assert got.combine_chunks().equals(expected.combine_chunks())
    batch = table.combine_chunks().to_batches()[0]
    one = cleaner.clean_arrow(batch, annotate=True)
    assert isinstance(one, pa.RecordBatch)
    assert pa.Table.from_batches([one]).equals(expected.combine_chunks())
    # The same for any number of threads; without annotate, no column added.
    plain = [cleaner.clean_arrow(batch, threads=t) for t in (1, 2, None)]
    assert all(p.equals(plain[0]) for p in plain)
    assert plain[0].schema == batch.schema
    assert plain[0].column("text").to_pylist() == expected.column("text").to_pylist()
    # A reader (a stream of batches) gives a table.
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert cleaner.clean_arrow(reader).column("text").to_pylist() == expected.column("text").to_pylist()


def test_clean_arrow_does_not_copy_the_other_columns():
    cleaner = sapu.Cleaner()
    text = "Baca Juga: x\n\nIsi berita yang panjang dan lengkap sekali hari ini."
    batch = pa.record_batch(
        {
            "id": pa.array(["a", "b", "c"]),
            "text": pa.array([text, None, " "]),
            "n": pa.array([1, 2, 3], pa.int64()),
        }
    )
    out = cleaner.clean_arrow(batch)
    assert out.column("text").to_pylist() == ["Isi berita yang panjang dan lengkap sekali hari ini.", None, " "]
    for name in ["id", "n"]:
        before = [b.address for b in batch.column(name).buffers() if b is not None]
        after = [b.address for b in out.column(name).buffers() if b is not None]
        assert after == before, name


@pytest.mark.parametrize("kind", [pa.large_string(), pa.string_view()])
def test_clean_arrow_keeps_the_string_type(kind):
    cleaner = sapu.Cleaner()
    text = "Baca Juga: x\n\nIsi berita yang panjang dan lengkap sekali hari ini."
    batch = pa.record_batch({"body": pa.array([text, None], kind)})
    out = cleaner.clean_arrow(batch, text_field="body")
    assert out.schema.field("body").type == kind
    assert out.column("body").to_pylist() == [cleaner.clean(text), None]


def test_clean_arrow_bad_input_says_what_to_do():
    cleaner = sapu.Cleaner()
    with pytest.raises(ValueError, match='no column "text".*"body".*text_field'):
        cleaner.clean_arrow(pa.record_batch({"body": ["x"]}))
    with pytest.raises(ValueError, match='column "text" is Int64, not a string'):
        cleaner.clean_arrow(pa.record_batch({"text": [1, 2]}))
    with pytest.raises(TypeError, match="RecordBatch or Table"):
        cleaner.clean_arrow(["a text"])
    # Found by a black-box sweep: the annotation's column was added beside
    # a text column of its own name, a table pyarrow cannot read back.
    with pytest.raises(ValueError, match='text_field: the text field is "sapu"'):
        cleaner.clean_arrow(pa.record_batch({"sapu": ["x"]}), text_field="sapu", annotate=True)
    with pytest.raises(ValueError, match='text_field: the text field is "sapu"'):
        cleaner.clean_jsonl(['{"sapu": "x"}'], text_field="sapu", annotate=True)


def test_cli_rejects_are_json_lines_with_the_row(sapu_bin, corpus_parquet, tmp_path):
    rejects = tmp_path / "rejects.jsonl"
    out = tmp_path / "out.parquet"
    done = run_cli(
        sapu_bin, "clean", "-q", str(corpus_parquet), "-o", str(out),
        "--max-record-bytes", "4K", "--rejects", str(rejects),
    )
    assert done.returncode == 3, done.stderr.decode()
    table = pq.read_table(corpus_parquet)
    long_rows = [i for i, t in enumerate(table.column("text").to_pylist()) if t is not None and len(t.encode()) > 4096]
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["row"] for r in rejected] == long_rows
    assert all(r["record"] == table.slice(r["row"], 1).to_pylist()[0] for r in rejected)
    assert pq.read_table(out).num_rows == table.num_rows - len(long_rows)
