"""The index cache: where index files are kept, how they are named, removing one, what the
cache holds (`secretome cache info`), clearing it (`secretome cache clear`) and pruning the
files of gone record sets and older formats after a full build.

One index file per record set (by the resolved path of its directory) and index format:
`index-<digest of the path>-f<format>.sqlite`, with SQLite's `-wal` and `-shm` files beside it
while it is in use. Nothing else in the cache directory is ever touched: `clear` and the
pruning after a new index is written remove only files named like an index of this tool
(including those of older formats and the `.index-*.tmp` files a build writes before giving
its index its name; one left by a killed run goes with the pruning after an hour). What the
tool trusts of the folder and its files is `guard.py`.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import NamedTuple

from secretome_cli.index.guard import SIDE_FILES
from secretome_cli.model.problems import RecordsError

try:  # the BLAKE2 module alone: `hashlib` also loads OpenSSL, which costs a warm query more
    from _blake2 import blake2b as blake2b  # than any other import of its own (re-exported)
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as blake2b

INDEX_FORMAT = 9
"""Bumped whenever the layout of the index or the normal form of its words changes; an index
of another format is rebuilt (into a file of its own name, so that two versions of the tool
never rebuild each other's)."""

INDEX_NAME = r"^index-([0-9a-f]{16})(?:-f(\d+))?\.sqlite$"
"""The name of an index file: the digest of its record set's path, and its format (a pattern
compiled when first used, by `re`: a search lists no cache folder)."""
TEMPORARY_NAME = r"^\.index-[0-9a-f]{16}.*\.tmp$"
"""The name of a file a build writes an index into before giving it its name."""


class CacheError(RecordsError):
    """An index cache file that cannot be used even after rebuilding it."""


def cache_dir() -> Path:
    """Where indexes are kept: $SECRETOME_CACHE_DIR, else the user's cache directory."""
    override = os.environ.get("SECRETOME_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("secretome", appauthor=False))


def index_path(root: Path) -> Path:
    """The cache file of the index of the record set at `root`."""
    digest = blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{digest}-f{INDEX_FORMAT}.sqlite"


def damaged_message(path: Path, reason: object) -> str:
    """The error of an index file that rebuilding did not mend."""
    return (
        f"the index cache file {path} cannot be used ({reason}), even after rebuilding it; "
        "run `secretome cache clear` and try again"
    )


def remove_database(path: Path) -> int:
    """Delete a database file together with its journal, WAL and shared-memory files (a
    journal must never outlive the file it belongs to); returns the bytes freed."""
    freed = 0
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        with contextlib.suppress(OSError):
            size = file.lstat().st_size  # a link is removed, never followed
            file.unlink()
            freed += size
    return freed


# --- what the cache holds -------------------------------------------------------------------
# (named tuples, not dataclasses: every search imports this module, and a dataclass compiles
# its generated methods when it is defined)


class Entry(NamedTuple):
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
    """Every index file of the cache directory (none when it does not exist), by name, with
    what the meta table of each of this format says."""
    return [
        _describe(path, fmt) if fmt == INDEX_FORMAT else Entry(path, _size(path), fmt)
        for path, fmt in _index_files(directory or cache_dir())
    ]


def _index_files(directory: Path) -> list[tuple[Path, int | None]]:
    """The index files of the cache directory by name, each with the format its name says
    (None: an older naming scheme or a temporary file); nothing is opened."""
    try:
        names = sorted(os.listdir(directory))  # noqa: PTH208 (names are all that is needed)
    except OSError:
        return []
    found: list[tuple[Path, int | None]] = []
    for name in names:
        match = re.match(INDEX_NAME, name)
        if match is not None:
            found.append((directory / name, int(match.group(2)) if match.group(2) else None))
        elif re.match(TEMPORARY_NAME, name):
            found.append((directory / name, None))
    return found


def _size(path: Path) -> int:
    total = 0
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        with contextlib.suppress(OSError):
            total += file.lstat().st_size
    return total


def _describe(path: Path, fmt: int) -> Entry:
    """An index file of this format, with what its meta table says (unreadable when it is
    not a file this tool wrote: see guard.py)."""
    from secretome_cli.index.guard import connect, foreign_schema, planted

    if planted(path) is not None:
        return Entry(path, _size(path), fmt, readable=False)
    try:
        conn = connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=5)
    except (sqlite3.Error, ValueError):
        return Entry(path, _size(path), fmt, readable=False)
    try:
        if foreign_schema(conn) is not None:
            return Entry(path, _size(path), fmt, readable=False)
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


class Cleared(NamedTuple):
    """What a clean-up removed."""

    files: int
    size: int


def clear(directory: Path | None = None) -> Cleared:
    """Remove every index file (and temporary file) from the cache, by name: none is opened,
    so no content of one can stop it."""
    removed = [remove_database(path) for path, _ in _index_files(directory or cache_dir())]
    return Cleared(len(removed), sum(removed))


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
