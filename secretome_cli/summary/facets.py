"""Facets: how much evidence there is, counted by disease, factor class, pathway, MSC tissue,
secretome fraction, model system and topic (`secretome stats`), and for each pair of two of
them (`secretome matrix`).

A facet is a way of reading one value list off a record document (`FACETS`). Counts are of
records: a record naming two diseases counts once for each, never twice for one. The model
system split (in vitro / in vivo / clinical) counts a record under every system it names and
under none when its model is not stated, so the three numbers need not add up to the total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from secretome_cli.model import fields
from secretome_cli.model.controlled import System
from secretome_cli.model.document import RecordDoc
from secretome_cli.model.vocab import Vocabulary

Doc = RecordDoc

FACETS: dict[str, Callable[[Doc], list[str]]] = {
    name: field.values for name, field in fields.FACETS.items()
}
"""Every facet by the name the commands take → the values a document has for it (from the
field registry)."""

MATRIX_FACETS = fields.CROSSED
"""The facets `secretome matrix` crosses (model systems are the split inside each cell)."""

SYSTEMS: tuple[System, ...] = ("in vitro", "in vivo", "clinical")
"""The model systems of the split, in order."""


def values(doc: Doc, facet: str) -> list[str]:
    """The distinct values of one facet in a document, in document order."""
    return list(dict.fromkeys(FACETS[facet](doc)))


# --- stats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """How many records have one value of a facet (and, for diseases, its broader ones)."""

    name: str
    records: int
    parents: tuple[str, ...] = ()


@dataclass
class Stats:
    """The dataset's version and date, its size, and the records per value of each facet."""

    name: str
    version: str
    released: str
    records: int
    facets: dict[str, list[Count]] = field(default_factory=dict)
    not_stated: dict[str, int] = field(default_factory=dict)
    """Per facet, the records that name no value of it (general claims, model not stated)."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of `secretome stats --format json`."""
        out: dict[str, Any] = {
            "dataset": {"name": self.name, "version": self.version, "released": self.released},
            "records": self.records,
        }
        for facet, counts in self.facets.items():
            out[facet] = [
                {"name": c.name, **({"parents": list(c.parents)} if facet == "disease" else {}),
                 "records": c.records}
                for c in counts
            ]  # fmt: skip
        out["not_stated"] = dict(self.not_stated)
        return out


STATS_FACETS = tuple(fields.FACETS)
"""The facets `secretome stats` counts, in the order it shows them."""


def stats(docs: Sequence[Doc], meta: Mapping[str, str], vocabulary: Vocabulary) -> Stats:
    """Counts of `docs` per value of every facet of STATS_FACETS, most first."""
    result = Stats(
        name=meta.get("dataset_name", "?"),
        version=meta.get("dataset_version", "?"),
        released=meta.get("dataset_released", "?"),
        records=len(docs),
    )
    for facet in STATS_FACETS:
        counts: dict[str, int] = {}
        for doc in docs:
            for value in values(doc, facet):
                counts[value] = counts.get(value, 0) + 1
        rows = []
        for name, n in counts.items():
            term = vocabulary.get("disease", name) if facet == "disease" else None
            rows.append(Count(name, n, term.parents if term else ()))
        rows.sort(key=lambda c: (-c.records, c.name.casefold()))
        result.facets[facet] = rows
        result.not_stated[facet] = sum(1 for doc in docs if not values(doc, facet))
    return result


# --- matrix ------------------------------------------------------------------------------


@dataclass
class Cell:
    """The records of one pair of values, and how many of them use each model system."""

    records: int = 0
    systems: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SYSTEMS, 0))

    def add(self, doc: Doc) -> None:
        """Count one record."""
        self.records += 1
        for system in values(doc, "system"):
            self.systems[system] = self.systems.get(system, 0) + 1

    @property
    def split(self) -> str:
        """'2/3/0': in vitro / in vivo / clinical."""
        return "/".join(str(self.systems[s]) for s in SYSTEMS)

    def as_dict(self) -> dict[str, int]:
        """{'records': 5, 'in_vitro': 2, 'in_vivo': 3, 'clinical': 0}."""
        split = {s.replace(" ", "_"): self.systems[s] for s in SYSTEMS}
        return {"records": self.records, **split}


@dataclass
class Matrix:
    """Evidence for each pair of a row value and a column value, with totals."""

    rows_facet: str
    cols_facet: str
    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell]
    col_totals: dict[str, Cell]
    total: Cell

    def cell(self, row: str, col: str) -> Cell:
        """The cell of a pair (an empty one where no record has both)."""
        return self.cells.get((row, col)) or Cell()

    @property
    def peak(self) -> int:
        """The largest cell count (for shading)."""
        return max((c.records for c in self.cells.values()), default=0)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of `secretome matrix --format json`."""
        return {
            "rows": self.rows_facet,
            "cols": self.cols_facet,
            "row_values": list(self.rows),
            "col_values": list(self.cols),
            "cells": [
                {self.rows_facet: r, self.cols_facet: c, **self.cells[(r, c)].as_dict()}
                for r in self.rows
                for c in self.cols
                if (r, c) in self.cells
            ],
            "row_totals": {r: self.row_totals[r].as_dict() for r in self.rows},
            "col_totals": {c: self.col_totals[c].as_dict() for c in self.cols},
            "total": self.total.as_dict(),
        }


def matrix(docs: Iterable[Doc], rows: str, cols: str) -> Matrix:
    """Cross two facets: rows and columns are the values with any pair, most evidence first."""
    cells: dict[tuple[str, str], Cell] = {}
    row_totals: dict[str, Cell] = {}
    col_totals: dict[str, Cell] = {}
    total = Cell()
    for doc in docs:
        row_values, col_values = values(doc, rows), values(doc, cols)
        if not row_values or not col_values:
            continue
        total.add(doc)
        for r in row_values:
            row_totals.setdefault(r, Cell()).add(doc)
            for c in col_values:
                cells.setdefault((r, c), Cell()).add(doc)
        for c in col_values:
            col_totals.setdefault(c, Cell()).add(doc)

    def ranked(totals: dict[str, Cell]) -> list[str]:
        return sorted(totals, key=lambda v: (-totals[v].records, v.casefold()))

    return Matrix(
        rows, cols, ranked(row_totals), ranked(col_totals), cells, row_totals, col_totals, total
    )
