"""sapu in Ray Data (map_batches with an actor pool), against the CLI.
Skipped when ray[data] did not install (python/test.sh tries)."""

import importlib.util
import json

import pytest

ray = pytest.importorskip("ray", reason="ray[data] is not installed here (python/test.sh could not install it)")
pytest.importorskip("ray.data", reason="ray is installed without ray[data]")

import sapu  # noqa: E402
from conftest import REPO, read_jsonl, run_cli  # noqa: E402
from sapu.ray import SapuBatchCleaner  # noqa: E402


@pytest.fixture(scope="module")
def ray_session():
    # Two actors and the read task: three logical CPUs (see the example).
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_batch_cleaner_formats():
    import numpy as np
    import pandas as pd

    step = SapuBatchCleaner(cleaner=sapu.Cleaner(), annotate=True)
    text = "Baca Juga: x\n\nIsi berita yang panjang dan lengkap sekali hari ini."
    frame = step(pd.DataFrame({"id": ["a", "b"], "text": [text, None]}))
    assert list(frame["text"]) == ["Isi berita yang panjang dan lengkap sekali hari ini.", None]
    assert frame["sapu_dropped_lines"][0] == 1 and frame["sapu_rules"][0] == ["promo.baca-juga"]
    arrays = step({"id": np.array(["a"]), "text": np.array([text], dtype=object)})
    assert arrays["text"][0] == frame["text"][0] and arrays["id"][0] == "a"


def test_example_equals_cli(ray_session, tmp_path, corpus_jsonl, sapu_bin):
    spec = importlib.util.spec_from_file_location("ray_data", REPO / "examples/python/ray_data.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    out = tmp_path / "clean"
    example.run(str(corpus_jsonl), str(out), actors=2)
    rows = [r for p in sorted(out.glob("*.json*")) for r in read_jsonl(p)]
    done = run_cli(sapu_bin, "clean", "--format", "jsonl", "--annotate", "-q", str(corpus_jsonl))
    expected = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    for row, record in zip(rows, expected):
        assert row["text"] == record["text"], row["id"]
        assert row["sapu_dropped_lines"] == record["sapu"]["dropped_lines"]


def test_parquet_example_equals_cli(ray_session, tmp_path, corpus_parquet, sapu_bin):
    import pyarrow.parquet as pq

    spec = importlib.util.spec_from_file_location("ray_data", REPO / "examples/python/ray_data.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    out = tmp_path / "clean"
    example.run(str(corpus_parquet), str(out), actors=2, parquet=True)
    rows = [r for p in sorted(out.glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    cli = tmp_path / "cli.parquet"
    done = run_cli(sapu_bin, "clean", "--annotate", "-q", str(corpus_parquet), "-o", str(cli))
    assert done.returncode == 0, done.stderr.decode()
    expected = pq.read_table(cli).to_pylist()
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    for row, record in zip(rows, expected):
        assert row["text"] == record["text"], row["id"]
        assert row["sapu"] == record["sapu"], row["id"]
        assert row["meta"] == record["meta"] and row["tags"] == record["tags"]
