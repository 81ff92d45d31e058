"""`secretome cache info` lists the index files of the cache, `secretome cache clear` removes
them (and nothing else)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli.index.cache import INDEX_FORMAT, cache_dir, index_path


@pytest.mark.empty_cache
def test_info_of_an_empty_cache(secretome):
    run = secretome("cache info --format table")
    assert (run.code, run.stdout) == (0, f"{cache_dir()}: 0 index files, 0.0 MB\n")


@pytest.mark.slow
def test_info_lists_each_record_set(secretome, tmp_path: Path):
    other = tmp_path / "other"
    shutil.copytree(RECORDS, other)
    secretome("search", "colitis")
    secretome("search", "colitis", "--records", str(other))
    data = secretome("cache info --format json").json()
    assert data["directory"] == str(cache_dir())
    assert sorted(e["record_set"] for e in data["indexes"]) == sorted(
        [str(RECORDS), str(other.resolve())]
    )
    records = len(list((RECORDS / "evidence").glob("*.yaml")))
    for entry in data["indexes"]:
        assert entry["records"] == records
        assert entry["format"] == INDEX_FORMAT
        assert entry["state"] == "current"
        assert entry["size"] > 0
        assert entry["built"]
    assert data["size"] == sum(e["size"] for e in data["indexes"])
    shutil.rmtree(other)
    table = secretome("cache info --format table").stdout.splitlines()
    assert table[0].startswith(f"{cache_dir()}: 2 index files, ")
    assert table[1].split() == [
        "record",
        "set",
        "records",
        "format",
        "size",
        "built",
        "(UTC)",
        "state",
    ]
    states = sorted(line.rstrip().rsplit("  ", 1)[-1].strip() for line in table[2:])
    assert states == ["current", "record set gone"]


def test_info_says_what_is_wrong_with_a_file(secretome):
    secretome("search", "colitis")
    gc.collect()  # the connection of the search is closed, its WAL written back
    path = index_path(RECORDS)
    path.write_bytes(b"not a database" * 100)
    data = secretome("cache info --format json").json()
    assert [e["state"] for e in data["indexes"]] == ["unreadable"]


def test_clear_removes_index_files_only(secretome):
    secretome("search", "colitis")
    directory = cache_dir()
    (directory / "index-0123456789abcdef.sqlite").write_bytes(b"an older index")
    (directory / "mine.txt").write_text("not an index")
    run = secretome("cache clear")
    assert run.code == 0
    assert run.stdout.startswith("removed 2 index files (")
    assert run.stdout.endswith(" MB)\n")
    assert [p.name for p in directory.iterdir()] == ["mine.txt"]
    assert secretome("cache clear").stdout == "removed 0 index files (0.0 MB)\n"
    assert secretome("search", "colitis").code == 0  # built again when needed


def test_cache_without_a_subcommand_shows_help(secretome):
    run = secretome("cache")
    assert "info" in run.stdout + run.stderr
    assert "clear" in run.stdout + run.stderr
