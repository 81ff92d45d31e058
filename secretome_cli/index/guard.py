"""What the tool trusts of its cache, checked before anything in it is used.

The cache folder's path is predictable, so whoever can write into it could plant an index:
a symbolic link at an index file's name (a build would then write through it), a trigger or
a view among its tables (SQLite would run them), or content that keeps a statement running
for ever. So:

- the folder is created private (0700) and refused, as ssh and gpg refuse theirs, when
  another user owns it or others can write to it (`trusted_dir`);
- an index file, and each of the files SQLite keeps beside it, must be a regular file of
  this user with one name (`planted` says what else it is; the file is then removed, never
  opened, and built anew);
- its schema must be exactly the one this tool writes (`foreign_schema`): a trigger, a view,
  another table or index, or a table of another shape, and the file is rebuilt;
- connections run with `trusted_schema=OFF` and a time bound on every statement
  (`BoundedConnection`), so no content of the file can hang a command.

See docs/cache-security.md.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any

from secretome_cli.index.schema import own_schema
from secretome_cli.model.problems import RecordsError

STATEMENT_SECONDS = 20.0
"""The longest one SQL statement on a cache file may run before it is stopped: far above
the longest statement of a full build of 100 000 records (see docs/performance.md), far
below what anyone would wait for."""

SIDE_FILES = ("-wal", "-shm", "-journal", "-lock")
"""The files SQLite keeps beside a database, and the lock runs take turns on to build a new
index (`opening._building`): they belong to it and go with it."""

PROGRESS_STEPS = 100_000
"""SQLite virtual-machine steps between two checks of the statement's time (a check costs
a Python call; a hundred thousand steps take about a millisecond)."""


class UntrustedCache(RecordsError):
    """A cache folder that another user owns or others can write to."""


def trusted_dir(directory: Path, create: bool) -> bool:
    """Check the cache folder (creating it private when `create`); False when it does not
    exist or is not a folder (the caller answers from memory). Raises UntrustedCache when
    another user owns it or others can write to it."""
    if create:
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        st = directory.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if st.st_uid != os.geteuid():
        raise UntrustedCache(
            f"the cache folder {directory} belongs to another user (uid {st.st_uid}); "
            "secretome keeps its index only in a folder of your own: remove it, or set "
            "SECRETOME_CACHE_DIR to a folder of yours"
        )
    if st.st_mode & 0o022:
        raise UntrustedCache(
            f"the cache folder {directory} can be written by others "
            f"(mode {stat.S_IMODE(st.st_mode):o}); run `chmod 700 {directory}`, or set "
            "SECRETOME_CACHE_DIR to a private folder"
        )
    return True


def planted(path: Path) -> str | None:
    """Why the index file at `path` (or a file beside it) is not one this tool wrote: a
    symbolic link, not a regular file, or another user's; None when it is fine or absent.
    Checked without following links. (A second name, a hard link, is not looked for: none
    can be made in a private folder by anyone else, and a new index has two names for a
    moment while it is given its own, `opening._build_new`.)"""
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        try:
            st = file.lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{file.name} cannot be examined ({exc.strerror})"
        if stat.S_ISLNK(st.st_mode):
            return f"{file.name} is a symbolic link"
        if not stat.S_ISREG(st.st_mode):
            return f"{file.name} is not a regular file"
        if st.st_uid != os.geteuid():
            return f"{file.name} belongs to another user"
    return None


def remove_planted(path: Path) -> None:
    """Remove an index file and its side files without opening or following them."""
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        try:
            file.unlink()
        except FileNotFoundError:
            continue


class BoundedConnection(sqlite3.Connection):
    """A connection whose every statement is stopped after STATEMENT_SECONDS (it then raises
    sqlite3.OperationalError: interrupted); the clock starts again at each `execute`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = time.monotonic() + STATEMENT_SECONDS
        self.set_progress_handler(self._over_time, PROGRESS_STEPS)

    def _over_time(self) -> int:
        return int(time.monotonic() > self.deadline)

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self.deadline = time.monotonic() + STATEMENT_SECONDS
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self.deadline = time.monotonic() + STATEMENT_SECONDS
        return super().executemany(*args, **kwargs)


def connect(target: str | Path, **options: Any) -> sqlite3.Connection:
    """A bounded connection to a cache file (`sqlite3.connect` options), with the schema's
    own SQL (views, triggers, defaults) never trusted to call functions."""
    conn = sqlite3.connect(target, factory=BoundedConnection, **options)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
    except BaseException:
        conn.close()
        raise
    return conn


def foreign_schema(conn: sqlite3.Connection) -> str | None:
    """What in the database's schema this tool did not write (a trigger 'x', a view 'meta',
    a table 'y' of another shape), read from `sqlite_master` only; None when the schema is
    exactly the tool's own, or empty (a new file)."""
    found = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    if not found:
        return None
    own = own_schema()
    strange = sorted(found - own, key=lambda row: (_WORST_FIRST.index(row[0]), row[1]))
    if strange:
        kind, name = strange[0][0], strange[0][1]
        known = {(row[0], row[1]) for row in own}
        shape = " of another shape" if (kind, name) in known else ""
        return f"{'an' if kind == 'index' else 'a'} {kind} {name!r}{shape}"
    missing = sorted(own - found)
    if missing:
        return f"no {missing[0][0]} {missing[0][1]!r}"
    return None


_WORST_FIRST = ("trigger", "view", "table", "index")
"""The kinds of schema entry, in the order a note names the first strange one."""
