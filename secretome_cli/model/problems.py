"""A problem found in a file: where it is, which rule it breaks, and what to do about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "acknowledged"]
"""An acknowledged problem is a warning its file says is known and meant (see
validate/bibliography.py); it is reported, but fails no check."""


@dataclass(frozen=True, order=True)
class Problem:
    """One validation finding, located as `file:line:col`."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, object]:
        """The problem as the JSON report gives it."""
        return asdict(self)

    def location(self) -> str:
        """`file:line:col`, as editors and CI annotations read it."""
        return f"{self.file}:{self.line}:{self.column}"


class RecordsError(Exception):
    """The records could not be read at all (missing directory, unreadable file)."""
