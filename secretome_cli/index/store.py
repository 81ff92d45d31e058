"""The search index: an SQLite database built from a record set and kept in the user's cache.

Why SQLite: it is in the standard library, answers "which records name this term" from a
B-tree instead of a scan (so a query costs in proportion to its matches, not to the record
count), has a full-text index (FTS5) for the words of claims and mechanisms, and its
transactions make every update atomic, so concurrent runs and a crash mid-build are safe.

Tables:
    meta      key → value: index format, fingerprint of the files, dataset version, ...
    records   rid, id, file, doc: the record's JSON document
    terms     field, term, rids: the records holding a structured term (disease, factor,
              target, pathway, ...), as a packed array of rids
    text      FTS5 over the folded, stemmed words of claim, mechanism, outcomes, disease
              context and model (contentless); text_vocab lists its words
    labels    every word of the vocabulary labels (typo correction)
    refs      key, year, doi, surnames: the bibliography, for author/year and DOI look-ups
    vocab     the vocabulary data as JSON (search builds its Vocabulary from it)
    files     name, size, mtime_ns, rid, id: the record files the index was built from, with
              the id each names (also when the record was left out)
    problems  the errors of record files that were left out

Freshness: every run compares the names, sizes and modification times of all files of the
record set with those the index was built from (the fingerprint). A change to the
dataset, bibliography or vocabulary files rebuilds the whole index; added or edited record
files are re-read alone, unless so many changed that a full build is cheaper; a removed
record rebuilds everything. Every change is one SQLite transaction on the cache file (see
"the cached index" below for why a killed run cannot break it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretome_cli import __version__
from secretome_cli.files.layout import Layout, require_layout
from secretome_cli.index.cache import (
    INDEX_FORMAT,
    CacheError,
    damaged_message,
    index_path,
    remove_database,
)
from secretome_cli.index.scan import Scan, scan
from secretome_cli.model.document import RecordDoc, doc_text, surname_keys
from secretome_cli.model.fields import TEXT_COLUMNS, doc_terms
from secretome_cli.model.problems import Problem
from secretome_cli.model.vocab import Vocabulary
from secretome_cli.words.normalize import words

if TYPE_CHECKING:
    from secretome_cli.validate.check import Checked, FileResult

Progress = Callable[[int, int], None]
"""Called as progress(done, total) while an index is built."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file TEXT NOT NULL,
                      doc TEXT NOT NULL);
CREATE TABLE terms (field TEXT NOT NULL, term TEXT NOT NULL, rids BLOB NOT NULL,
                    PRIMARY KEY (field, term)) WITHOUT ROWID;
CREATE TABLE refs (key TEXT PRIMARY KEY, year INTEGER, doi TEXT, surnames TEXT NOT NULL);
CREATE TABLE labels (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE vocab (data TEXT NOT NULL, normalised TEXT NOT NULL);
CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, rid INTEGER,
                    id TEXT)
    WITHOUT ROWID;
CREATE TABLE problems (file TEXT, line INTEGER, col INTEGER, rule TEXT, message TEXT,
                       severity TEXT);
