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
    files     name, size, mtime_ns, rid: the record files the index was built from
    problems  the errors of record files that were left out

Freshness: every run compares the names, sizes and modification times of all files of the
record set with those the index was built from (the fingerprint). A change to the
dataset, bibliography or vocabulary files rebuilds the whole index into a new file that
replaces the old one atomically; added or edited record files are re-read alone and updated
in place in one transaction; a removed record rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretome_cli import __version__
from secretome_cli.files.layout import Layout, require_layout
from secretome_cli.model.document import RecordDoc, doc_text, surname_keys
from secretome_cli.model.fields import TEXT_COLUMNS, doc_terms
from secretome_cli.model.problems import Problem
from secretome_cli.model.vocab import Vocabulary
from secretome_cli.words.normalize import words

if TYPE_CHECKING:
    from secretome_cli.validate.check import Checked, FileResult

INDEX_FORMAT = 5
"""Bumped whenever the layout of the index changes; an index of another format is rebuilt."""

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
CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, rid INTEGER)
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


# --- fingerprints -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """The state of a record set's files: what every freshness check compares."""

    data: str
    """Digest of the dataset, bibliography and vocabulary files and of this tool's version."""
    names: list[str]
    """Record file names, sorted."""
    sizes: array[int]
    mtimes: array[int]

    @cached_property
    def fingerprint(self) -> str:
        """One digest of everything."""
        digest = hashlib.blake2b(self.data.encode(), digest_size=16)
        digest.update("\n".join(self.names).encode())
        digest.update(self.sizes.tobytes())
        digest.update(self.mtimes.tobytes())
        return digest.hexdigest()

    @cached_property
    def records(self) -> dict[str, tuple[int, int]]:
        """Record file name → (size, mtime_ns)."""
        return {n: (s, m) for n, s, m in zip(self.names, self.sizes, self.mtimes, strict=True)}


def scan(layout: Layout) -> Scan:
    """Stat every file of the record set. This is one system call a file, and what a warm
    query at 100 000 records spends most of its time on: it is the price of never answering
    from a stale index."""
    digest = hashlib.blake2b(f"{__version__}/{INDEX_FORMAT}".encode(), digest_size=16)
    for path in layout.data_files():
        try:
            st = path.stat()
            digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path.name}\0missing\n".encode())
    names: list[str] = []
    stats: list[os.stat_result] = []
    evidence = layout.evidence_dir
    if evidence.is_dir():
        fd = os.open(evidence, os.O_RDONLY)
        try:
            listed = sorted(n for n in os.listdir(fd) if n.endswith((".yaml", ".yml")))  # noqa: PTH208
            try:
                stats = [os.stat(n, dir_fd=fd) for n in listed]
                names = listed
            except OSError:  # a file went away meanwhile: take those that are still there
                for name in listed:
                    with contextlib.suppress(OSError):
                        stats.append(os.stat(name, dir_fd=fd))
                        names.append(name)
        finally:
            os.close(fd)
    sizes = array("q", [st.st_size for st in stats])
    mtimes = array("q", [st.st_mtime_ns for st in stats])
    return Scan(digest.hexdigest(), names, sizes, mtimes)


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
        self.files: list[tuple[str, int, int, int | None]] = []

    def add(self, result: FileResult, size_mtime: tuple[int, int] | None) -> int | None:
        row = result.row
        name = result.path.name
        size, mtime = size_mtime or (0, 0)
        if row is None:
            self.files.append((name, size, mtime, None))
            return None
        rid = self.next_rid
        self.next_rid += 1
        self.records.append((rid, row.record_id, name, row.doc))
        self.texts.append((rid, *row.text))
        self.files.append((name, size, mtime, rid))
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
        self.conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", self.files)
        self.records, self.texts, self.files = [], [], []

    def flush_terms(self) -> None:
        self.conn.executemany(
            "INSERT INTO terms VALUES (?, ?, ?)",
            ((f, t, rids.tobytes()) for (f, t), rids in sorted(self.postings.items())),
        )


def build_full(
    checked: Checked, path: Path | str, scan_: Scan, progress: Progress | None = None
) -> None:
    """Read every record file of a prepared record set (see validation.prepare) and write
    its index to `path`."""
    conn = sqlite3.connect(path)
    try:
        build_into(conn, checked, scan_, progress)
    finally:
        conn.close()


def build_into(
    conn: sqlite3.Connection, checked: Checked, scan_: Scan, progress: Progress | None = None
) -> None:
    """Write the index of a prepared record set into an empty database."""
    from secretome_cli.validate.check import iter_files

    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
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
    conn.commit()


