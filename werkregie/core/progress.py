"""How a long operation says how far it is (issue 16).

An operation calls `phase("rijen gecontroleerd", total)` and then `advance()` per unit; the
job that runs it shows "12.400 van 74.674 rijen gecontroleerd". Outside a job (the command
line, a test) the same calls go to `NO_PROGRESS` and cost nothing.
"""

from typing import Protocol


class Progress(Protocol):
    def phase(self, label: str, total: int | None = None) -> None:
        """Start counting something new: its Dutch label and, if known, how many there are."""

    def advance(self, count: int = 1) -> None:
        """`count` more done in the current phase."""


class _NoProgress:
    def phase(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


NO_PROGRESS: Progress = _NoProgress()
