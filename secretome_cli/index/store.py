"""Reading the index (`Index`): look-ups by term, full text, words, references and documents,
on one consistent snapshot of the database (built by `build.py`, opened by `opening.py`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from secretome_cli.model.document import RecordDoc
from secretome_cli.model.fields import TEXT_COLUMNS
from secretome_cli.model.problems import Problem
from secretome_cli.model.vocab import Vocabulary


@dataclass(eq=False, repr=False)  # an open database, never compared or printed
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
            rids = posting(self.conn, field, term)
            if rids is not None:
                found.update(dict.fromkeys(rids, term))
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

    def label_zipf(self, word: str) -> float:
        """How common `word`, a word of a vocabulary label, is in general English (its Zipf
        frequency, computed when the index was built; 0.0 when rare or no label's word)."""
        row = self.conn.execute("SELECT zipf FROM labels WHERE word = ?", (word,)).fetchone()
        return float(row[0]) if row else 0.0

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


def posting(conn: sqlite3.Connection, field: str, term: str) -> array[int] | None:
    """The rids of the records holding `term` in `field`, or None when none does."""
    row = conn.execute(
        "SELECT rids FROM terms WHERE field = ? AND term = ?", (field, term)
    ).fetchone()
    if row is None:
        return None
    rids = array("q")
    rids.frombytes(row[0])
    return rids
