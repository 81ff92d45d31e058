"""What the index cache holds (`secretome cache info`), clearing it (`secretome cache clear`)
and pruning the files of gone record sets and older formats after a full build. Apart from
`cache.py` so that a query, which needs neither, does not import it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from secretome_cli.index.cache import (
    INDEX_FORMAT,
    INDEX_NAME,
    SIDE_FILES,
    TEMPORARY_NAME,
    cache_dir,
    remove_database,
)

# --- what the cache holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One index file in the cache."""

    path: Path
    size: int
    """Bytes of the file and its side files."""
    format: int | None
    """The index format, from the file name (None: a file of an older naming scheme)."""
    record_set: str | None = None
    records: int | None = None
    built: str | None = None
    """When the index was last built whole (UTC, ISO 8601)."""
    updated: str | None = None
    """When it was last brought up to date (UTC, ISO 8601)."""
    readable: bool = True

    @property
    def state(self) -> str:
        """current, older format, newer format, record set gone, temporary or unreadable."""
        if self.format is None or self.format < INDEX_FORMAT:
            return "older format"
        if self.format > INDEX_FORMAT:
            return "newer format"
        if not self.readable:
            return "unreadable"
        if self.record_set is None or not (Path(self.record_set) / "dataset.yaml").is_file():
            return "record set gone"
        return "current"


def entries(directory: Path | None = None) -> list[Entry]:
    """Every index file of the cache directory (none when it does not exist), by name."""
    directory = directory or cache_dir()
    try:
        names = sorted(os.listdir(directory))  # noqa: PTH208 (names are all that is needed)
    except OSError:
        return []
    found = []
    for name in names:
        path = directory / name
        if TEMPORARY_NAME.match(name):
            found.append(Entry(path, _size(path), None, readable=False))
            continue
        match = INDEX_NAME.match(name)
        if match is None:
            continue
        fmt = int(match.group(2)) if match.group(2) else None
        found.append(_describe(path, fmt) if fmt == INDEX_FORMAT else Entry(path, _size(path), fmt))
    return found


def _size(path: Path) -> int:
    total = 0
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    return total


def _describe(path: Path, fmt: int) -> Entry:
    """An index file of this format, with what its meta table says."""
    try:
        conn = sqlite3.connect(path, timeout=5)
    except sqlite3.Error:
        return Entry(path, _size(path), fmt, readable=False)
    try:
        conn.execute("PRAGMA query_only=ON")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        (records,) = conn.execute("SELECT count(*) FROM records").fetchone()
    except sqlite3.Error:
        return Entry(path, _size(path), fmt, readable=False)
    finally:
        conn.close()
    return Entry(
        path,
        _size(path),
        fmt,
        record_set=meta.get("root"),
        records=int(records),
        built=meta.get("built"),
        updated=meta.get("updated"),
    )


# --- removing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleared:
    """What a clean-up removed."""

    files: int
    size: int


def clear(directory: Path | None = None) -> Cleared:
    """Remove every index file (and temporary file of an older version) from the cache."""
    removed = [(e.path, remove_database(e.path)) for e in entries(directory)]
    return Cleared(len(removed), sum(size for _, size in removed))


STALE_AFTER = 3600
"""Seconds a file must have been left alone before pruning removes it: an older version of
the tool may still be using its own file."""


def prune(keep: Path) -> Cleared:
    """Remove the index files of record sets that no longer exist and those of older index
    formats (left alone for an hour, so that none is in use); `keep` is never removed."""
    removed = []
    now = time.time()
    for entry in entries(keep.parent):
        if entry.path == keep or entry.state not in {"older format", "record set gone"}:
            continue
        with contextlib.suppress(OSError):
            if now - entry.path.stat().st_mtime < STALE_AFTER:
                continue
            removed.append(remove_database(entry.path))
    return Cleared(len(removed), sum(removed))