def _write_set_tables(conn: sqlite3.Connection, checked: Checked, scan_: Scan) -> None:
    dataset = checked.dataset
    meta = {
        "format": str(INDEX_FORMAT),
        "tool": __version__,
        "fingerprint": scan_.fingerprint,
        "data": scan_.data,
        "root": str(checked.layout.root),
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


def _add_terms(conn: sqlite3.Connection, rid: int, pairs: Iterable[tuple[str, str]]) -> None:
    for field, term in pairs:
        rids = _posting(conn, field, term) or array("q")
        rids.append(rid)
        conn.execute("INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", (field, term, rids.tobytes()))


# --- reading ------------------------------------------------------------------------------


@dataclass
class Index:
    """A read-only view of a built index."""

    conn: sqlite3.Connection

    @classmethod
    def open(cls, path: Path | str) -> Index:
        """Open an index file read-only."""
        uri = f"file:{Path(path).as_posix()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=30)
        return cls(conn)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    @cached_property
    def meta(self) -> dict[str, str]:
        """The meta table."""
        return dict(self.conn.execute("SELECT key, value FROM meta"))

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
        for term in dict.fromkeys(terms):
            for rid in _posting(self.conn, field, term) or ():
                found.setdefault(rid, term)
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
        the weight of the column it is in when it is only in one column (the notes)."""
        columns = ", ".join(str(weights[c]) for c in TEXT_COLUMNS)
        try:
            rows = self.conn.execute(
                f"SELECT rowid, -bm25(text, {columns}) FROM text WHERE text MATCH ?",
                (f'"{phrase}"',),
            ).fetchall()
            only: dict[int, float] = {}
            for column in TEXT_COLUMNS:
                if weights[column] < 0.5:
                    others = " ".join(c for c in TEXT_COLUMNS if c != column)
                    found = self.text(f'{{{others}}} : "{phrase}"')
                    for rid, _ in rows:
                        if rid not in found:
                            only[rid] = weights[column]
        except sqlite3.OperationalError:
            return {}
        best = max((r for _, r in rows), default=0.0)
        return {rid: (rank / best if best > 0 else 1.0) * only.get(rid, 1.0) for rid, rank in rows}

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

    def _select(self, column: str, rids: Sequence[int]) -> Iterator[tuple[int, Any]]:
        wanted = list(rids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.conn.execute(
                f"SELECT rid, {column} FROM records WHERE rid IN ({marks})", chunk
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


# --- the cache ------------------------------------------------------------------------------


def cache_dir() -> Path:
    """Where indexes are kept: $SECRETOME_CACHE_DIR, else the user's cache directory."""
    override = os.environ.get("SECRETOME_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("secretome", appauthor=False))


def index_path(root: Path) -> Path:
    """The cache file of the index of the record set at `root`."""
    digest = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{digest}.sqlite"


def load(root: Path, progress: Progress | None = None) -> Index:
    """The index of the record set at `root`: the cached one when it is current, else one
    updated or built now (in memory when the cache cannot be written)."""
    layout = require_layout(root)
    current = scan(layout)
    path = index_path(root)
    if path.is_file():
        with contextlib.suppress(sqlite3.DatabaseError):
            index = Index.open(path)
            meta = index.meta
            if (
                meta.get("format") == str(INDEX_FORMAT)
                and meta.get("fingerprint") == current.fingerprint
            ):
                return index
            index.close()
            if meta.get("format") == str(INDEX_FORMAT) and meta.get("data") == current.data:
                with contextlib.suppress(_NeedsFullBuild, OSError):
                    if _update(path, layout, current):
                        return Index.open(path)
    return _build_cached(root, path, current, progress)


class _NeedsFullBuild(Exception):
    """An incremental update cannot express the change (a record was removed or renamed)."""


def _update(path: Path, layout: Layout, current: Scan) -> bool:
    """Bring the cached index up to date by re-reading only changed or added record files,
    in one transaction. Raises _NeedsFullBuild when a file was removed."""
    from secretome_cli.files.layout import display
    from secretome_cli.validate.check import check_file, prepare
    from secretome_cli.validate.rules import Links

    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("BEGIN IMMEDIATE")
        (fingerprint,) = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if fingerprint == current.fingerprint:  # another run updated it meanwhile
            conn.rollback()
            return True
        known = {
            name: (size, mtime, rid)
            for name, size, mtime, rid in conn.execute(
                "SELECT name, size, mtime_ns, rid FROM files"
            )
        }
        if set(known) - set(current.records):
            raise _NeedsFullBuild
        changed = [n for n, st in current.records.items() if known.get(n, (None, None))[:2] != st]
        checked = prepare(layout.root, keep_records=False, canonical=False)
        context = checked.context(build_rows=True)
        evidence = layout.evidence_dir
        links = Links(
            {i: display(evidence / f) for i, f in conn.execute("SELECT id, file FROM records")}
        )
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
        for other, (_, _, rid) in known.items():
            if rid is None and other not in changed:  # the id of a broken record counts too
                links.claim(check_file(evidence / other, context, checked.vocabulary))
        next_rid = (conn.execute("SELECT max(rid) FROM records").fetchone()[0] or 0) + 1
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
                conn.execute(
                    "INSERT INTO files VALUES (?, ?, ?, NULL)", (name, *current.records[name])
                )
                conn.executemany(
                    "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (p.file, p.line, p.column, p.rule, p.message, p.severity)
                        for p in result.problems
                        if p.severity == "error"
                    ],
                )
                continue
            row = result.row
            rid = next_rid
            next_rid += 1
            conn.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?)", (rid, row.record_id, name, row.doc)
            )
            conn.execute(_INSERT_TEXT, (rid, *row.text))
            conn.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?)", (name, *current.records[name], rid)
            )
            _add_terms(conn, rid, row.terms)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (current.fingerprint,))
        conn.commit()
        return True
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.rollback()
        raise
    finally:
        conn.close()


def _build_cached(root: Path, path: Path, current: Scan, progress: Progress | None) -> Index:
    from secretome_cli.validate.check import prepare

    checked = prepare(root, keep_records=False, canonical=False)
    tmp = path.with_name(f".{path.name}.unused.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        tmp = Path(name)
        build_full(checked, tmp, current, progress)
        tmp.replace(path)
        return Index.open(path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
    checked = prepare(root, keep_records=False, canonical=False)  # the cache is unwritable
    conn = sqlite3.connect(":memory:")
    build_into(conn, checked, current, progress)
    return Index(conn)


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files left by builds that crashed over an hour ago."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink()
