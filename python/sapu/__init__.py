"""sapu strips boilerplate from scraped text, in process.

    >>> import sapu
    >>> cleaner = sapu.Cleaner()            # compiles the embedded rules once
    >>> cleaner.clean(text)                 # -> the clean text
    >>> cleaner.clean_batch(texts)          # -> list, in parallel, GIL released
    >>> cleaner.explain(text)               # -> one dict per dropped line

A `Cleaner` cleans a text exactly as `sapu clean --format jsonl` cleans a
record's text field. It pickles with the text of its rule files, so Spark,
Ray and datatrove ship it to their workers as it is.

Engine integrations: `sapu.datatrove` (a pipeline step), `sapu.spark`
(mapInPandas and pipe jobs), `sapu.ray` (a map_batches function).
"""

from sapu._sapu import BadRecordWarning, Cleaner, RuleError, __version__

__all__ = ["BadRecordWarning", "Cleaner", "RuleError", "__version__"]
