"""sapu.datatrove.SapuCleaner in a LocalPipelineExecutor pipeline
JsonlReader -> SapuCleaner -> JsonlWriter, against `sapu clean` on the same
files."""

import json

import pytest

pytest.importorskip("datatrove", reason="datatrove is not installed (python/test.sh installs it)")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from conftest import read_jsonl, run_cli  # noqa: E402
from sapu.datatrove import SapuCleaner  # noqa: E402


def test_pipeline_equals_cli(tmp_path, corpus_jsonl, sapu_bin):
    # Two shards, so that two tasks each get one.
    shards = tmp_path / "in"
    shards.mkdir()
    lines = corpus_jsonl.read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(lines) // 2
    (shards / "a.jsonl").write_text("".join(lines[:half]), encoding="utf-8")
    (shards / "b.jsonl").write_text("".join(lines[half:]), encoding="utf-8")

    out = tmp_path / "out"
    logs = tmp_path / "logs"
    stats = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(shards)),
            # Small batches: the batching must not change anything.
            SapuCleaner(batch_size=5),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(logs),
    ).run()

    cli_out = tmp_path / "cli"
    done = run_cli(sapu_bin, "clean", "--format", "jsonl", "--annotate", "-q", str(shards), "-o", str(cli_out))
    assert done.returncode == 0, done.stderr.decode()
    expected = {}
    for shard in ("a.jsonl", "b.jsonl"):
        for record in read_jsonl(cli_out / shard):
            expected[record["id"]] = record

    written = [doc for path in sorted(out.glob("*.jsonl")) for doc in read_jsonl(path)]
    assert len(written) == len(expected) == len(lines)
    dropped_lines = 0
    for doc in written:
        record = expected[doc["id"]]
        # datatrove's writer leaves out empty fields (an emptied text).
        assert doc.get("text", "") == record["text"], doc["id"]
        note = doc["metadata"]["sapu"]
        assert note["dropped_lines"] == record["sapu"]["dropped_lines"]
        assert note["dropped_chars"] == record["sapu"]["dropped_chars"]
        assert note["rules"] == record["sapu"]["rules"]
        assert note["flagged"] == record["sapu"].get("flagged", False)
        # The other fields came through the reader as metadata.
        assert doc["metadata"]["url"] == record["url"] and doc["metadata"]["n"] == record["n"]
        dropped_lines += note["dropped_lines"]
    assert dropped_lines > 100

    # datatrove's merged stats (returned, and written to stats.json) count the same.
    step = next(s for s in stats.stats if s.name.endswith("sapu"))
    assert step["total"].total == len(lines)
    assert step["dropped_lines"].total == dropped_lines
    assert step["dropped_lines"].n == len(lines)
    assert step["rule:promo.baca-juga"].total == sum(
        "promo.baca-juga" in r["sapu"]["rules"] for r in expected.values()
    )
    saved = json.loads((logs / "stats.json").read_text())
    assert any(s["name"].endswith("sapu") and s["stats"]["dropped_lines"]["total"] == dropped_lines for s in saved)


def test_drop_empty_and_no_metadata():
    from datatrove.data import Document

    docs = [
        # Every line of it is a promo: nothing is left.
        Document(text="Baca Juga: satu hal\n\nBaca Juga: hal lain\n", id="empty", metadata={}),
        Document(
            text="Pemerintah mengumumkan kebijakan baru pada hari Senin yang berlaku bulan depan.",
            id="kept",
            metadata={},
        ),
    ]
    step = SapuCleaner(rules=None, drop_empty=True, metadata_key=None, disable=[])
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["kept"]
    assert out[0].metadata == {}
    assert step.stats["dropped"].total == 1
    assert step.stats["emptied"].total == 1


def test_example_runs_as_documented(tmp_path, corpus_jsonl, sapu_bin):
    import subprocess
    import sys

    from conftest import REPO

    shards = tmp_path / "crawl"
    shards.mkdir()
    (shards / "part.jsonl").write_bytes(corpus_jsonl.read_bytes())
    done = subprocess.run(
        [sys.executable, str(REPO / "examples/python/datatrove_pipeline.py"), str(shards), str(tmp_path / "clean")],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    ours = {d["id"]: d.get("text", "") for p in (tmp_path / "clean").glob("*.jsonl") for d in read_jsonl(p)}
    cli = run_cli(sapu_bin, "clean", "--format", "jsonl", "-q", str(shards / "part.jsonl"))
    expected = {r["id"]: r["text"] for r in map(json.loads, cli.stdout.decode().splitlines())}
    assert ours == expected
    assert (tmp_path / "clean-logs" / "stats.json").is_file()
