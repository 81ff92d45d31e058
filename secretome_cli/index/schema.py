"""The index's tables, as SQL (see `build.py` for what each holds), and what SQLite lists of
them in `sqlite_master` once created: the schema an index file must have exactly before it is
used (`guard.foreign_schema`)."""

from __future__ import annotations

import sqlite3
from functools import cache

from secretome_cli.model.fields import TEXT_COLUMNS

SchemaRow = tuple[str, str, str, "str | None"]
"""One row of `sqlite_master`: type, name, table, SQL."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file TEXT NOT NULL,
                      doc TEXT NOT NULL);
CREATE TABLE terms (field TEXT NOT NULL, term TEXT NOT NULL, rids BLOB NOT NULL,
                    PRIMARY KEY (field, term)) WITHOUT ROWID;
CREATE TABLE refs (key TEXT PRIMARY KEY, year INTEGER, doi TEXT, surnames TEXT NOT NULL);
CREATE TABLE labels (word TEXT PRIMARY KEY, zipf REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab (data TEXT NOT NULL, normalised TEXT NOT NULL);
CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, rid INTEGER,
                    id TEXT)
    WITHOUT ROWID;
CREATE TABLE problems (file TEXT, line INTEGER, col INTEGER, rule TEXT, message TEXT,
                       severity TEXT);
CREATE VIRTUAL TABLE text USING fts5({columns}, content='',
                                     tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE text_vocab USING fts5vocab(text, 'row');
""".replace("{columns}", ", ".join(TEXT_COLUMNS))


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the index's tables in a database without tables."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


@cache
def own_schema() -> frozenset[SchemaRow]:
    """What `sqlite_master` holds in an index this tool built (read from one made in memory:
    the SQL SQLite keeps, and that of the full-text index's own tables, is SQLite's)."""
    conn = sqlite3.connect(":memory:")
    try:
        create_tables(conn)
        return frozenset(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()
