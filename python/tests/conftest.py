"""Shared fixtures: the sapu CLI to compare with, and a small JSONL corpus
made from the repository's example pages and golden inputs."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sapu_bin() -> Path:
    """The CLI built from this checkout (python/test.sh builds it; override
    with SAPU_BIN)."""
    path = Path(os.environ.get("SAPU_BIN", REPO / "target" / "debug" / "sapu"))
    if not path.is_file():
        pytest.fail(f"no sapu binary at {path}: run `cargo build` or set SAPU_BIN")
    return path


def corpus_texts() -> list[tuple[str, str]]:
    """(id, text) of every example page and golden input, in name order."""
    docs = []
    for path in sorted((REPO / "examples" / "news").glob("*.txt")):
        docs.append((f"news/{path.stem}", path.read_text(encoding="utf-8")))
    for path in sorted((REPO / "golden").glob("*/input.txt")):
        docs.append((f"golden/{path.parent.name}", path.read_text(encoding="utf-8")))
    return docs


@pytest.fixture(scope="session")
def corpus_jsonl(tmp_path_factory) -> Path:
    """A JSONL shard of the corpus: id, url, text, and a number field that
    must pass through untouched."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i, (doc_id, text) in enumerate(corpus_texts()):
            record = {"id": doc_id, "url": f"https://example.org/{i}", "text": text, "n": i}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def run_cli(sapu_bin: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(sapu_bin), *args], input=input, capture_output=True, check=False)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def cli_clean(sapu_bin, corpus_jsonl, tmp_path_factory) -> dict:
    """The CLI's cleaning of the corpus: output records, --explain records
    and --annotate objects, by id."""
    out_dir = tmp_path_factory.mktemp("cli")
    out = out_dir / "clean.jsonl"
    explain = out_dir / "explain.jsonl"
    done = run_cli(
        sapu_bin, "clean", "--format", "jsonl", "--annotate", "-q",
        str(corpus_jsonl), "-o", str(out), "--explain", str(explain),
    )
    assert done.returncode == 0, done.stderr.decode()
    records = read_jsonl(out)
    explain_by_doc: dict[str, list] = {}
    for r in read_jsonl(explain):
        explain_by_doc.setdefault(r["doc"], []).append(r)
    return {"records": records, "explain": explain_by_doc, "input_name": str(corpus_jsonl)}


@pytest.fixture(scope="session")
def corpus_parquet(tmp_path_factory, corpus_jsonl) -> Path:
    """The corpus as a Parquet file, written by pyarrow: the JSONL's
    records (and a row with a null text) with a list and a struct column,
    schema metadata, row groups of 10 rows, zstd."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = read_jsonl(corpus_jsonl)
    records.insert(2, {"id": "null-text", "url": "https://example.org/null", "text": None, "n": -1})
    n = len(records)
    table = pa.table(
        {
            "id": [r["id"] for r in records],
            "url": [r["url"] for r in records],
            "text": pa.array([r["text"] for r in records], pa.string()),
            "n": pa.array([r["n"] for r in records], pa.int64()),
            "tags": [[f"t{j}" for j in range(i % 3)] if i % 4 else None for i in range(n)],
            "meta": [{"lang": "id" if i % 2 else None, "words": i * 10} for i in range(n)],
        }
    ).replace_schema_metadata({"source": "sapu tests"})
    path = tmp_path_factory.mktemp("parquet") / "corpus.parquet"
    pq.write_table(table, path, row_group_size=10, compression="zstd")
    return path
