"""Opening a record set's index: the cached file when it is current, else brought up to date
(`update.py`) or built whole (`build.py`), in memory when the cache cannot be written; and
sorting what SQLite raises into a damaged file (deleted and built again, once) and a cache
that cannot be used here (a full disk, no permission: answered from memory).

Nothing in the cache is used before `guard.py` has checked it: a private folder of this
user, index files that are regular files of this user (a symbolic link or other planted
file is removed unopened), and a schema that is exactly the tool's own (else the file is
removed and built again, with a note). See docs/cache-security.md.

A new index is built into a temporary file of its own and given its name only when whole
(a hard link, which fails when another run placed its index first: that one is used). An
index file already in place is changed only by SQLite transactions, in WAL mode, and never
renamed or replaced while it may be in use (another run may be reading it, and SQLite's
-wal and -shm files go by its name): a killed build or update leaves uncommitted pages in
the WAL, which SQLite ignores, so the next run finds the last committed index. Readers do
not wait for a writer and see one committed state for as long as their index is open;
writers take turns (BEGIN IMMEDIATE). A file SQLite cannot read (damaged pages, not a
database, tables of another layout) is deleted together with its side files and built
again, once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from secretome_cli.files.layout import Layout, require_layout
from secretome_cli.index import scan as scanning
from secretome_cli.index.build import Progress, build_into
from secretome_cli.index.cache import (
    INDEX_FORMAT,
    CacheError,
    damaged_message,
    index_path,
    remove_database,
)
from secretome_cli.index.guard import (
    connect,
    foreign_schema,
    planted,
    remove_planted,
    trusted_dir,
)
from secretome_cli.index.scan import Scan, Unconfirmed, scan
from secretome_cli.index.store import Index
from secretome_cli.index.update import NeedsFullBuild, prepare, update

BUSY_TIMEOUT = 600.0
"""Seconds a run waits for another one that is writing the same index (as long as a cold
build of a large record set takes; see docs/performance.md)."""

# SQLite's primary result codes that say the cache cannot be written or used here (a full
# disk, no permission, a lock held for too long) rather than that the file is damaged.
_ENVIRONMENT = {
    3,  # SQLITE_PERM
    5,  # SQLITE_BUSY
    6,  # SQLITE_LOCKED
    7,  # SQLITE_NOMEM
    8,  # SQLITE_READONLY
    10,  # SQLITE_IOERR
    13,  # SQLITE_FULL
    14,  # SQLITE_CANTOPEN
    15,  # SQLITE_PROTOCOL
    23,  # SQLITE_AUTH
}


class _Unusable(Exception):
    """The cache cannot be written here: answer from an index built in memory."""


class Foreign(sqlite3.DatabaseError):
    """An index file whose schema holds what this tool did not write."""


def load(root: Path, progress: Progress | None = None) -> Index:
    """The index of the record set at `root`: the cached one when it is current, else one
    updated or built now (in memory when the cache cannot be written). A cache file that
    cannot be read is rebuilt once, with a note on the returned index; when that fails too,
    raises CacheError."""
    layout = require_layout(root)
    path = index_path(root)
    if (early := scanning.early) is not None:  # answering early: the cached file as it stands
        if early.answered is not None or early.root != str(root.resolve()):
            raise Unconfirmed
        try:
            index = _open_cached(path, layout, None, progress, [])
        except (_Unusable, sqlite3.DatabaseError):
            raise Unconfirmed from None
        early.answered = index.fingerprint
        return index
    current = scan(layout)
    notes: list[str] = []
    for attempt in (1, 2):
        try:
            index = _open_cached(path, layout, current, progress, notes)
        except _Unusable:
            break
        except sqlite3.DatabaseError as exc:
            if attempt == 2:
                raise CacheError(damaged_message(path, exc)) from exc
            notes.append(
                foreign_note(path, exc) if isinstance(exc, Foreign) else damaged_note(path, exc)
            )
            remove_database(path)
            continue
        index.notes = notes
        return index
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA journal_mode=OFF")
    checked = prepare(root, keep_records=False, canonical=False)
    build_into(conn, checked, current, progress)
    conn.commit()
    return Index(conn, None, notes)


def damaged_note(path: Path, exc: BaseException) -> str:
    """The note of a cache file found damaged and rebuilt."""
    return f"the index cache file {path} could not be read ({exc}); rebuilt it"


def foreign_note(path: Path, what: object) -> str:
    """The note of a cache file that held what this tool did not write, removed and rebuilt."""
    return f"the index cache file {path} held {what}, which secretome did not write; rebuilt it"


def planted_note(path: Path, why: str) -> str:
    """The note of a file at an index file's name that this tool did not make (`why`)."""
    return f"the index cache file {path} was not made by secretome ({why}); removed it, rebuilt it"


def discard(root: Path) -> Path | None:
    """Delete the cache file of the record set at `root`, after a query met a damaged page in
    it: the next load builds it again. Returns the file deleted; None when there was none."""
    path = index_path(root)
    if not path.exists():
        return None
    remove_database(path)
    return path