CREATE VIRTUAL TABLE text USING fts5({columns}, content='',
                                     tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE text_vocab USING fts5vocab(text, 'row');
""".replace("{columns}", ", ".join(TEXT_COLUMNS))

_INSERT_TEXT = (
    f"INSERT INTO text(rowid, {', '.join(TEXT_COLUMNS)}) VALUES (?{', ?' * len(TEXT_COLUMNS)})"
)
_DELETE_TEXT = (
    f"INSERT INTO text(text, rowid, {', '.join(TEXT_COLUMNS)}) "
    f"VALUES ('delete', ?{', ?' * len(TEXT_COLUMNS)})"
)


# --- building -----------------------------------------------------------------------------


class _Writer:
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
                stored = _posting(self.conn, field, term) or array("q")
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
    from secretome_cli.validate.check import iter_files

    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    _write_set_tables(conn, checked, scan_)
    writer = _Writer(conn)
    files = checked.layout.record_files()
    total = len(files)
    last = time.monotonic()
    rids: dict[str, int] = {}
    for done, result in enumerate(iter_files(files, checked.context(build_rows=True)), 1):
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
        _delete_record(conn, rids[name], writer)
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
        "built": _now(),
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
    conn.executemany("INSERT INTO labels VALUES (?)", ((w,) for w in sorted(labels)))


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _write_problems(conn: sqlite3.Connection, checked: Checked) -> None:
    conn.execute("DELETE FROM problems")
    conn.executemany(
        "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
        [(p.file, p.line, p.column, p.rule, p.message, p.severity) for p in checked.errors],
    )


def _delete_record(conn: sqlite3.Connection, rid: int, writer: _Writer | None = None) -> None:
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


def _posting(conn: sqlite3.Connection, field: str, term: str) -> array[int] | None:
    """The rids of the records holding `term` in `field`, or None when none does."""
    row = conn.execute(
        "SELECT rids FROM terms WHERE field = ? AND term = ?", (field, term)
    ).fetchone()
    if row is None:
        return None
    rids = array("q")
    rids.frombytes(row[0])
    return rids


def _remove_terms(conn: sqlite3.Connection, rid: int, pairs: Iterable[tuple[str, str]]) -> None:
    for field, term in pairs:
        rids = _posting(conn, field, term)
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


# --- reading ------------------------------------------------------------------------------


@dataclass
class Index:
    """A read-only view of a built index, one consistent snapshot of it for as long as it is
    open (another process may bring the file up to date meanwhile)."""

    conn: sqlite3.Connection
    path: Path | None = None
    """The cache file (None: built in memory)."""
    notes: list[str] = dataclasses.field(default_factory=list)
    """What happened to the cache while opening it, for the user (a damaged file rebuilt)."""

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    @cached_property
    def meta(self) -> dict[str, str]:
        """The meta table."""
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the files this index was built from (`index/scan.py`)."""
        return self.meta.get("fingerprint", "")

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The vocabularies of the record set."""
        data, normalised = self.conn.execute("SELECT data, normalised FROM vocab").fetchone()
        return Vocabulary.from_data(json.loads(data), json.loads(normalised))

    @property
    def record_count(self) -> int:
        """How many records the index holds."""
        (n,) = self.conn.execute("SELECT count(*) FROM records").fetchone()
        return int(n)

    def skipped(self) -> list[Problem]:
        """The errors of record files that were left out of the index."""
        rows = self.conn.execute("SELECT file, line, col, rule, message, severity FROM problems")
        return [Problem(*row) for row in rows]

    def rids(self, field: str, terms: Iterable[str]) -> dict[int, str]:
        """Records whose `field` holds any of `terms`: rid → the term found."""
        found: dict[int, str] = {}
        for term in reversed(list(dict.fromkeys(terms))):  # so that the first term wins
            posting = _posting(self.conn, field, term)
            if posting is not None:
                found.update(dict.fromkeys(posting, term))
        return found

    def all_rids(self) -> list[int]:
        """Every record, in id order."""
        return [rid for (rid,) in self.conn.execute("SELECT rid FROM records ORDER BY id")]

    def text(self, match: str) -> set[int]:
        """Records whose full text matches the FTS5 expression `match`."""
        try:
            return {
                rid
                for (rid,) in self.conn.execute(
                    "SELECT rowid FROM text WHERE text MATCH ?", (match,)
                )
            }
        except sqlite3.OperationalError:
            return set()

    def text_ranked(self, phrase: str, weights: Mapping[str, float]) -> dict[int, float]:
        """Records whose text holds `phrase` (folded words), each with its BM25 rank (FTS5
        `bm25()` with the column weights) as a share of the best (1 for the best match), times
        the weight of the column it is in when it is only in one column (the notes).

        Whether a record holds the phrase only in a low-weight column is read from a second
        `bm25()` that weighs that column 0: it is 0 exactly when no other column holds the
        phrase (FTS5 keeps every term's IDF above 0), so one query answers both."""
        low = [c for c in TEXT_COLUMNS if weights[c] < 0.5]
        ranks = [", ".join(str(weights[c]) for c in TEXT_COLUMNS)]
        ranks += [", ".join("0" if c == col else "1" for c in TEXT_COLUMNS) for col in low]
        scores = ", ".join(f"-bm25(text, {r})" for r in ranks)
        try:
            rows = self.conn.execute(
                f"SELECT rowid, {scores} FROM text WHERE text MATCH ?", (f'"{phrase}"',)
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        only: dict[int, float] = {}
        for i, column in enumerate(low, start=2):
            for row in rows:
                if row[i] == 0:
                    only[row[0]] = weights[column]
        best = max((row[1] for row in rows), default=0.0)
        return {
            row[0]: (row[1] / best if best > 0 else 1.0) * only.get(row[0], 1.0) for row in rows
        }

    def words_with_prefix(self, prefix: str) -> list[str]:
        """The words of the record text that begin with `prefix`."""
        rows = self.conn.execute(
            "SELECT term FROM text_vocab WHERE term >= ? AND term < ?", (prefix, prefix + "\uffff")
        )
        return [term for (term,) in rows]

    def word_forms(self, word: str) -> dict[str, str]:
        """Other words of the record text that are `word` in another form: each with 'stem'
        (the same Snowball stem: healing / heal) or 'root' (a derivational relative:
        injured / injury, stored / storage)."""
        from secretome_cli.words.normalize import word_root, word_stem

        stem, root = word_stem(word), word_root(word)
        prefix = min(root, stem, word[: len(root)])
        if len(prefix) < 3:
            return {}
        out: dict[str, str] = {}
        for term in self.words_with_prefix(prefix):
            if term == word:
                continue
            if word_stem(term) == stem:
                out[term] = "stem"
            elif len(root) >= 4 and word_root(term) == root:
                out[term] = "root"
        return out

    def has_word(self, word: str) -> bool:
        """True when `word` (folded and stemmed) occurs in any record text or vocabulary, as
        written or in another inflection."""
        if self.conn.execute("SELECT 1 FROM labels WHERE word = ?", (word,)).fetchone():
            return True
        row = self.conn.execute("SELECT 1 FROM text_vocab WHERE term = ?", (word,)).fetchone()
        return row is not None or "stem" in self.word_forms(word).values()

    def words_near(self, word: str) -> list[str]:
        """Known words that could be `word` mistyped (same first letter, similar length)."""
        if not word:
            return []
        low, high = word[0], chr(ord(word[0]) + 1)
        lengths = (len(word) - 2, len(word) + 2)
        out = [
            w
            for (w,) in self.conn.execute(
                "SELECT word FROM labels WHERE word >= ? AND word < ? "
                "AND length(word) BETWEEN ? AND ?",
                (low, high, *lengths),
            )
        ]
        out += [
            w
            for (w,) in self.conn.execute(
                "SELECT term FROM text_vocab WHERE term >= ? AND term < ? "
                "AND length(term) BETWEEN ? AND ?",
                (low, high, *lengths),
            )
        ]
        return sorted(set(out))

    def references(self) -> list[tuple[str, int, str | None, list[str]]]:
        """The bibliography: key, year, DOI, folded surnames."""
        rows = self.conn.execute("SELECT key, year, doi, surnames FROM refs")
        return [(k, y, d, json.loads(s)) for k, y, d, s in rows]

    def docs(self, rids: Sequence[int]) -> dict[int, RecordDoc]:
        """The documents of `rids`."""
        return {rid: json.loads(text) for rid, text in self.raw_docs(rids).items()}

    def raw_docs(self, rids: Sequence[int]) -> dict[int, str]:
        """The documents of `rids` as JSON text."""
        return dict(self._select("doc", rids))

    def ids_of(self, rids: Sequence[int]) -> dict[int, str]:
        """The record ids of `rids`."""
        return dict(self._select("id", rids))

    def doc_data(self, rids: Sequence[int]) -> dict[int, bytes]:
        """The documents of `rids` as JSON, UTF-8 encoded (as stored: nothing is decoded)."""
        return dict(self._select("CAST(doc AS BLOB)", rids))

    def ids_and_docs(self, rids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        """The record id and the document (as `doc_data`) of each of `rids`, read together."""
        rows = self._select("id, CAST(doc AS BLOB)", rids)
        return {rid: (record_id, data) for rid, record_id, data in rows}

    def _select(self, columns: str, rids: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        """(rid, *columns) of each of `rids`."""
        wanted = list(rids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.conn.execute(
                f"SELECT rid, {columns} FROM records WHERE rid IN ({marks})", chunk
            )

    def rid_of(self, record_id: str) -> int | None:
        """The rid of a record id."""
        row = self.conn.execute("SELECT rid FROM records WHERE id = ?", (record_id,)).fetchone()
        return int(row[0]) if row else None

    def ids(self) -> list[str]:
        """Every record id, sorted."""
        return [i for (i,) in self.conn.execute("SELECT id FROM records ORDER BY id")]

    def count(self, *fields: str) -> list[tuple[str, int]]:
        """How many records hold each term of any of `fields`, most first."""
        per_term: dict[str, set[int]] = {}
        for field in fields:
            for term, blob in self.conn.execute(
                "SELECT term, rids FROM terms WHERE field = ?", (field,)
            ):
                rids = array("q")
                rids.frombytes(blob)
                per_term.setdefault(term, set()).update(rids)
        return sorted(((t, len(r)) for t, r in per_term.items()), key=lambda x: (-x[1], x[0]))

    def count_records(self, *fields: str) -> int:
        """How many records hold any term in any of `fields`."""
        seen: set[int] = set()
        for field in fields:
            for (blob,) in self.conn.execute("SELECT rids FROM terms WHERE field = ?", (field,)):
                rids = array("q")
                rids.frombytes(blob)
                seen.update(rids)
        return len(seen)


# --- the cached index ---------------------------------------------------------------------
#
# The cache file is changed only by SQLite transactions, in WAL mode, and never renamed or
# replaced while it may be in use: a killed build or update leaves uncommitted pages in the
# WAL, which SQLite ignores (and its -shm and -wal files beside the right database), so the
# next run finds the last committed index. Readers do not wait for a writer and see one
# committed state for as long as their index is open; writers take turns (BEGIN IMMEDIATE).
# A file SQLite cannot read (damaged pages, not a database, tables of another layout) is
# deleted together with its side files and built again, once.

BUSY_TIMEOUT = 600.0
"""Seconds a run waits for another one that is writing the same index (a cold build of
100 000 records takes about 25 s on two cores)."""

FULL_BUILD_SHARE = 0.25
"""An update that would re-read more than this share of the record files (and more than
FULL_BUILD_MIN) builds the whole index instead, which is then cheaper (see `_update`)."""
FULL_BUILD_MIN = 200

_OPENED: list[Path] = []
"""The cache files this process has opened (see `discard_opened`)."""

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


class _NeedsFullBuild(Exception):
    """An incremental update cannot express the change (a record was removed or renamed) or
    would cost more than a full build."""


def load(root: Path, progress: Progress | None = None, scanned: Scan | None = None) -> Index:
    """The index of the record set at `root`: the cached one when it is current, else one
    updated or built now (in memory when the cache cannot be written). A cache file that
    cannot be read is rebuilt once, with a note on the returned index; when that fails too,
    raises CacheError. `scanned`: the set's files as just scanned (else they are scanned)."""
    layout = require_layout(root)
    current = scanned if scanned is not None else scan(layout)
    path = index_path(root)
    notes: list[str] = []
    for attempt in (1, 2):
        try:
            index = _open_cached(path, layout, current, progress)
        except _Unusable:
            break
        except sqlite3.DatabaseError as exc:
            if attempt == 2:
                raise CacheError(damaged_message(path, exc)) from exc
            notes.append(damaged_note(path, exc))
            remove_database(path)
            continue
        index.notes = notes
        _OPENED.append(path)
        return index
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA journal_mode=OFF")
    checked = prepare(root, keep_records=False, canonical=False)
    build_into(conn, checked, current, progress)
    conn.commit()
    return Index(conn, None, notes)


def load_as_is(root: Path) -> Index | None:
    """The cached index of the record set at `root` as it stands, without checking its files
    (one consistent snapshot, whose `fingerprint` says which state of the files it was built
    from): for answering while the files are checked elsewhere (`index/early.py`). None when
    there is no cache file of this format, or it cannot be read; `load` deals with those."""
    path = index_path(root)
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT,
            isolation_level=None,
        )
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        conn.execute("BEGIN")
        meta = _meta(conn)
        if meta.get("format") != str(INDEX_FORMAT) or not meta.get("fingerprint"):
            conn.close()
            return None
        conn.execute("PRAGMA query_only=ON")
    except sqlite3.Error:
        conn.close()
        return None
    _OPENED.append(path)
    return Index(conn, path)


def damaged_note(path: Path, exc: BaseException) -> str:
    """The note of a cache file found damaged and rebuilt."""
    return f"the index cache file {path} could not be read ({exc}); rebuilt it"


def discard_opened() -> list[Path]:
    """Delete the cache files this process opened, after a query met a damaged page in one:
    the next load builds them again. Returns the files deleted."""
    discarded = list(dict.fromkeys(_OPENED))
    _OPENED.clear()
    for path in discarded:
        remove_database(path)
    return discarded


def forget_opened() -> None:
    """Start a new command: the cache files opened so far are none of its business."""
    _OPENED.clear()


def environmental(exc: sqlite3.Error) -> bool:
    """True when an SQLite error says the cache cannot be used here, not that it is damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _ENVIRONMENT


def prepare(root: Path, **options: Any) -> Checked:
    """validate.check.prepare, imported when a build needs it (a warm query does not)."""
    from secretome_cli.validate.check import prepare as prepare_set

    return prepare_set(root, **options)


def _open_cached(path: Path, layout: Layout, current: Scan, progress: Progress | None) -> Index:
    """Open the cache file, bringing it up to date first when it is not; raises _Unusable
    when it cannot be written, sqlite3.DatabaseError when it cannot be read."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _Unusable from exc
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN")
        meta = _meta(conn)
        if not _is_current(meta, current):
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
                _update(conn, layout, current)
                full = False
                conn.execute("RELEASE incremental")
            except _NeedsFullBuild:
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
        from secretome_cli.index.cachefiles import prune

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


def _check_ids(
    conn: sqlite3.Connection,
    known: dict[str, tuple[int, int, int | None, str | None]],
    results: list[FileResult],
) -> None:
    """Raise _NeedsFullBuild when the re-read files change which ids exist or who holds them:
    other records' see_also links may then resolve differently, and which of two files with
    one id is kept depends on their order, which only a full build sees."""
    held = {record_id: name for name, (*_, record_id) in known.items() if record_id}
    seen: set[str] = set()
    for result in results:
        name = result.path.name
        old = known.get(name)
        if old is not None and old[3] != result.record_id:
            raise _NeedsFullBuild  # an id changed, appeared or vanished
        if result.record_id is None:
            continue
        if held.get(result.record_id, name) != name or result.record_id in seen:
            raise _NeedsFullBuild  # two files with one id
        seen.add(result.record_id)
        if (
            old is None
            and conn.execute(
                "SELECT 1 FROM problems WHERE rule = 'unknown-record' LIMIT 1"
            ).fetchone()
        ):
            raise _NeedsFullBuild  # a new id: a link that pointed nowhere may now resolve


class _StoredIds(MutableMapping[str, str]):
    """Record id → the file that holds it (as messages name it), for the rules across files
    of an update: read from the index one id at a time, as an update asks about the few ids
    of the files it re-reads (reading all of them at 100 000 records took a third of a
    one-file update), with the update's own changes kept on top."""

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


def _update(conn: sqlite3.Connection, layout: Layout, current: Scan) -> None:
    """Bring the index up to date by re-reading only changed or added record files, in the
    caller's transaction. Raises _NeedsFullBuild when a file was removed, an id changed, or
    when more than FULL_BUILD_SHARE of the files changed: re-reading files one by one costs
    about as much as a full build (which reads in parallel and writes in batches) when a
    quarter to a third of them changed (measured at 3 000 and 10 000 records)."""
    from secretome_cli.files.layout import display_prefix
    from secretome_cli.validate.check import check_file
    from secretome_cli.validate.rules import Links

    known = {
        name: (size, mtime, rid, record_id)
        for name, size, mtime, rid, record_id in conn.execute(
            "SELECT name, size, mtime_ns, rid, id FROM files"
        )
    }
    if set(known) - set(current.records):
        raise _NeedsFullBuild
    changed = [n for n, st in current.records.items() if known.get(n, (None, None))[:2] != st]
    if not changed:  # the directory lists its files in another order: nothing to re-read
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (current.fingerprint,)
        )
        return
    if len(changed) > max(FULL_BUILD_MIN, FULL_BUILD_SHARE * len(current.names)):
        raise _NeedsFullBuild
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
                raise _NeedsFullBuild  # an id changed: other records' links may break
            _delete_record(conn, old[2])
            links.ids.pop(old_id[0] if old_id else "", None)
        results.append(result)
    for other, (_, _, rid, _) in known.items():
        if rid is None and other not in changed:  # the id of a broken record counts too
            links.claim(check_file(evidence / other, context, checked.vocabulary))
    _check_ids(conn, known, results)
    for result in results:  # the ids of all re-read files are known to each other's links
        if result.record_id is not None:
            links.ids.setdefault(result.record_id, result.name)
    writer = _Writer(conn)
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
                raise _NeedsFullBuild  # the file after this one loses the id
            result.problems.append(duplicate)
        if links.unknown(result):
            raise _NeedsFullBuild
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
        [("fingerprint", current.fingerprint), ("updated", _now())],
    )
