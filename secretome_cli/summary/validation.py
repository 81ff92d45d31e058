"""The outcome of validating record files: every problem found, and what was checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from secretome_cli.model.problems import Problem


@dataclass(frozen=True)
class Validation:
    """Every problem (sorted by file and position) and the counts a report closes with."""

    problems: list[Problem]
    records: int
    """Record files checked."""
    valid: int
    """Record files without an error."""
    strict: bool
    """Whether warnings fail the check too (`--strict`)."""
    record_set: Path | None = None
    """The record set checked, when it is not the bundled one (the report names it)."""

    @property
    def files(self) -> int:
        """How many files have a problem."""
        return len({p.file for p in self.problems})

    @property
    def failed(self) -> bool:
        """True when the problems fail the check (warnings only when strict, acknowledged
        problems never)."""
        return any(
            p.severity == "error" or (self.strict and p.severity == "warning")
            for p in self.problems
        )
