"""A Cleaner shipped to engine workers as its pickle, compiled once per
worker process: engines unpickle a task's function for every task, and
compiling the rules per task would cost
more than cleaning a small partition."""

import functools
import pickle

from sapu._sapu import Cleaner


def ship(cleaner: Cleaner) -> bytes:
    """The bytes to send: the rule files' text and the options."""
    return pickle.dumps(cleaner)


@functools.lru_cache(maxsize=8)
def cleaner_from(shipped: bytes) -> Cleaner:
    """The worker's Cleaner for these bytes, compiled on first use."""
    return pickle.loads(shipped)
