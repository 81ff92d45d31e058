"""What the tool trusts of its cache (index/guard.py): the schema must be exactly its own,
the schema's SQL is never trusted, and no statement on a cache file runs without a bound."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli.index import guard
from secretome_cli.index.cache import index_path
from secretome_cli.index.opening import load


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The index file of a copy of the bundled records, built and closed."""
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    load(root).close()
    return index_path(root)


def schema_note(path: Path, *statements: str) -> str | None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    try:
        return guard.foreign_schema(conn)
    finally:
        conn.close()


def test_the_tools_own_schema_is_trusted(built: Path):
    assert schema_note(built) is None


def test_an_empty_database_is_a_new_index(tmp_path: Path):
    assert schema_note(tmp_path / "new.sqlite") is None


@pytest.mark.parametrize(
    ("statements", "note"),
    [
        (["CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM records; END"], "a trigger 't'"),
        (["CREATE VIEW v AS SELECT 1"], "a view 'v'"),
        (["CREATE TABLE extra (x)"], "a table 'extra'"),
        (["CREATE INDEX by_file ON records(file)"], "an index 'by_file'"),
        (["ALTER TABLE meta ADD COLUMN x"], "a table 'meta' of another shape"),
        (["DROP TABLE labels"], "no table 'labels'"),
    ],
)
def test_anything_else_in_the_schema_is_named(built: Path, statements: list[str], note: str):
    assert schema_note(built, *statements) == note


def test_an_index_connection_does_not_trust_its_schema(tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    index = load(root)
    try:
        assert index.conn.execute("PRAGMA trusted_schema").fetchone() == (0,)
    finally:
        index.close()


def test_a_statement_that_never_ends_is_stopped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(guard, "STATEMENT_SECONDS", 0.2)
    conn = guard.connect(":memory:")
    endless = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r"
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        conn.execute(endless).fetchone()
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the next statement has its own time
    conn.close()


def test_planted_files_are_named(tmp_path: Path):
    index = tmp_path / "index-0123456789abcdef-f6.sqlite"
    assert guard.planted(index) is None  # absent: built anew
    index.write_bytes(b"")
    assert guard.planted(index) is None
    wal = index.with_name(index.name + "-wal")
    wal.symlink_to(tmp_path / "elsewhere")
    assert guard.planted(index) == f"{wal.name} is a symbolic link"
    guard.remove_planted(index)
    assert list(tmp_path.iterdir()) == []
