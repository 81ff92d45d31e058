"""`export --format sqlite`: the selected records as a normalised SQLite database, made to be
opened as it is by Datasette, sqlite-utils, DuckDB's sqlite reader and pandas.

The tables are described in `sqlite_schema.py`, the views and the Datasette metadata in
`sqlite_views.py`; this module writes them. Keys are declared (primary and foreign), every
column a join uses is indexed, and `records_fts` is an FTS5 table over the records' text laid
out as sqlite-utils' `enable-fts` lays it out (external content, `content=[records]`), which
is what Datasette looks for to show its search box. The metadata goes into a file beside the
database (FILE.metadata.json) or where `--metadata` says.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, TextIO

from secretome_cli.model.document import RecordDoc, short_citation
from secretome_cli.output.saving import FileFormat, Output, SaveError, no_stream
from secretome_cli.output.sqlite_records import RECORD_TABLES
from secretome_cli.output.sqlite_schema import (
    DATASET,
    FTS_COLUMNS,
    VOCABULARIES,
    all_tables,
    sources,
)
from secretome_cli.output.sqlite_views import VIEWS_SQL, datasette_metadata, is_metadata
from secretome_cli.summary.bundle import Bundle

APPLICATION_ID = 0x53435245
"""`PRAGMA application_id` of an export ('SCRE'): how a later export knows the file is one."""

SCHEMA_VERSION = 1
"""`PRAGMA user_version` of an export: grows when the tables change incompatibly."""


class SqliteFormat(FileFormat):
    """The database (see the module docstring), and its Datasette metadata beside it
    (FILE.metadata.json) or where `--metadata` says."""

    name: ClassVar[str] = "sqlite"
    binary: ClassVar[bool] = True

    def write(self, data: Bundle, out: TextIO) -> None:
        no_stream(out)

    def is_earlier(self, path: Path) -> bool:
        return is_export(path)

    def save(self, data: Bundle, path: Path) -> None:
        write_database(data, path)

    def outputs(self, data: Bundle, path: Path, metadata: Path | None) -> list[Output]:
        described = metadata or path.with_name(f"{path.stem}.metadata.json")
        if described.resolve() == path.resolve():
            raise SaveError("--metadata names the database file itself")
        text = json.dumps(datasette_metadata(data, path.stem), ensure_ascii=False, indent=2) + "\n"
        return [
            Output(path, lambda temporary: self.save(data, temporary), self.is_earlier),
            Output(
                described,
                lambda temporary: _write_text(temporary, text),
                is_metadata,
            ),
        ]


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def is_export(path: Path) -> bool:
    """Whether `path` is a database an export wrote (by its application id)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (found,) = conn.execute("PRAGMA application_id").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(found == APPLICATION_ID)


def write_database(data: Bundle, path: Path) -> None:
    """Create the database at `path` (a new, empty file) and fill it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The file is a temporary one, renamed into place only when complete and flushed
        # (output/saving.py), so no journal is needed while it is written.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the indexes are built in memory
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("BEGIN")
        tables = all_tables()
        for table in tables:
            conn.execute(table.create())
        _fill_vocabularies(conn, data)
        _fill_records(conn, data.docs)
        _fill_dataset(conn, data)
        for table in tables:
            for sql in table.indexes():
                conn.execute(sql)
        _full_text(conn)
        for sql in VIEWS_SQL:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def _fill_vocabularies(conn: sqlite3.Connection, data: Bundle) -> None:
    vocab = data.vocabulary
    for v in VOCABULARIES:
        terms, synonyms, parents = v.tables()
        found = [vocab.terms[v.kind][n] for n in vocab.names(v.kind)]
        conn.executemany(terms.insert(), [(t.name, t.info) if v.info else (t.name,) for t in found])
        conn.executemany(
            synonyms.insert(),
            [
                *((t.name, label, "synonym") for t in found for label in t.labels[1:]),
                *((t.name, label, "abbreviation") for t in found for label in t.abbreviations),
            ],
        )
        conn.executemany(parents.insert(), [(t.name, p) for t in found for p in t.parents])


def _fill_records(conn: sqlite3.Connection, docs: Sequence[RecordDoc]) -> None:
    for table in RECORD_TABLES:
        assert table.rows is not None
        make = table.rows
        conn.executemany(
            table.insert(), (row for i, doc in enumerate(docs) for row in make(doc, i))
        )


def _fill_dataset(conn: sqlite3.Connection, data: Bundle) -> None:
    facts = data.dataset
    source = "; ".join(short_citation(s) for s in sources(data.docs))
    conn.execute(
        DATASET.insert(),
        (
            facts.name,
            facts.version,
            facts.released,
            facts.description,
            facts.licence,
            source,
            len(data.docs),
            data.asked,
            facts.made,
            facts.tool,
        ),
    )


def _full_text(conn: sqlite3.Connection) -> None:
    """`records_fts`, as sqlite-utils' `enable_fts(..., tokenize='porter')` makes it: an FTS5
    table whose content is `records` (by rowid), filled from it."""
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE [records_fts] USING FTS5 (\n    {columns},\n"
        "    tokenize='porter',\n    content=[records]\n)"
    )
    conn.execute(
        f"INSERT INTO [records_fts] (rowid, {columns}) SELECT rowid, {columns} FROM [records]"
    )
