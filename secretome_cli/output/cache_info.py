"""`secretome cache info`: what the index cache holds, as a table, JSON, TSV or CSV."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from secretome_cli.files.layout import display
from secretome_cli.output.cells import Rows, delimited
from secretome_cli.output.renderer import Renderer, registry

if TYPE_CHECKING:
    from secretome_cli.index.cache import Entry


@dataclass(frozen=True)
class CacheListing:
    """The cache folder, its index files, and the record set a command run here would use
    when it is not the bundled one."""

    directory: Path
    entries: list[Entry]
    record_set: Path | None

    @property
    def size(self) -> int:
        return sum(e.size for e in self.entries)


def count_text(files: int) -> str:
    """'3 index files'."""
    return f"{files} index file{'s' * (files != 1)}"


def megabytes(size: int) -> str:
    """'2.7 MB'."""
    return f"{size / 1_000_000:.1f} MB"


COLUMNS = ("record_set", "records", "format", "size", "built", "updated", "state", "file")
"""The columns of `cache info --format tsv|csv` (the keys of an index in the JSON)."""


def entry_json(entry: Entry) -> dict[str, Any]:
    """An index file as `cache info --format json` gives it."""
    return {
        "file": str(entry.path),
        "record_set": entry.record_set,
        "records": entry.records,
        "format": entry.format,
        "size": entry.size,
        "built": entry.built,
        "updated": entry.updated,
        "state": entry.state,
    }


class CacheJson(Renderer[CacheListing]):
    """The cache as one JSON object: directory, size, the record set in use, the indexes."""

    name = "json"

    def write(self, listing: CacheListing, out: TextIO) -> None:
        data = {
            "directory": str(listing.directory),
            "record_set": None if listing.record_set is None else str(listing.record_set),
            "size": listing.size,
            "indexes": [entry_json(e) for e in listing.entries],
        }
        out.write(json.dumps(data, indent=2) + "\n")


class CacheTable(Renderer[CacheListing]):
    """A headline (folder, files, size, the record set in use), then a table of the files."""

    name = "table"

    def write(self, listing: CacheListing, out: TextIO) -> None:
        found = listing.entries
        out.write(f"{listing.directory}: {count_text(len(found))}, {megabytes(listing.size)}\n")
        if listing.record_set is not None:
            out.write(f"record set in use here: {listing.record_set}\n")
        if not found:
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for column in ("record set", "records", "format", "size", "built (UTC)", "state"):
            table.add_column(column, justify="right" if column in {"records", "size"} else "left")
        for entry in found:
            when = (entry.built or "")[:16].replace("T", " ")
            table.add_row(
                display(Path(entry.record_set)) if entry.record_set else entry.path.name,
                "" if entry.records is None else f"{entry.records:,}",
                "" if entry.format is None else str(entry.format),
                megabytes(entry.size),
                when,
                entry.state,
            )
        env = self.env
        Console(
            file=out,
            width=None if env is None else env.width,
            no_color=None if env is None else not env.colors,
            highlight=False,
            soft_wrap=True,
        ).print(table)


def cache_rows(listing: CacheListing) -> Rows:
    """One row per index file (see COLUMNS)."""
    return COLUMNS, [[entry_json(e)[c] for c in COLUMNS] for e in listing.entries]


CacheTsv, CacheCsv = delimited(cache_rows, "The index files of the cache")

CACHE_INFO_RENDERERS = registry(CacheTable, CacheJson, CacheTsv, CacheCsv)
"""Every `secretome cache info --format`, by name."""
