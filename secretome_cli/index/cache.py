"""The index cache: where index files are kept, how they are named, and removing one (what
each holds, clearing and pruning are in `cachefiles.py`, which only `secretome cache` and a
full build need).

One index file per record set (by the resolved path of its directory) and index format:
`index-<digest of the path>-f<format>.sqlite`, with SQLite's `-wal` and `-shm` files beside it
while it is in use. Nothing else in the cache directory is ever touched: `clear` and the
pruning after a new index is written remove only files named like an index of this tool
(including those of older formats and the `.index-*.tmp` files older versions built into).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from secretome_cli.model.problems import RecordsError

try:  # the BLAKE2 module alone: `hashlib` also loads OpenSSL, which costs a warm query more
    from _blake2 import blake2b as blake2b  # than any other import of its own (re-exported)
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as blake2b

INDEX_FORMAT = 7
"""Bumped whenever the layout of the index changes; an index of another format is rebuilt
(into a file of its own name, so that two versions of the tool never rebuild each other's)."""

SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database: they belong to it and go with it."""

INDEX_NAME = re.compile(r"^index-([0-9a-f]{16})(?:-f(\d+))?\.sqlite$")
"""The name of an index file: the digest of its record set's path, and its format."""
TEMPORARY_NAME = re.compile(r"^\.index-[0-9a-f]{16}.*\.tmp$")
"""The name of a file an older version built an index into."""


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
            size = file.stat().st_size
            file.unlink()
            freed += size
    return freed
