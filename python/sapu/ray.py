"""sapu in Ray Data: a callable class for `Dataset.map_batches`.

    import ray
    from sapu.ray import SapuBatchCleaner

    ds = ray.data.read_json("crawl/")            # JSONL, a `text` column
    ds = ds.map_batches(SapuBatchCleaner, batch_format="pandas", concurrency=4)
    ds.write_json("clean/")

For Parquet, ask for pyarrow batches: the text column is cleaned as
`sapu clean` cleans a Parquet file's (`Cleaner.clean_arrow`), every other
column passed on untouched, and `annotate=True` adds a `sapu` struct column:

    ds = ray.data.read_parquet("crawl/")
    ds = ds.map_batches(SapuBatchCleaner, batch_format="pyarrow", concurrency=4)
    ds.write_parquet("clean/")

Ray starts `concurrency` actors; each builds one Cleaner (compiled once)
and cleans the batches Ray sends it. Pass a configured Cleaner with
`fn_constructor_kwargs={"cleaner": sapu.Cleaner(rules=...)}`: it travels
pickled, with its rule files' text.
"""

from typing import Optional

from sapu._sapu import Cleaner
from sapu._workers import cleaner_from, ship

__all__ = ["SapuBatchCleaner"]


class SapuBatchCleaner:
    """Cleans `text_col` of each batch (pandas DataFrame or dict of numpy
    arrays); with `annotate`, adds the `--annotate` counts as columns
    `sapu_dropped_lines`, `sapu_dropped_chars`, `sapu_rules`,
    `sapu_flagged`. A pyarrow Table (`batch_format="pyarrow"`) goes
    through `Cleaner.clean_arrow` instead: with `annotate`, one struct
    column `sapu`, as `sapu clean --annotate` writes into Parquet. Null
    texts stay null. threads: per actor (None: all
    cores of the actor's machine)."""

    def __init__(
        self,
        cleaner: Optional[Cleaner] = None,
        text_col: str = "text",
        annotate: bool = False,
        threads: Optional[int] = 1,
    ):
        self.cleaner = cleaner_from(ship(cleaner)) if cleaner is not None else Cleaner()
        self.text_col = text_col
        self.annotate = annotate
        self.threads = threads

    def __call__(self, batch):
        if hasattr(batch, "__arrow_c_stream__") and hasattr(batch, "column_names"):  # pyarrow
            return self.cleaner.clean_arrow(
                batch, text_field=self.text_col, annotate=self.annotate, threads=self.threads
            )
        texts = list(batch[self.text_col])
        present = [i for i, t in enumerate(texts) if isinstance(t, str)]
        values = [texts[i] for i in present]
        if self.annotate:
            done = self.cleaner.annotate_batch(values, threads=self.threads)
            clean = [t for t, _ in done]
            notes = [n for _, n in done]
        else:
            clean = self.cleaner.clean_batch(values, threads=self.threads)
        for i, text in zip(present, clean):
            texts[i] = text
        columns = {self.text_col: texts}
        if self.annotate:
            n = len(texts)
            lines, chars, rules, flagged = [None] * n, [None] * n, [None] * n, [None] * n
            for i, note in zip(present, notes):
                lines[i] = note["dropped_lines"]
                chars[i] = note["dropped_chars"]
                rules[i] = note["rules"]
                flagged[i] = bool(note.get("flagged", False))
            columns.update(
                sapu_dropped_lines=lines, sapu_dropped_chars=chars, sapu_rules=rules, sapu_flagged=flagged
            )
        return _with_columns(batch, columns)


def _with_columns(batch, columns):
    if hasattr(batch, "assign"):  # pandas
        return batch.assign(**columns)
    import numpy as np

    out = dict(batch)
    for name, values in columns.items():
        array = np.empty(len(values), dtype=object)
        array[:] = values
        out[name] = array
    return out
