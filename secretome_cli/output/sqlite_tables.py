"""How a table of `export --format sqlite` is described: its columns (`Column`, with the
description Datasette shows and what it references), key, indexed columns and the rows each
record gives (`Table`), and the SQL that follows from them; the columns every per-record
table shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from secretome_cli.model.document import RecordDoc
from secretome_cli.model.fields import BY_NAME

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    """One column: its name, SQL type, description and what it references, if anything."""

    name: str
    type: str
    description: str
    references: str | None = None
    """'table' or 'table(column)' (default column: the referenced table's key)."""
    not_null: bool = True


@dataclass(frozen=True)
class Table:
    """One table: columns, primary key, the columns a join uses (indexed), its description
    and the rows one record gives (`rows(doc, position)`), or none for a set-wide table."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rows: Callable[[RecordDoc, int], Iterable[Row]] | None = None
    indexed: tuple[str, ...] = ()
    label: str | None = None
    """The column Datasette shows for a row that another table references."""
    facets: tuple[Any, ...] = ()
    """The facets Datasette offers first (a column name, or {'array': column})."""

    def create(self) -> str:
        cols = [f"[{c.name}] {c.type}{' NOT NULL' if c.not_null else ''}" for c in self.columns]
        cols.append(f"PRIMARY KEY ({', '.join(f'[{k}]' for k in self.key)})")
        for c in self.columns:
            if c.references:
                target, _, column = c.references.partition("(")
                # named, not implied: Datasette expands a key only when it names its column
                column = column.rstrip(")") or _KEYS.get(target, "name")
                cols.append(f"FOREIGN KEY ([{c.name}]) REFERENCES [{target}]([{column}])")
        # A table keyed by (record, position) is its key's b-tree alone (WITHOUT ROWID):
        # one b-tree to fill a row, not two.
        rowid = "" if self.key == ("id",) or len(self.key) == 1 else " WITHOUT ROWID"
        return f"CREATE TABLE [{self.name}] (\n  " + ",\n  ".join(cols) + f"\n){rowid}"

    def insert(self) -> str:
        marks = ", ".join("?" for _ in self.columns)
        return f"INSERT OR IGNORE INTO [{self.name}] VALUES ({marks})"

    def indexes(self) -> Iterator[str]:
        for column in self.indexed:
            yield f"CREATE INDEX [idx_{self.name}_{column}] ON [{self.name}] ([{column}])"


def _described(field_name: str, fallback: str) -> str:
    """The field registry's description of a field, else `fallback`."""
    found = BY_NAME.get(field_name)
    return found.description if found else fallback


_KEYS = {"records": "id", "references": "key"}
"""The key column of a referenced table that is not a vocabulary (whose key is `name`)."""

RECORD_ID = Column("record_id", "TEXT", "The record (records.id).", "records")
POSITION = Column("position", "INTEGER", "Its place in the record's list, from 0.")