def environmental(exc: sqlite3.Error) -> bool:
    """True when an SQLite error says the cache cannot be used here, not that it is damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _ENVIRONMENT


def _open_cached(
    path: Path, layout: Layout, current: Scan | None, progress: Progress | None, notes: list[str]
) -> Index:
    """Open the cache file, bringing it up to date first when it is not; raises _Unusable
    when it cannot be written, sqlite3.DatabaseError when it cannot be read (Foreign when it
    holds what this tool did not write), UntrustedCache when the cache folder is not private."""
    if not trusted_dir(path.parent, create=True):
        raise _Unusable
    why = planted(path)
    if current is None and (why is not None or not path.is_file()):  # early: as it stands
        raise _Unusable
    if why is not None:
        remove_planted(path)
        notes.append(planted_note(path, why))
    if current is not None and not os.path.lexists(path):
        with _building(path):
            if not os.path.lexists(path):  # else another run built it meanwhile
                _build_new(path, layout, current, progress)
    try:
        conn = connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _Unusable from exc
    try:
        foreign = foreign_schema(conn)
        if foreign is not None:
            raise Foreign(foreign)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN")
        meta = _meta(conn)
        if current is not None and not _is_current(meta, current):
            conn.execute("ROLLBACK")
            _bring_up_to_date(conn, path, layout, current, progress)
            conn.execute("BEGIN")
            meta = _meta(conn)  # the snapshot this run answers from
        if meta.get("format") != str(INDEX_FORMAT):
            raise sqlite3.DatabaseError("the index was not written")
        conn.execute("PRAGMA query_only=ON")
        return Index(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        if environmental(exc):
            raise _Unusable from exc
        raise
    except BaseException:
        conn.close()
        raise


@contextlib.contextmanager
def _building(path: Path) -> Iterator[None]:
    """Take the lock of building the index at `path` (runs take turns, so that runs started
    together on a cold cache build once), waiting for it no longer than BUSY_TIMEOUT."""
    import fcntl
    import time

    lock = path.with_name(path.name + "-lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise _Unusable from exc
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _Unusable from None
                time.sleep(0.05)
        try:
            yield
        finally:  # removed while held: a run that waited for it finds the index built
            with contextlib.suppress(OSError):
                lock.unlink()
    finally:
        os.close(fd)  # the lock goes with it


def _build_new(path: Path, layout: Layout, current: Scan, progress: Progress | None) -> None:
    """Build the index into a temporary file of this run and give it its name when whole;
    when another run placed its index first, that one stays (and is checked as usual)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    remove_planted(temporary)  # left by a killed run that had this process id
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        conn = sqlite3.connect(temporary, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        remove_planted(temporary)
        raise _Unusable from exc
    try:
        conn.execute("PRAGMA journal_mode=OFF")  # a file no one else reads: no journal
        conn.execute("PRAGMA synchronous=OFF")  # it is synced once, whole, below
        conn.execute("BEGIN")
        checked = prepare(layout.root, keep_records=False, canonical=False)
        build_into(conn, checked, current, progress)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
        fd = os.open(temporary, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    except sqlite3.Error as exc:
        if environmental(exc):
            raise _Unusable from exc
        raise
    except OSError as exc:
        raise _Unusable from exc
    finally:
        conn.close()
        remove_planted(temporary)
    from secretome_cli.index.cache import prune

    with contextlib.suppress(OSError):
        prune(path)


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The meta table, or nothing when the database has none (new, or not an index)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    return dict(conn.execute("SELECT key, value FROM meta")) if exists else {}


def _is_current(meta: dict[str, str], current: Scan) -> bool:
    return meta.get("format") == str(INDEX_FORMAT) and meta.get("fingerprint") == (
        current.fingerprint
    )


def _bring_up_to_date(
    conn: sqlite3.Connection, path: Path, layout: Layout, current: Scan, progress: Progress | None
) -> None:
    """Update or rebuild the index in one write transaction (after waiting for any other
    run writing it, which may have done the work already)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = _meta(conn)
        if _is_current(meta, current):
            conn.execute("ROLLBACK")
            return
        full = True
        if meta.get("format") == str(INDEX_FORMAT) and meta.get("data") == current.data:
            conn.execute("SAVEPOINT incremental")
            try:
                update(conn, layout, current)
                full = False
                conn.execute("RELEASE incremental")
            except NeedsFullBuild:
                conn.execute("ROLLBACK TO incremental")
                conn.execute("RELEASE incremental")
        if full:
            _drop_tables(conn)
            build_into(
                conn, prepare(layout.root, keep_records=False, canonical=False), current, progress
            )
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    if full:
        from secretome_cli.index.cache import prune

        with contextlib.suppress(OSError):
            prune(path)


def _drop_tables(conn: sqlite3.Connection) -> None:
    """Remove every table, view and trigger (virtual tables first: they own shadow tables)."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger', 'table')"
    ).fetchall()
    for kind, name, _ in rows:
        if kind in {"view", "trigger"}:
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for kind, name, sql in sorted(rows, key=lambda r: "fts5vocab" not in (r[2] or "")):
        if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL"):
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
