"""Rendering of facets: `secretome stats` and `secretome matrix` as Rich tables, JSON, TSV or
CSV.

One renderer class per output format, chosen by name (`STATS_RENDERERS`, `MATRIX_RENDERERS`).
Rich is imported only by the table renderers.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from secretome_cli.model.fields import FACETS
from secretome_cli.output.cells import Rows, delimited
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.output.rows import clean, make_console
from secretome_cli.summary.facets import SYSTEMS, Matrix, Stats

FACET_TITLES = {name: field.facet.label for name, field in FACETS.items() if field.facet}
"""How tables name each facet (from the field registry)."""

BAR_WIDTH = 20
"""The width of the longest bar in `secretome stats`."""


def _write_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


# --- stats ---------------------------------------------------------------------------------


class StatsRenderer(Renderer[Stats]):
    """Writes the counts of `secretome stats` in one format."""


class StatsJson(StatsRenderer):
    """The counts as one JSON object (see the README)."""

    name = "json"
    raw = True

    def write(self, stats: Stats, out: TextIO) -> None:
        _write_json(stats.as_dict(), out)


class StatsTable(StatsRenderer):
    """A headline with the dataset version, then one table per facet with a bar per value."""

    name = "table"

    def write(self, stats: Stats, out: TextIO) -> None:
        from rich.table import Table
        from rich.text import Text

        console = make_console(out, self.env)
        console.print(
            Text(
                clean(
                    f"{stats.name} {stats.version} (released {stats.released}): "
                    f"{stats.records} records"
                ),
                style="bold",
            )
        )
        for facet, counts in stats.facets.items():
            title = FACET_TITLES[facet]
            none = stats.not_stated[facet]
            caption = f"{none} record{'s' * (none != 1)} name no {title}" if none else None
            table = Table(
                title=f"Records per {title}", caption=caption, header_style="bold", expand=False
            )
            table.add_column(title)
            if facet == "disease":
                table.add_column("broader")
            table.add_column("records", justify="right")
            table.add_column("", no_wrap=True)
            peak = max((c.records for c in counts), default=1)
            for count in counts:
                cells = [Text(clean(count.name))]
                if facet == "disease":
                    cells.append(Text(clean(", ".join(count.parents)), style="dim"))
                bar = "█" * max(1, round(BAR_WIDTH * count.records / peak))
                cells += [Text(str(count.records)), Text(bar, style="cyan")]
                table.add_row(*cells)
            console.print()
            console.print(table)


STATS_COLUMNS = ("facet", "value", "records", "broader")
"""The columns of `secretome stats --format tsv|csv`: one row per value of each facet (the
broader diseases of a disease), then per facet the records naming none (value '(not stated)')."""

NOT_STATED = "(not stated)"


def stats_rows(stats: Stats) -> Rows:
    """The rows of `stats` (see STATS_COLUMNS)."""
    rows: list[list[object]] = []
    for facet, counts in stats.facets.items():
        rows += [[facet, c.name, c.records, "; ".join(c.parents)] for c in counts]
    rows += [[facet, NOT_STATED, n, ""] for facet, n in stats.not_stated.items() if n]
    return STATS_COLUMNS, rows


StatsTsv, StatsCsv = delimited(stats_rows, "The records per value of each facet")

STATS_RENDERERS = registry(StatsTable, StatsJson, StatsTsv, StatsCsv)
"""Every `secretome stats --format`, by name."""


# --- matrix --------------------------------------------------------------------------------


class MatrixRenderer(Renderer[Matrix]):
    """Writes the matrix of `secretome matrix` in one format."""

    def __init__(self, raw_cells: bool = False, **_: Any) -> None:
        self.raw_cells = raw_cells
        """CSV: write cells exactly (`--raw-cells`; see output/cells.py)."""


class MatrixJson(MatrixRenderer):
    """Row and column values, every non-empty cell with its split, and the totals."""

    name = "json"
    raw = True

    def write(self, matrix: Matrix, out: TextIO) -> None:
        _write_json(matrix.as_dict(), out)


MATRIX_CSV_COUNTS = ("records", "in_vitro", "in_vivo", "clinical")
"""The count columns of `secretome matrix --format csv`, after the two facet columns."""


def matrix_rows(matrix: Matrix) -> Rows:
    """One row per non-empty pair (tidy, for pivot tables): the row value, the column value,
    records, in_vitro, in_vivo, clinical."""
    rows = []
    for row in matrix.rows:
        for col in matrix.cols:
            cell = matrix.cells.get((row, col))
            if cell:
                rows.append([row, col, cell.records, *(cell.systems[s] for s in SYSTEMS)])
    return (matrix.rows_facet, matrix.cols_facet, *MATRIX_CSV_COUNTS), rows


MatrixTsv, MatrixCsv = delimited(matrix_rows, "The records of each pair of values")


SHADES = ("on #deebf7", "on #9ecae1", "on #4292c6", "bold white on #08519c")
"""Cell backgrounds from a little evidence to the most (dropped under NO_COLOR)."""

LEGEND = (
    "Each cell: records, then in vitro/in vivo/clinical; a record counts under every model "
    "system it names and under none when its model is not stated. · no records; darker, more."
)
"""The caption under the heat-table."""


class MatrixTable(MatrixRenderer):
    """A heat-table: records per pair over the model-system split, shaded by count; each row
    label ends with the row's total, a last row gives the column totals, '·' marks a pair no
    record has. Columns that do not fit the terminal continue in a second table below, as R
    prints a wide matrix."""

    name = "table"

    def write(self, matrix: Matrix, out: TextIO) -> None:
        from rich.text import Text

        console = make_console(out, self.env)
        label_width = self._label_width(matrix)
        blocks: list[list[str]] = []
        used = 0
        for col in matrix.cols:
            # each column: its widest unbreakable text and the space that divides columns
            need = self._col_width(matrix, col) + 1
            if blocks and used + need <= console.width:
                blocks[-1].append(col)
                used += need
            else:
                blocks.append([col])
                used = label_width + need
        rows_title, cols_title = FACET_TITLES[matrix.rows_facet], FACET_TITLES[matrix.cols_facet]
        title = f"Records per {rows_title} and {cols_title}"
        for i, block in enumerate(blocks):
            part = f" ({i + 1}/{len(blocks)})" if len(blocks) > 1 else ""
            if i:
                console.print()
            console.print(self._table(matrix, block, title + part))
        console.print(Text(LEGEND, style="dim"))

    @staticmethod
    def _totals(matrix: Matrix) -> list[str]:
        return [f"all {_cell_text(matrix.row_totals[r], ' ')}" for r in matrix.rows]

    def _label_width(self, matrix: Matrix) -> int:
        labels = [clean(r) for r in matrix.rows]
        titles = [FACET_TITLES[matrix.rows_facet], FACET_TITLES[matrix.cols_facet]]
        total = _cell_text(matrix.total, " ")
        return max([_longest_word([*labels, *titles]), len(total)]
                   + [len(t) for t in self._totals(matrix)])  # fmt: skip

    @staticmethod
    def _col_width(matrix: Matrix, col: str) -> int:
        splits = [matrix.cells[(r, col)].split for r in matrix.rows if (r, col) in matrix.cells]
        return max([_longest_word([clean(col)]), len(matrix.col_totals[col].split)]
                   + [len(s) for s in splits])  # fmt: skip

    def _table(self, matrix: Matrix, cols: list[str], title: str | None) -> Any:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        rows_title, cols_title = FACET_TITLES[matrix.rows_facet], FACET_TITLES[matrix.cols_facet]
        table = Table(
            title=title,
            box=box.SIMPLE_HEAD,
            header_style="bold",
            show_footer=True,
            padding=0,
            show_edge=False,
            show_lines=True,
        )
        labels = [clean(r) for r in matrix.rows]
        totals = self._totals(matrix)
        table.add_column(
            f"{rows_title} ↓ {cols_title} →",
            footer=Text(f"all\n{_cell_text(matrix.total, ' ')}", style="bold"),
            width=self._label_width(matrix),
        )
        for col in cols:
            table.add_column(
                clean(col),
                footer=Text(_cell_text(matrix.col_totals[col]), style="bold"),
                justify="right",
                width=self._col_width(matrix, col),
            )
        peak = matrix.peak
        for row, label, total_text in zip(matrix.rows, labels, totals, strict=True):
            head = Text(label)
            head.append("\n" + total_text, style="dim")
            cells: list[Any] = [head]
            for col in cols:
                cell = matrix.cells.get((row, col))
                if cell is None:
                    cells.append(Text("·", style="dim"))
                else:
                    level = min(len(SHADES) - 1, (len(SHADES) * (cell.records - 1)) // peak)
                    cells.append(Text(_cell_text(cell), style=SHADES[level]))
            table.add_row(*cells)
        return table


def _cell_text(cell: Any, between: str = "\n") -> str:
    """'5' over '2/3/0': records, then the in vitro / in vivo / clinical split."""
    return f"{cell.records}{between}{cell.split}"


def _longest_word(texts: list[str]) -> int:
    return max((len(w) for t in texts for w in t.split()), default=1)


MATRIX_RENDERERS = registry(MatrixTable, MatrixCsv, MatrixTsv, MatrixJson)
"""Every `secretome matrix --format`, by name."""
