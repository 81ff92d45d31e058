"""A problem found in a file: where it is, which rule it breaks, and what to do about it."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "acknowledged"]
"""An acknowledged problem is a warning its file says is known and meant (see
validate/bibliography.py); it is reported, but fails no check."""


class Problem(NamedTuple):
    """One validation finding, located as `file:line:col`; problems sort by where they are,
    then by rule. (A named tuple, not a dataclass: every command imports this module, and a
    frozen, ordered dataclass compiles ten generated methods when it is defined.)"""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, object]:
        """The problem as the JSON report gives it."""
        return self._asdict()

    def location(self) -> str:
        """`file:line:col`, as editors and CI annotations read it."""
        return f"{self.file}:{self.line}:{self.column}"


class RecordsError(Exception):
    """The records could not be read at all (missing directory, unreadable file)."""
