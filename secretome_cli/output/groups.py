"""Rendering the entities of one kind among a search's answer (`search --group-by KIND`, and
the line that opens the table of a "which …" question): one renderer class per format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TextIO

from secretome_cli.model.controlled import ARROWS
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.search.groups import TITLES, Entity

COLUMNS = ("kind", "name", "changes", "records", "citation")
"""The columns of TSV and CSV output of --group-by."""


def arrows(entity: Entity) -> str:
    """'↑', '↑/↓': the directions the records give an entity."""
    return "/".join(ARROWS.get(change, change) for change in entity.changes)


def answer_line(entities: Sequence[Entity], kind: str) -> str:
    """'miRNAs in the answer: miR-23b-3p ↑ (1 record; Liu et al. 2023) · …'."""
    items = []
    for entity in entities:
        count = len(entity.records)
        where = f"{count} record{'s' * (count != 1)}"
        if entity.citation:
            where += f"; {entity.citation}"
        items.append(f"{entity.name} {arrows(entity)}".strip() + f" ({where})")
    return f"{TITLES[kind]} in the answer: {' · '.join(items)}"


def _row(entity: Entity) -> list[str]:
    return [
        entity.kind,
        entity.name,
        "; ".join(entity.changes),
        "; ".join(entity.records),
        entity.citation,
    ]


class GroupRenderer(Renderer[Sequence[Entity]]):
    """Writes the entities of one kind in one format."""


class GroupTable(GroupRenderer):
    """The answer line, wrapped to the terminal."""

    name = "table"

    def write(self, data: Sequence[Entity], out: TextIO) -> None:
        from rich.text import Text

        from secretome_cli.output.rows import make_console

        if data:
            make_console(out, self.env).print(Text(answer_line(data, data[0].kind)))


class GroupJson(GroupRenderer):
    """A JSON array: one object per entity with its record ids."""

    name = "json"
    raw = True

    def write(self, data: Sequence[Entity], out: TextIO) -> None:
        out.write(json.dumps([e.as_dict() for e in data], ensure_ascii=False) + "\n")


class GroupJsonl(GroupRenderer):
    """One JSON object per entity per line."""

    name = "jsonl"
    raw = True

    def write(self, data: Sequence[Entity], out: TextIO) -> None:
        for entity in data:
            out.write(json.dumps(entity.as_dict(), ensure_ascii=False) + "\n")


class GroupTsv(GroupRenderer):
    """Tab-separated rows of COLUMNS, one per entity; lists joined by '; '."""

    name = "tsv"

    def write(self, data: Sequence[Entity], out: TextIO) -> None:
        out.write("\t".join(COLUMNS) + "\n")
        for entity in data:
            out.write("\t".join(c.replace("\t", " ") for c in _row(entity)) + "\n")


class GroupCsv(GroupRenderer):
    """CSV rows of COLUMNS, one per entity."""

    name = "csv"
    raw = True

    def write(self, data: Sequence[Entity], out: TextIO) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_row(entity) for entity in data)
        out.write(buffer.getvalue())


GROUP_RENDERERS = registry(GroupTable, GroupJson, GroupJsonl, GroupTsv, GroupCsv)
"""Every `search --group-by … --format`, by name (the same names as SEARCH_RENDERERS)."""
