"""`secretome conflicts` output: a Rich table per kind of finding, TSV rows (one per side of a
conflict, then one per flagged record), or the JSON contract of `Conflicts.as_dict`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from secretome_cli.model.controlled import ARROWS
from secretome_cli.output.cells import Rows, delimited
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.output.rows import clean, make_console
from secretome_cli.output.table import wrap_id
from secretome_cli.summary.conflicts import Conflicts, Flagged

if TYPE_CHECKING:  # Rich is imported inside the renderer that draws tables
    from rich.table import Table

ID_WIDTH = 22
"""Record ids are broken after a hyphen to fit this width."""

TSV_COLUMNS = ("kind", "entity", "direction", "changes", "records", "diseases", "citations")
"""The TSV columns; a flagged record is a row of kind `flagged` (entity: its id, direction:
its reasons), and each anti-tumour record a pro-tumour record is listed against is a row of
kind `against` after it (entity: the pro-tumour record's id, direction: the factors and
pathways they share, records: the anti-tumour record)."""


class ConflictsRenderer(Renderer[Conflicts]):
    """Writes conflicts in one output format."""

    name: ClassVar[str]

    def __init__(self, raw_cells: bool = False, **_: Any) -> None:
        self.raw_cells = raw_cells
        """TSV: write cells exactly (`--raw-cells`; see output/cells.py)."""


class TableConflicts(ConflictsRenderer):
    """For people: each conflicting entity with its two sides, then the flagged records."""

    name = "table"

    def write(self, found: Conflicts, out: TextIO) -> None:
        from rich.table import Table
        from rich.text import Text

        console = make_console(out, self.env)
        if found.conflicts:
            table = Table(
                title="Directions that differ between records",
                header_style="bold",
            )
            for column in ("entity", "direction", "records", "diseases", "citations"):
                table.add_column(column, overflow="fold")
            for conflict in found.conflicts:
                shared = conflict.shared_diseases
                label = Text(f"{clean(conflict.entity)}\n{conflict.kind}")
                label.append(
                    f"\nsame disease: {', '.join(shared)}" if shared else "\ndifferent diseases",
                    style="bold" if shared else "dim",
                )
                for i, side in enumerate(conflict.sides):
                    arrows = " ".join(f"{ARROWS.get(c, '')} {c}" for c in side.changes)
                    table.add_row(
                        label if i == 0 else Text(""),
                        Text(arrows),
                        Text("\n".join(wrap_id(clean(r.id), ID_WIDTH) for r in side.records)),
                        Text(", ".join(clean(d) for d in side.diseases) or "(none)"),
                        Text(", ".join(clean(c) for c in side.citations)),
                        end_section=i == len(conflict.sides) - 1,
                    )
            console.print(table)
        if found.flagged:
            table = Table(
                title="Findings the records mark as contradictory or pro-tumour",
                header_style="bold",
            )
            for column in ("record", "why", "diseases", "citations"):
                table.add_column(column, overflow="fold")
            for flagged in found.flagged:
                table.add_row(
                    Text(wrap_id(clean(flagged.id), ID_WIDTH)),
                    Text("; ".join(clean(r) for r in flagged.reasons)),
                    Text(", ".join(clean(d) for d in flagged.diseases) or "(none)"),
                    Text(", ".join(clean(c) for c in flagged.citations)),
                )
            console.print(table)
        pro_tumour = [f for f in found.flagged if f.pro_tumour]
        if pro_tumour:
            console.print(_against_table(pro_tumour))


def _against_table(pro_tumour: list[Flagged]) -> Table:
    """Each pro-tumour finding against the anti-tumour records of the same factor or pathway:
    one row per pair, with what they share."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Pro-tumour findings against anti-tumour records of the same factor or pathway",
        header_style="bold",
    )
    for column in ("pro-tumour record", "anti-tumour record", "shared", "diseases"):
        table.add_column(column, overflow="fold")
    for flagged in pro_tumour:
        label = Text(wrap_id(clean(flagged.id), ID_WIDTH))
        if not flagged.against:
            none = Text("(none: it names no factor or pathway they name)", style="dim")
            table.add_row(label, none, Text(""), Text(""), end_section=True)
        for i, against in enumerate(flagged.against):
            table.add_row(
                label if i == 0 else Text(""),
                Text(wrap_id(clean(against.id), ID_WIDTH)),
                Text(", ".join(clean(n) for n in against.shared)),
                Text(", ".join(clean(d) for d in against.diseases) or "(none)"),
                end_section=i == len(flagged.against) - 1,
            )
    return table


def conflict_rows(found: Conflicts) -> Rows:
    """One row per side of each conflict, then one per flagged record; lists joined by '; '
    (see TSV_COLUMNS)."""
    rows: list[tuple[str, ...]] = []
    for conflict in found.conflicts:
        for side in conflict.sides:
            rows.append(
                (
                    conflict.kind,
                    conflict.entity,
                    side.direction,
                    "; ".join(side.changes),
                    "; ".join(r.id for r in side.records),
                    "; ".join(side.diseases),
                    "; ".join(side.citations),
                )
            )
    for flagged in found.flagged:
        rows.append(
            (
                "flagged",
                flagged.id,
                "; ".join(flagged.reasons),
                "",
                flagged.id,
                "; ".join(flagged.diseases),
                "; ".join(flagged.citations),
            )
        )
        for against in flagged.against:
            rows.append(
                (
                    "against",
                    flagged.id,
                    "; ".join(against.shared),
                    "",
                    against.id,
                    "; ".join(against.diseases),
                    "; ".join(against.citations),
                )
            )
    return TSV_COLUMNS, rows


TsvConflicts, CsvConflicts = delimited(conflict_rows, "The sides of each conflict")


class JsonConflicts(ConflictsRenderer):
    """The documented JSON contract."""

    name = "json"
    raw = True

    def write(self, found: Conflicts, out: TextIO) -> None:
        out.write(json.dumps(found.as_dict(), ensure_ascii=False, indent=2) + "\n")


CONFLICTS_FORMATS = registry(TableConflicts, TsvConflicts, CsvConflicts, JsonConflicts)
"""Every `conflicts` output format, by the name `--format` takes."""
