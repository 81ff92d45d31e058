"""The search index: an SQLite database built from a record set and kept in the user's cache.

Why SQLite: it is in the standard library, answers "which records name this term" from a
B-tree instead of a scan (so a query costs in proportion to its matches, not to the record
count), has a full-text index (FTS5) for the words of claims and mechanisms, and gives
atomic, crash-safe files that concurrent runs can read.

Tables:
    meta      key → value (index format, fingerprint of the record files, dataset version)
    records   rowid, id, file, doc (the record's JSON document, see document.py)
    postings  field, term, rid: the structured terms of each record (disease, factor, ...)
    text      FTS5 over the folded words of claim, mechanism, outcomes, disease context, model
    refs      key, year, doi, surnames: the bibliography, for author/year and DOI look-ups
    words     word, df: every word of the record text and the vocabularies (typo correction)
    vocab     the vocabulary data as JSON (search builds its Vocabulary from it)
    files     path, size, mtime_ns, rid: the record files the index was built from
    problems  the problems of record files that were skipped
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .normalize import fold, words
from .problems import Problem
from .vocab import Vocabulary

if TYPE_CHECKING:
    from .validation import Checked

INDEX_FORMAT = 1
"""Bumped whenever the layout of the index changes; an index of another format is rebuilt."""

TEXT_COLUMNS = ("claim", "mechanism", "outcomes", "context", "model")
"""The full-text columns, in FTS order."""
TEXT_WEIGHTS = (2.0, 1.0, 1.5, 2.0, 0.5)
"""bm25 column weights of TEXT_COLUMNS."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, file TEXT NOT NULL,
                      doc TEXT NOT NULL);
