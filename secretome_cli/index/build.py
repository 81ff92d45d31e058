"""The index's schema, and building it: a record set's files written into an SQLite database.

Why SQLite: it is in the standard library, answers "which records name this term" from a
B-tree instead of a scan (so a query costs in proportion to its matches, not to the record
count), has a full-text index (FTS5) for the words of claims and mechanisms, and its
transactions make every update atomic, so concurrent runs and a crash mid-build are safe.

Tables (`schema.py`):
    meta      key → value: index format, fingerprint of the files, dataset version, ...
    records   rid, id, file, doc: the record's JSON document
    terms     field, term, rids: the records holding a structured term (disease, factor,
              target, pathway, ...), as a packed array of rids
    text      FTS5 over the folded, stemmed words of claim, mechanism, outcomes, disease
              context and model (contentless); text_vocab lists its words
    labels    every word of the vocabulary labels (typo correction), with how common it is in
              general English (`words/english.py`: a common word is no partial name)
    refs      key, year, doi, surnames: the bibliography, for author/year and DOI look-ups
    vocab     the vocabulary data as JSON (search builds its Vocabulary from it)
    files     name, size, mtime_ns, rid, id: the record files the index was built from, with
              the id each names (also when the record was left out)
    problems  the errors of record files that were left out

Reading it is `store.py` (`Index`); bringing it up to date, `update.py`; opening the cached
file, `opening.py`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from secretome_cli import __version__
from secretome_cli.index.cache import INDEX_FORMAT
from secretome_cli.index.schema import create_tables
from secretome_cli.index.store import posting
from secretome_cli.model.document import doc_text, surname_keys
from secretome_cli.model.fields import TEXT_COLUMNS, doc_terms
from secretome_cli.words.normalize import words

if TYPE_CHECKING:
    from secretome_cli.index.scan import Scan
    from secretome_cli.validate.check import Checked
    from secretome_cli.validate.record_file import FileResult

Progress = Callable[[int, int], None]
"""Called as progress(done, total) while an index is built."""


_INSERT_TEXT = (
    f"INSERT INTO text(rowid, {', '.join(TEXT_COLUMNS)}) VALUES (?{', ?' * len(TEXT_COLUMNS)})"
)
_DELETE_TEXT = (
    f"INSERT INTO text(text, rowid, {', '.join(TEXT_COLUMNS)}) "
    f"VALUES ('delete', ?{', ?' * len(TEXT_COLUMNS)})"
)


class Writer:
    """Collects rows and writes them to an index database, a batch at a time."""

    BATCH = 512

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.postings: dict[tuple[str, str], array[int]] = {}
        self.next_rid = 1
        self.records: list[tuple[int, str, str, str]] = []
        self.texts: list[tuple[Any, ...]] = []
        self.files: list[tuple[str, int, int, int | None, str | None]] = []

    def add(self, result: FileResult, size_mtime: tuple[int, int] | None) -> int | None:
        row = result.row
        name = result.path.name
        size, mtime = size_mtime or (0, 0)
        if any(p.rule == "unreadable" for p in result.problems):
            size = mtime = -1  # it went away (or was not a file) while read: read it next time
        if row is None:
            self.files.append((name, size, mtime, None, result.record_id))
            return None
        rid = self.next_rid
        self.next_rid += 1
        self.records.append((rid, row.record_id, name, row.doc))
        self.texts.append((rid, *row.text))
        self.files.append((name, size, mtime, rid, result.record_id))
        for pair in row.terms:
            found = self.postings.get(pair)
            if found is None:
                self.postings[pair] = array("q", (rid,))
            else:
                found.append(rid)
        if len(self.files) >= self.BATCH:
            self.flush_rows()
        return rid

    def flush_rows(self) -> None:
        """Write the records, text and files rows collected so far."""
        self.conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", self.records)
        self.conn.executemany(_INSERT_TEXT, self.texts)
        self.conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", self.files)
        self.records, self.texts, self.files = [], [], []

    def flush_terms(self, merge: bool = False) -> None:
        """Write the postings collected; with `merge`, add them to those already stored."""
        if merge:
            for (field, term), rids in sorted(self.postings.items()):
                stored = posting(self.conn, field, term) or array("q")
                stored.extend(rids)
                self.conn.execute(
                    "INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", (field, term, stored.tobytes())
                )
            return
        self.conn.executemany(
            "INSERT INTO terms VALUES (?, ?, ?)",
            ((f, t, rids.tobytes()) for (f, t), rids in sorted(self.postings.items())),
        )


def build_into(
    conn: sqlite3.Connection, checked: Checked, scan_: Scan, progress: Progress | None = None
) -> None:
    """Write the index of a prepared record set (see validate.check.prepare) into a database
    without tables, in the caller's transaction."""
    from secretome_cli.validate.workers import iter_files

    create_tables(conn)
    _write_set_tables(conn, checked, scan_)
    writer = Writer(conn)
    files = checked.layout.record_files()
    total = len(files)
    last = time.monotonic()
    rids: dict[str, int] = {}
    # closed at once when this loop fails, so that its worker processes end with it
    with contextlib.closing(iter_files(files, checked.context(build_rows=True))) as results:
        for done, result in enumerate(results, 1):
            valid = checked.add(result)
            if not valid:
                result.row = None
            rid = writer.add(result, scan_.records.get(result.path.name))
            if rid is not None:
                rids[result.name] = rid
            if progress is not None and (time.monotonic() - last > 0.1 or done == total):
                progress(done, total)
                last = time.monotonic()
    writer.flush_rows()
    for name in checked.finish():
        delete_record(conn, rids[name], writer)
    writer.flush_terms()
    _write_problems(conn, checked)


