"""What a command that works on chosen records holds: the documents of a selection and the
ids asked for but not found (`api.select`, `api.show`), and what `cite` and `graph` make of a
selection (`api.cite`, `api.graph`).

They live here rather than in `api.py` so that a search, which needs none of them, does not
create them when it starts; `api` still offers each by name (`api.Selection`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secretome_cli.model.document import RecordDoc
    from secretome_cli.search.outcome import Outcome
    from secretome_cli.summary.citations import Cited
    from secretome_cli.summary.graph import Graph


@dataclass(frozen=True)
class Missing:
    """An id that names no record, and the known ids closest to it."""

    id: str
    near: list[str]


@dataclass
class Selection:
    """The documents a command works on, and what was asked for but not found."""

    docs: list[RecordDoc]
    missing: list[Missing] = field(default_factory=list)
    searched: Outcome | None = None
    """The search, when a query or a filter was given."""
    answered: int = 0
    """How many records the search gave (before those named by id)."""

    @property
    def nothing_found(self) -> bool:
        """True when a search was made and found no record."""
        return self.searched is not None and not self.answered


@dataclass
class Citations:
    """The references behind a selection of records, de-duplicated and sorted by key."""

    selection: Selection
    references: list[Cited]


@dataclass
class Network:
    """The factor → target → pathway → disease graph behind a selection of records."""

    selection: Selection
    graph: Graph
