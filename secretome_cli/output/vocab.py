"""`secretome vocab`: the vocabularies, or the terms of one, as a table, JSON, TSV or CSV."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from secretome_cli.output.cells import write_csv, write_tsv
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.output.rows import clean, make_console

if TYPE_CHECKING:
    from secretome_cli.summary.vocabularies import VocabTable


class VocabRenderer(Renderer["VocabTable"]):
    """Writes a vocabulary listing in one format."""

    def __init__(self, raw_cells: bool = False, **_: Any) -> None:
        self.raw_cells = raw_cells
        """TSV/CSV: write cells exactly (`--raw-cells`; see output/cells.py)."""


class VocabRich(VocabRenderer):
    """A Rich table under the listing's title."""

    name = "table"

    def write(self, listing: VocabTable, out: TextIO) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=listing.title, header_style="bold", expand=False)
        for c in listing.columns:
            table.add_column(c, justify="right" if c == "records" else "left")
        for r in listing.rows:
            table.add_row(*(Text(clean(_cell(r.get(c)))) for c in listing.columns))
        make_console(out, self.env).print(table)


class VocabJson(VocabRenderer):
    """The rows as an indented JSON array of objects."""

    name = "json"
    raw = True

    def write(self, listing: VocabTable, out: TextIO) -> None:
        json.dump(list(listing.rows), out, ensure_ascii=False, indent=2)
        out.write("\n")


class VocabTsv(VocabRenderer):
    """Tab-separated rows with a header; lists joined by ', ' (see `output/cells.py`)."""

    name = "tsv"

    def write(self, listing: VocabTable, out: TextIO) -> None:
        write_tsv(listing.columns, _vocab_rows(listing), out, raw=self.raw_cells)


class VocabCsv(VocabRenderer):
    """CSV rows with a header; lists joined by ', ' (see `output/cells.py`)."""

    name = "csv"

    def write(self, listing: VocabTable, out: TextIO) -> None:
        write_csv(listing.columns, _vocab_rows(listing), out, raw=self.raw_cells)


def _vocab_rows(listing: VocabTable) -> list[list[str]]:
    return [[_cell(r.get(c)) for c in listing.columns] for r in listing.rows]


VOCAB_RENDERERS = registry(VocabRich, VocabJson, VocabTsv, VocabCsv)
"""Every `secretome vocab --format`, by name."""


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
