"""Bringing a cached index up to date with its files without building it whole: a pure plan
(which record files to re-read, or none but a full build will do), then applying it in the
caller's transaction.

Freshness: every run compares the names, sizes and modification times of all files of the
record set with those the index was built from (the fingerprint, `scan.py`). A change to the
dataset, bibliography or vocabulary files rebuilds the whole index (`opening.py`); added or
edited record files are re-read alone, unless so many changed that a full build is cheaper;
a removed record rebuilds everything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from secretome_cli.index.build import Writer, delete_record, now

if TYPE_CHECKING:
    from pathlib import Path

    from secretome_cli.files.layout import Layout
    from secretome_cli.index.scan import Scan
    from secretome_cli.validate.check import Checked
    from secretome_cli.validate.record_file import FileResult

FULL_BUILD_SHARE = 0.25
"""An update that would re-read more than this share of the record files (and more than
FULL_BUILD_MIN) builds the whole index instead: re-reading files one by one costs about as
much as a full build (which reads in parallel and writes in batches) when a quarter to a
third of them changed (see docs/performance.md)."""
FULL_BUILD_MIN = 200

Known = tuple[int, int, int | None, str | None]
"""What the index keeps of a record file: size, modification time, rid (None: left out) and
the id it names."""


class NeedsFullBuild(Exception):
    """An incremental update cannot express the change (a record was removed or renamed) or
    would cost more than a full build."""


def prepare(root: Path, **options: Any) -> Checked:
    """validate.check.prepare, imported when a build needs it (a warm query does not)."""
    from secretome_cli.validate.check import prepare as prepare_set

    return prepare_set(root, **options)


def _check_ids(
    conn: sqlite3.Connection,
    known: Mapping[str, Known],
    results: list[FileResult],
) -> None:
    """Raise NeedsFullBuild when the re-read files change which ids exist or who holds them:
    other records' see_also links may then resolve differently, and which of two files with
    one id is kept depends on their order, which only a full build sees."""
    held = {record_id: name for name, (*_, record_id) in known.items() if record_id}
    seen: set[str] = set()
    for result in results:
        name = result.path.name
        old = known.get(name)
        if old is not None and old[3] != result.record_id:
            raise NeedsFullBuild  # an id changed, appeared or vanished
        if result.record_id is None:
            continue
        if held.get(result.record_id, name) != name or result.record_id in seen:
            raise NeedsFullBuild  # two files with one id
        seen.add(result.record_id)
        if (
            old is None
            and conn.execute(
                "SELECT 1 FROM problems WHERE rule = 'unknown-record' LIMIT 1"
            ).fetchone()
        ):
            raise NeedsFullBuild  # a new id: a link that pointed nowhere may now resolve


class _StoredIds(MutableMapping[str, str]):
    """Record id → the file that holds it (as messages name it), for the rules across files
    of an update: read from the index one id at a time, as an update asks about the few ids
    of the files it re-reads (see docs/performance.md), with the update's own changes kept
    on top."""

    def __init__(self, conn: sqlite3.Connection, prefix: str) -> None:
        self.conn = conn
        self.prefix = prefix
        """What messages put before a file name (`display_prefix` of the evidence folder)."""
        self.changed: dict[str, str] = {}
        self.removed: set[str] = set()

    def __getitem__(self, record_id: str) -> str:
        if record_id in self.changed:
            return self.changed[record_id]
        if record_id not in self.removed:
            row = self.conn.execute(
                "SELECT file FROM records WHERE id = ?", (record_id,)
            ).fetchone()
            if row is not None:
                return self.prefix + str(row[0])
        raise KeyError(record_id)

    def __setitem__(self, record_id: str, file: str) -> None:
        self.changed[record_id] = file
        self.removed.discard(record_id)

    def __delitem__(self, record_id: str) -> None:
        if record_id not in self:
            raise KeyError(record_id)
        self.changed.pop(record_id, None)
        self.removed.add(record_id)

    def __iter__(self) -> Iterator[str]:
        stored = (i for (i,) in self.conn.execute("SELECT id FROM records"))
        yield from (i for i in stored if i not in self.removed and i not in self.changed)
        yield from self.changed

    def __len__(self) -> int:
        return sum(1 for _ in self)


def plan(known: Mapping[str, Known], current: Scan) -> list[str] | None:
    """The record files to re-read to bring an index built from the files `known` up to the
    files `current` (none: they are listed in another order, only the fingerprint changes);
    None when only a full build can: a file was removed, or more than FULL_BUILD_SHARE of
    them changed."""
    if set(known) - set(current.records):
        return None
    changed = [n for n, st in current.records.items() if known.get(n, (None, None))[:2] != st]
    if len(changed) > max(FULL_BUILD_MIN, FULL_BUILD_SHARE * len(current.names)):
        return None
    return changed


def update(conn: sqlite3.Connection, layout: Layout, current: Scan) -> None:
    """Bring the index up to date by re-reading only changed or added record files (`plan`),
    in the caller's transaction. Raises NeedsFullBuild when the plan or the files re-read
    call for a full build (a file removed, an id changed, too many files changed)."""
    known = {
        name: (size, mtime, rid, record_id)
        for name, size, mtime, rid, record_id in conn.execute(
            "SELECT name, size, mtime_ns, rid, id FROM files"
        )
    }
    changed = plan(known, current)
    if changed is None:
        raise NeedsFullBuild
    if not changed:  # the directory lists its files in another order: nothing to re-read
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (current.fingerprint,)
        )
        return
    _apply(conn, layout, current, known, changed)


def _apply(
    conn: sqlite3.Connection,
    layout: Layout,
    current: Scan,
    known: Mapping[str, Known],
    changed: list[str],
) -> None:
    """Re-read the files `changed` into the index (see `update`)."""
    from secretome_cli.files.layout import display_prefix
    from secretome_cli.validate.record_file import check_file
    from secretome_cli.validate.rules import Links

    checked = prepare(layout.root, keep_records=False, canonical=False)
    context = checked.context(build_rows=True)
    evidence = layout.evidence_dir
    links = Links(_StoredIds(conn, display_prefix(evidence)))
    results: list[FileResult] = []
    for name in changed:
        result = check_file(layout.evidence_dir / name, context, checked.vocabulary)
        old = known.get(name)
        if old is not None and old[2] is not None:
            old_id = conn.execute("SELECT id FROM records WHERE rid = ?", (old[2],)).fetchone()
            if old_id and old_id[0] != result.record_id:
                raise NeedsFullBuild  # an id changed: other records' links may break
            delete_record(conn, old[2])
            links.ids.pop(old_id[0] if old_id else "", None)
        results.append(result)
    for other, (_, _, rid, _) in known.items():
        if rid is None and other not in changed:  # the id of a broken record counts too
            links.claim(check_file(evidence / other, context, checked.vocabulary))
    _check_ids(conn, known, results)
    for result in results:  # the ids of all re-read files are known to each other's links
        if result.record_id is not None:
            links.ids.setdefault(result.record_id, result.name)
    writer = Writer(conn)
    writer.next_rid = (conn.execute("SELECT max(rid) FROM records").fetchone()[0] or 0) + 1
    conn.execute(
        "DELETE FROM problems WHERE file IN ({})".format(",".join("?" * len(results))),
        [r.name for r in results],
    )
    for result in results:
        name = result.path.name
        conn.execute("DELETE FROM files WHERE name = ?", (name,))
        duplicate = links.claim(result)
        if duplicate is not None:
            if links.ids[result.record_id or ""] > result.name:
                raise NeedsFullBuild  # the file after this one loses the id
            result.problems.append(duplicate)
        if links.unknown(result):
            raise NeedsFullBuild
        if not result.ok or duplicate or result.row is None:
            result.row = None
            conn.executemany(
                "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (p.file, p.line, p.column, p.rule, p.message, p.severity)
                    for p in result.problems
                    if p.severity == "error"
                ],
            )
        writer.add(result, current.records[name])
    writer.flush_rows()
    writer.flush_terms(merge=True)
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [("fingerprint", current.fingerprint), ("updated", now())],
    )
