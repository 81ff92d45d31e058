"""The index cache heals itself: a damaged file is rebuilt once with a note, a file that stays
damaged is a clear error, the cheaper of an update and a full build is chosen, and index
files of older formats or of record sets that are gone are removed after a build."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli.index import build, cache, opening, update
from secretome_cli.index.cache import CacheError, index_path
from secretome_cli.index.opening import load


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


def touch(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def damage_pages(path: Path) -> None:
    """Overwrite the second half of a database file, leaving its header intact (once the
    connections of earlier runs are closed and the WAL is written back into it)."""
    gc.collect()
    assert not path.with_name(path.name + "-wal").exists()
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2)
        f.write(b"\xa5" * (size - size // 2))


@pytest.mark.slow
def test_damaged_pages_are_rebuilt_once_with_a_note(record_set: Path, secretome):
    assert secretome("export", "--records", str(record_set)).code == 0
    expected = secretome("export", "--records", str(record_set)).stdout
    path = index_path(record_set)
    damage_pages(path)
    run = secretome("export", "--records", str(record_set))
    assert run.code == 0
    assert run.stdout == expected
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"secretome: note: the index cache file {path} could not be read")
    assert run.stderr.endswith("; rebuilt it\n")
    again = secretome("export", "--records", str(record_set))
    assert (again.code, again.stdout, again.stderr) == (0, expected, "")


@pytest.mark.slow
def test_a_search_that_meets_a_damaged_page_is_answered(record_set: Path, secretome):
    first = secretome("search", "colitis", "--records", str(record_set), "--json")
    damage_pages(index_path(record_set))
    run = secretome("search", "colitis", "--records", str(record_set), "--json")
    assert (run.code, run.ids()) == (0, first.ids())
    assert run.stderr.startswith("secretome: note: the index cache file ")


def test_a_file_that_stays_damaged_is_a_clear_error(
    record_set: Path, secretome, monkeypatch: pytest.MonkeyPatch
):
    def broken(*args: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(opening, "_open_cached", broken)
    with pytest.raises(CacheError, match="secretome cache clear"):
        load(record_set)
    run = secretome("search", "colitis", "--records", str(record_set))
    assert run.code == 2
    path = index_path(record_set)
    assert run.stderr.splitlines() == [
        f"secretome: error: the index cache file {path} cannot be used (database disk image "
        "is malformed), even after rebuilding it; run `secretome cache clear` and try again",
    ]


def test_a_query_that_fails_twice_is_a_clear_error(
    record_set: Path, secretome, monkeypatch: pytest.MonkeyPatch
):
    from secretome_cli.search import rank

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(rank.Searcher, "search", broken)
    run = secretome("search", "colitis", "--records", str(record_set))
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1].endswith(
        "even after rebuilding it; run `secretome cache clear` and try again"
    )


def test_the_cheaper_of_update_and_full_build_is_chosen(
    record_set: Path, monkeypatch: pytest.MonkeyPatch
):
    builds: list[int] = []
    real = opening.build_into
    monkeypatch.setattr(opening, "build_into", lambda *a, **k: builds.append(1) or real(*a, **k))
    monkeypatch.setattr(update, "FULL_BUILD_MIN", 10)
    load(record_set).close()
    assert builds == [1]
    files = sorted((record_set / "evidence").glob("*.yaml"))
    touch(files[0])
    load(record_set).close()
    assert builds == [1]  # one file changed: updated in place
    for path in files[: len(files) // 2]:
        touch(path)
    load(record_set).close()
    assert builds == [1, 1]  # half of them: built whole


def test_a_full_build_is_one_transaction(record_set: Path, monkeypatch: pytest.MonkeyPatch):
    """A build that fails half way leaves the previous index as it was."""
    index = load(record_set)
    before = index.ids()
    index.close()
    (record_set / "vocab" / "diseases.yaml").touch()
    touch(record_set / "vocab" / "diseases.yaml")

    def fail(*args: object) -> None:
        raise RuntimeError("killed half way")

    monkeypatch.setattr(build, "_write_problems", fail)
    with pytest.raises(RuntimeError):
        load(record_set)
    conn = sqlite3.connect(index_path(record_set))
    assert [i for (i,) in conn.execute("SELECT id FROM records ORDER BY id")] == before
    conn.close()


@pytest.mark.empty_cache
def test_old_and_orphaned_index_files_are_pruned(record_set: Path, tmp_path: Path):
    directory = cache.cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    old_format = directory / "index-0123456789abcdef.sqlite"
    old_format.write_bytes(b"an index of an older version")
    (directory / "index-0123456789abcdef.sqlite-journal").write_bytes(b"its journal")
    temporary = directory / ".index-0123456789abcdef.sqlite.4242.tmp"
    temporary.write_bytes(b"half a database")
    other = tmp_path / "other"
    shutil.copytree(RECORDS, other)
    load(other).close()
    orphan = index_path(other)
    shutil.rmtree(other)
    recent = directory / "index-fedcba9876543210-f1.sqlite"
    recent.write_bytes(b"in use by an older version right now")
    unrelated = directory / "notes.txt"
    unrelated.write_text("not ours")
    hour_ago = time.time() - 2 * cache.STALE_AFTER
    for path in (old_format, temporary, orphan):
        os.utime(path, (hour_ago, hour_ago))
    load(record_set).close()
    left = sorted(p.name for p in directory.iterdir())
    assert left == sorted([index_path(record_set).name, recent.name, unrelated.name])


def test_an_index_of_another_layout_is_rebuilt(record_set: Path):
    """Tables this tool did not write (a view here) are never used: the file is rebuilt,
    and the note says what it held."""
    path = index_path(record_set)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('format', '5');"
        "CREATE VIRTUAL TABLE text USING fts5(x); CREATE VIEW v AS SELECT 1;"
    )
    conn.close()
    index = load(record_set)
    assert len(index.ids()) == len(list((record_set / "evidence").glob("*.yaml")))
    assert index.notes == [
        f"the index cache file {path} held a view 'v', which secretome did not write; rebuilt it"
    ]
    index.close()