def _write_set_tables(conn: sqlite3.Connection, checked: Checked, scan_: Scan) -> None:
    dataset = checked.dataset
    meta = {
        "format": str(INDEX_FORMAT),
        "tool": __version__,
        "fingerprint": scan_.fingerprint,
        "data": scan_.data,
        "root": str(checked.layout.root.resolve()),
        "built": now(),
        "dataset_version": dataset.version if dataset else "?",
        "dataset_released": dataset.released.isoformat() if dataset else "?",
        "dataset_name": dataset.name if dataset else "?",
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.execute(
        "INSERT INTO vocab VALUES (?, ?)",
        (json.dumps(checked.vocab_data), json.dumps(checked.vocabulary.normalised())),
    )
    conn.executemany(
        "INSERT INTO refs VALUES (?, ?, ?, ?)",
        [
            (r.key, r.year, r.doi, json.dumps(surname_keys(r.authors)))
            for r in checked.references.values()
        ],
    )
    labels: set[str] = set()
    for terms in checked.vocabulary.terms.values():
        for term in terms.values():
            for label in (*term.labels, *term.abbreviations):
                labels.update(words(label))
    from secretome_cli.words.english import common_zipf  # the word list: only when building

    conn.executemany(
        "INSERT INTO labels VALUES (?, ?)", ((w, common_zipf(w)) for w in sorted(labels))
    )


def now() -> str:
    """The time now, as the meta table keeps it (UTC, ISO 8601)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _write_problems(conn: sqlite3.Connection, checked: Checked) -> None:
    conn.execute("DELETE FROM problems")
    conn.executemany(
        "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
        [(p.file, p.line, p.column, p.rule, p.message, p.severity) for p in checked.errors],
    )


def delete_record(conn: sqlite3.Connection, rid: int, writer: Writer | None = None) -> None:
    """Remove a record from the records, text and files tables (its terms are handled by the
    caller: in the writer's postings, or by `_remove_terms`)."""
    row = conn.execute("SELECT doc FROM records WHERE rid = ?", (rid,)).fetchone()
    if row is None:
        return
    doc = json.loads(row[0])
    conn.execute(
        _DELETE_TEXT,
        (rid, *doc_text(doc)),
    )
    conn.execute("DELETE FROM records WHERE rid = ?", (rid,))
    conn.execute("UPDATE files SET rid = NULL WHERE rid = ?", (rid,))
    if writer is not None:
        for pair in set(doc_terms(doc)):
            found = writer.postings.get(pair)
            if found is not None and rid in found:
                found.remove(rid)
    else:
        _remove_terms(conn, rid, set(doc_terms(doc)))


def _remove_terms(conn: sqlite3.Connection, rid: int, pairs: Iterable[tuple[str, str]]) -> None:
    for field, term in pairs:
        rids = posting(conn, field, term)
        if rids is None:
            continue
        if rid in rids:
            rids.remove(rid)
        if rids:
            conn.execute(
                "UPDATE terms SET rids = ? WHERE field = ? AND term = ?",
                (rids.tobytes(), field, term),
            )
        else:
            conn.execute("DELETE FROM terms WHERE field = ? AND term = ?", (field, term))