CREATE TABLE postings (field TEXT NOT NULL, term TEXT NOT NULL, rid INTEGER NOT NULL);
CREATE TABLE refs (key TEXT PRIMARY KEY, year INTEGER, doi TEXT, surnames TEXT NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab (data TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
CREATE TABLE problems (file TEXT, line INTEGER, col INTEGER, rule TEXT, message TEXT,
                       severity TEXT);
CREATE VIRTUAL TABLE text USING fts5(claim, mechanism, outcomes, context, model,
                                     content='', tokenize='porter unicode61 remove_diacritics 2');
"""
_POST_INDEX = "CREATE INDEX postings_term ON postings(field, term);"


def fingerprint(files: Iterable[Path]) -> str:
    """A digest of the names, sizes and modification times of `files` (and of this tool's
    version): it changes when any file is edited, added, removed or renamed."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}/{INDEX_FORMAT}\n".encode())
    for path in sorted(files):
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def surname_keys(authors: Sequence[str]) -> list[str]:
    """The folded surnames of an author list ('Kumar Muruganatham, J.' → 'kumar muruganatham')."""
    out = []
    for author in authors:
        if author == "et al.":
            continue
        surname = author.split(",")[0].strip()
        out.append(" ".join(words(surname)) or fold(surname))
    return out


def build(checked: Checked, path: Path | str, fp: str) -> None:
    """Write the index of a checked record set to `path` (an SQLite file, or ':memory:')."""
    from . import document

    conn = sqlite3.connect(path)
    try:
        _write(conn, checked, fp, document)
        conn.commit()
    finally:
        conn.close()


def _write(conn: sqlite3.Connection, checked: Checked, fp: str, document: Any) -> None:
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    vocab = checked.vocabulary
    refs = checked.references
    dataset = checked.dataset
    meta = {
        "format": str(INDEX_FORMAT),
        "tool": __version__,
        "fingerprint": fp,
        "root": str(checked.layout.root),
        "dataset_version": dataset.version if dataset else "?",
        "dataset_released": dataset.released.isoformat() if dataset else "?",
        "dataset_name": dataset.name if dataset else "?",
        "record_files": str(checked.record_files),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.execute("INSERT INTO vocab VALUES (?)", (json.dumps(checked.vocab_data),))
    conn.executemany(
        "INSERT INTO refs VALUES (?, ?, ?, ?)",
        [(r.key, r.year, r.doi, json.dumps(surname_keys(r.authors))) for r in refs.values()],
    )
    df: Counter[str] = Counter()
    postings: list[tuple[str, str, int]] = []
    texts: list[tuple[int, str, str, str, str, str]] = []
    rows: list[tuple[int, str, str, str]] = []
    for rid, (path, record) in enumerate(checked.records, start=1):
        doc = document.build(record, vocab, refs)
        rows.append((rid, record.id, str(path), json.dumps(doc, ensure_ascii=False)))
        postings.extend((f, t, rid) for f, t in sorted(set(_terms(doc))))
        text = _text(doc)
        texts.append((rid, *text))
        df.update({w for column in text for w in words(column)})
    conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO postings VALUES (?, ?, ?)", postings)
    conn.execute(_POST_INDEX)
    conn.executemany(
        "INSERT INTO text(rowid, claim, mechanism, outcomes, context, model) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        texts,
    )
    for kind in ("disease", "factor", "pathway", "preconditioning"):
        for term in vocab.terms.get(kind, {}).values():
            for label in (*term.labels, *term.abbreviations):
                df.update(w for w in words(label) if w not in df)
    conn.executemany("INSERT INTO words VALUES (?, ?)", sorted(df.items()))
    conn.executemany(
        "INSERT INTO files VALUES (?, ?, ?)",
        [(str(p), *_stat(p)) for p in checked.layout.record_files()],
    )
    conn.executemany(
        "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
        [(p.file, p.line, p.column, p.rule, p.message, p.severity) for p in checked.errors],
    )


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _terms(doc: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The structured (field, term) pairs of a document."""
    for d in doc["diseases"]:
        yield "disease", d["name"]
    for f in doc["factors"]:
        yield "factor", f["name"]
        if f["class"]:
            yield "factor_class", f["class"]
        yield "factor_change", f"{f['name']}\0{f['change']}"
    for t in doc["targets"]:
        yield "target", t["name"]
        yield "target_change", f"{t['name']}\0{t['change']}"
    for p in doc["pathways"]:
        yield "pathway", p["name"]
        yield "pathway_change", f"{p['name']}\0{p['change']}"
    for drug in doc["drugs"]:
        yield "drug", drug
    for p in doc["source"]["preconditioning"]:
        yield "preconditioning", p["name"]
    for tissue in doc["source"]["tissues"]:
        yield "tissue", tissue
    yield "fraction", doc["source"]["fraction"]
    for system in doc["model"]["systems"]:
        yield "system", system
    for organism in doc["model"]["organisms"]:
        yield "organism", " ".join(words(organism))
    yield "topic", doc["topic"]
    for flag in doc["flags"]:
        yield "flag", flag
    for cite in doc["citations"]:
        yield "citation", cite["key"]
    yield "source", doc["provenance"]["source"]["key"]


def _text(doc: Mapping[str, Any]) -> tuple[str, str, str, str, str]:
    """The folded full-text columns of a document."""
    model = doc["model"]
    return (
        fold(doc["claim"]),
        fold(doc["mechanism"]),
        fold(" ; ".join(doc["outcomes"])),
        fold(" ; ".join(d["context"] for d in doc["diseases"] if d["context"])),
        fold(
            " ; ".join([*model["cells"], *([model["description"]] if model["description"] else [])])
        ),
    )


@dataclass
class Index:
    """A read-only view of a built index."""

    conn: sqlite3.Connection

    @classmethod
    def open(cls, path: Path | str) -> Index:
        """Open an index file read-only (or an in-memory connection's database)."""
        if str(path) == ":memory:":
            raise ValueError("an in-memory index is opened with Index(conn)")
        uri = f"file:{Path(path).as_posix()}?mode=ro"
        return cls(sqlite3.connect(uri, uri=True))

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
        (data,) = self.conn.execute("SELECT data FROM vocab").fetchone()
        return Vocabulary.from_data(json.loads(data))

    @property
    def record_count(self) -> int:
        (n,) = self.conn.execute("SELECT count(*) FROM records").fetchone()
        return int(n)

    def skipped(self) -> list[Problem]:
        """The errors of record files that were left out of the index."""
        rows = self.conn.execute("SELECT file, line, col, rule, message, severity FROM problems")
        return [Problem(*row) for row in rows]

    def rids(self, field: str, terms: Iterable[str]) -> dict[int, str]:
        """Records whose `field` holds any of `terms`: rid → the term found."""
        found: dict[int, str] = {}
        wanted = list(dict.fromkeys(terms))
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT rid, term FROM postings WHERE field = ? AND term IN ({marks})"
            for rid, term in self.conn.execute(sql, (field, *chunk)):
                found.setdefault(rid, term)
        return found

    def all_rids(self) -> list[int]:
        """Every record, in id order."""
        return [rid for (rid,) in self.conn.execute("SELECT rid FROM records ORDER BY id")]

    def text(self, match: str) -> dict[int, float]:
        """Records whose full text matches the FTS5 expression `match`: rid → relevance (> 0)."""
        weights = ", ".join(str(w) for w in TEXT_WEIGHTS)
        sql = f"SELECT rowid, -bm25(text, {weights}) FROM text WHERE text MATCH ?"
        try:
            return {rid: max(score, 1e-6) for rid, score in self.conn.execute(sql, (match,))}
        except sqlite3.OperationalError:
            return {}

    def has_word(self, word: str) -> bool:
        """True when `word` (folded and stemmed) occurs in any record or vocabulary."""
        row = self.conn.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone()
        return row is not None

    def words_near(self, word: str) -> list[str]:
        """Dictionary words that could be `word` mistyped (same first letter, similar length)."""
        if not word:
            return []
        sql = "SELECT word FROM words WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?"
        first = word[0]
        rows = self.conn.execute(sql, (first, chr(ord(first) + 1), len(word) - 2, len(word) + 2))
        return [w for (w,) in rows]

    def references(self) -> list[tuple[str, int, str | None, list[str]]]:
        """The bibliography: key, year, DOI, folded surnames."""
        rows = self.conn.execute("SELECT key, year, doi, surnames FROM refs")
        return [(k, y, d, json.loads(s)) for k, y, d, s in rows]

    def docs(self, rids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The documents of `rids`."""
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(list(rids), 500):
            marks = ",".join("?" * len(chunk))
            for rid, doc in self.conn.execute(
                f"SELECT rid, doc FROM records WHERE rid IN ({marks})", chunk
            ):
                out[rid] = json.loads(doc)
        return out

    def rid_of(self, record_id: str) -> int | None:
        """The rid of a record id."""
        row = self.conn.execute("SELECT rid FROM records WHERE id = ?", (record_id,)).fetchone()
        return int(row[0]) if row else None

    def ids(self) -> list[str]:
        """Every record id, sorted."""
        return [i for (i,) in self.conn.execute("SELECT id FROM records ORDER BY id")]

    def count(self, *fields: str) -> list[tuple[str, int]]:
        """How many records hold each term of any of `fields`, most first."""
        marks = ",".join("?" * len(fields))
        sql = (
            f"SELECT term, count(DISTINCT rid) AS n FROM postings WHERE field IN ({marks}) "
            "GROUP BY term ORDER BY n DESC, term"
        )
        return [(t, int(n)) for t, n in self.conn.execute(sql, fields)]

    def count_records(self, *fields: str) -> int:
        """How many records hold any term in any of `fields`."""
        marks = ",".join("?" * len(fields))
        sql = f"SELECT count(DISTINCT rid) FROM postings WHERE field IN ({marks})"
        (n,) = self.conn.execute(sql, fields).fetchone()
        return int(n)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def cache_dir() -> Path:
    """Where indexes are kept: $SECRETOME_CACHE_DIR, else the user's cache directory."""
    override = os.environ.get("SECRETOME_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "secretome"


def index_path(root: Path) -> Path:
    """The cache file of the index of the record set at `root`."""
    digest = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{digest}.sqlite"


def load(root: Path) -> Index:
    """The index of the record set at `root`: the cached one when it is current, else one
    built now (and cached atomically; in memory when the cache cannot be written)."""
    from .layout import Layout, require_layout

    layout = require_layout(root)
    fp = fingerprint([*layout.data_files(), *Layout(root).record_files()])
    path = index_path(root)
    if path.is_file():
        try:
            index = Index.open(path)
            if index.meta.get("fingerprint") == fp and index.meta.get("format") == str(
                INDEX_FORMAT
            ):
                return index
            index.close()
        except sqlite3.DatabaseError:
            pass  # corrupt or foreign: rebuilt below
    from .validation import check

    checked = check(root)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        build(checked, tmp, fp)
        tmp.replace(path)
        return Index.open(path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        from . import document

        conn = sqlite3.connect(":memory:")
        _write(conn, checked, fp, document)
        return Index(conn)
