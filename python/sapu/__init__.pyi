import os
from collections.abc import Sequence
from typing import Any, Optional, Union

__version__: str

_Path = Union[str, os.PathLike[str]]

class RuleError(ValueError):
    """A rule file could not be read or compiled; one line per problem,
    each naming the file, the line and the rule id, as `sapu` prints them."""

class BadRecordWarning(UserWarning):
    """Cleaner.clean_jsonl skipped lines that are not records sapu can clean
    (on_error="skip", the default, as `sapu clean` skips them): their
    outputs are None."""

class Cleaner:
    """Compiled sapu rules: clean texts, explain what was dropped."""

    def __init__(
        self,
        rules: Union[None, _Path, Sequence[_Path]] = None,
        default_rules: bool = True,
        disable: Sequence[str] = (),
        max_removed: Optional[float] = None,
        flag_removed: float = 0.6,
    ) -> None: ...
    def clean(self, text: str) -> str:
        """The clean text, as `sapu clean --format jsonl` writes it into a
        record (no final newline; a blank text is returned as it is)."""
    def clean_batch(self, texts: Sequence[str], threads: Optional[int] = None) -> list[str]:
        """`clean` of each text, in order, in parallel with the GIL released."""
    def annotate(self, text: str) -> tuple[str, dict[str, Any]]:
        """The clean text and the `"sapu"` object of `sapu clean --annotate`."""
    def annotate_batch(
        self, texts: Sequence[str], threads: Optional[int] = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """`annotate` of each text, in order, in parallel with the GIL released."""
    def clean_jsonl(
        self,
        lines: Sequence[Union[str, bytes, None]],
        text_field: str = "text",
        id_field: str = "id",
        annotate: bool = False,
        on_error: str = "skip",
        threads: Optional[int] = None,
    ) -> list[Union[str, bytes, None]]:
        """JSON Lines records cleaned as `sapu clean --format jsonl` does, one
        out per line in, of the same type; a bad line gives None and a
        BadRecordWarning ("skip"), raises ValueError ("raise") or comes back
        unchanged ("keep")."""
    def explain(self, text: str, doc: Optional[str] = None) -> list[dict[str, Any]]:
        """One dict per dropped or rewritten line (the fields of
        `sapu clean --explain`), then a "flag" record if the text is flagged."""
    def rule_ids(self) -> list[str]:
        """The ids of the rules in force, in load order."""
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]: ...
