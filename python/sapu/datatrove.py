"""sapu as a datatrove pipeline step.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from sapu.datatrove import SapuCleaner

    if __name__ == "__main__":          # needed with more than one task
        LocalPipelineExecutor(
            pipeline=[JsonlReader("crawl/"), SapuCleaner(), JsonlWriter("clean/")],
            tasks=4,
        ).run()

Each task compiles the rules once (the step is pickled to the task with the
text of its rule files) and cleans its files; tasks divide the files as
datatrove divides them for any step.
"""

from collections.abc import Sequence
from typing import Optional, Union

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from sapu import Cleaner

__all__ = ["SapuCleaner"]


class SapuCleaner(PipelineStep):
    """Rewrites `doc.text` with sapu's clean text and records what was done.

    `doc.metadata[metadata_key]` (default "sapu") gets a dict with
    `dropped_lines`, `dropped_chars`, `rules` (ids of the rules that
    dropped lines), `flagged` and `reverted`: the `--annotate` object of
    `sapu clean`, with every key present so that all documents share one
    schema.

    Stats: `total` (documents), `dropped_lines` and `dropped_chars` (per
    document, with datatrove's mean/min/max), `changed`, `flagged`,
    `reverted`, `emptied` (documents left without text) and
    `rule:<id>` (documents in which that rule dropped lines).

    Args:
        rules, default_rules, disable, max_removed, flag_removed: as for
            `sapu.Cleaner`.
        metadata_key: where the counts go in `doc.metadata`; None for
            nowhere.
        drop_empty: leave out documents whose clean text is empty
            (counted as `dropped`); by default they are passed on, as
            `sapu clean` keeps such records.
        batch_size: documents cleaned per call into sapu.
        threads: threads per call; 1 (the default) since datatrove already
            runs one task per core. None for all cores.
    """

    name = "🧹 sapu"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        rules=None,
        default_rules: bool = True,
        disable: Sequence[str] = (),
        max_removed: Optional[float] = None,
        flag_removed: float = 0.6,
        metadata_key: Optional[str] = "sapu",
        drop_empty: bool = False,
        batch_size: int = 256,
        threads: Union[int, None] = 1,
    ):
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size: 1 or more, not {batch_size}")
        self.cleaner = Cleaner(
            rules=rules,
            default_rules=default_rules,
            disable=list(disable),
            max_removed=max_removed,
            flag_removed=flag_removed,
        )
        self.metadata_key = metadata_key
        self.drop_empty = drop_empty
        self.batch_size = batch_size
        self.threads = threads

    def _clean(self, batch):
        with self.track_time(unit="batch"):
            done = self.cleaner.annotate_batch([doc.text for doc in batch], threads=self.threads)
        for doc, (text, note) in zip(batch, done):
            self.stat_update(StatHints.total)
            self.stat_update("dropped_lines", value=note["dropped_lines"])
            self.stat_update("dropped_chars", value=note["dropped_chars"])
            for rule in note["rules"]:
                self.stat_update(f"rule:{rule}")
            flagged = bool(note.get("flagged", False))
            reverted = bool(note.get("reverted", False))
            if flagged:
                self.stat_update("flagged")
            if reverted:
                self.stat_update("reverted")
            if text != doc.text:
                self.stat_update("changed")
            doc.text = text
            if self.metadata_key is not None:
                doc.metadata[self.metadata_key] = {
                    "dropped_lines": note["dropped_lines"],
                    "dropped_chars": note["dropped_chars"],
                    "rules": note["rules"],
                    "flagged": flagged,
                    "reverted": reverted,
                }
            if not text.strip():
                self.stat_update("emptied")
                if self.drop_empty:
                    self.stat_update(StatHints.dropped)
                    continue
            yield doc

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        batch = []
        for doc in data:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._clean(batch)
                batch = []
        if batch:
            yield from self._clean(batch)
