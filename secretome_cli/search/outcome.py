"""What a search returns: the results, best first, each with why it matched (`Match`), how
the question was read (`Reading`), and the notes and suggestions beside them (`Outcome`);
the breadths of an answer, and the errors of a question that cannot be searched."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, BinaryIO

from secretome_cli.model.fields import BY_NAME


@dataclass
class Match:
    """Why one part of the question matched one record."""

    query: str
    field: str
    value: str
    how: str
    weight: float
    """How well it matches, from 0 to 1 (see `QUALITY`); 0 for a filter."""

    def as_dict(self) -> dict[str, str]:
        return {
            "query": self.query,
            "field": BY_NAME[self.field].path if self.field in BY_NAME else self.field,
            "value": self.value,
            "how": self.how,
        }


@dataclass
class Result:
    """One found record: its document (as the index stores it), score, why it matched, and
    the parts of the question it does not match."""

    data: bytes
    """The document's JSON, UTF-8 encoded, as the index stores it."""
    score: float
    matches: list[Match]
    unmatched: list[str] = field(default_factory=list)
    matches_json: str | None = field(default=None, repr=False, compare=False)
    """`matches` as JSON, when the search encoded it once for the results that share it."""
    related: bool = False
    """A record related to the question rather than answering it (shown by `--broad`, or in
    place of an absent condition: its organ's records)."""

    @property
    def raw(self) -> str:
        """The document's JSON text."""
        return self.data.decode()

    @cached_property
    def doc(self) -> dict[str, Any]:
        """The document."""
        parsed: dict[str, Any] = json.loads(self.data)
        return parsed

    def _extra(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "match": [m.as_dict() for m in self.matches],
            "unmatched": self.unmatched,
            "related": self.related,
        }

    def as_dict(self) -> dict[str, Any]:
        """The document with `score`, `match` and `unmatched`, as JSON output gives it."""
        return {**self.doc, **self._extra()}

    def json_text(self) -> str:
        """`json.dumps(self.as_dict(), ensure_ascii=False)`, written without parsing the
        stored document."""
        return self.raw[:-1] + self._json_tail()

    def write_json(self, out: BinaryIO) -> None:
        """Write `json_text()`, UTF-8 encoded, without decoding or copying the document."""
        out.writelines(self.json_parts())

    def json_parts(self, end: bytes = b"") -> tuple[memoryview, bytes]:
        """`json_text()` UTF-8 encoded, followed by `end`, in two pieces: the stored document
        up to its closing brace (a view of it, not a copy), and what search adds."""
        return memoryview(self.data)[:-1], self._json_tail().encode() + end

    def _json_tail(self) -> str:
        """What search adds to the document's JSON text, from the comma after its last key
        (each distinct match is encoded once: thousands of results share a few)."""
        matches = self.matches_json
        if matches is None:
            matches = _matches_json(self.matches)
        score = self.score
        return (
            f', "score": {repr(score) if math.isfinite(score) else _ENCODE(score)}, '
            f'"match": {matches}, "unmatched": {_strings_json(tuple(self.unmatched))}, '
            f'"related": {"true" if self.related else "false"}}}'
        )


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""`json.dumps(x, ensure_ascii=False)`, without making an encoder per call."""


def _matches_json(matches: list[Match]) -> str:
    """The JSON of a result's `match` list (each distinct match is encoded once)."""
    return f"[{', '.join([_match_json(m.query, m.field, m.value, m.how) for m in matches])}]"


@lru_cache(maxsize=4096)
def _match_json(query: str, field: str, value: str, how: str) -> str:
    return _ENCODE(Match(query, field, value, how, 0.0).as_dict())


@lru_cache(maxsize=256)
def _strings_json(strings: tuple[str, ...]) -> str:
    return _ENCODE(list(strings))


@dataclass
class Reading:
    """How one piece of the query or one filter was read, for --explain and stderr."""

    text: str
    read_as: str
    how: str
    expanded: list[str] = field(default_factory=list)
    weight: float | None = None
    """The weight of the part it became (None for a filter, or before weighing)."""
    subject: bool | None = None
    """Whether the part names the question's subject (None for a filter)."""
    why: str = ""
    """Why it is or is not the subject."""


@dataclass
class Outcome:
    """What a search found and how it read the query."""

    results: list[Result]
    total: int
    readings: list[Reading]
    ignored: list[str]
    notes: list[str]
    unmatched: list[str]
    """Parts of the question (and filter values) that no record matches."""
    suggestions: dict[str, list[str]]
    absent: list[str] = field(default_factory=list)
    """Parts naming the question's subject that no record matches: the answer is empty."""
    rest: int = 0
    """When a subject part is absent: how many records the rest of the question gives
    (`--broad` shows them)."""
    related: int = 0
    """How many related records the default answer leaves out (`--broad` adds them)."""


ANSWER = "answer"
"""The default answer: the records about the question's subject."""
BROAD = "broad"
"""The answer and the related records, marked."""
ALL = "all"
"""Only the records matching every part of the question."""
BREADTHS = (ANSWER, BROAD, ALL)


class QueryError(ValueError):
    """The query cannot be searched (it holds nothing but question or filler words)."""


class UnknownValue(QueryError):
    """A filter value names no term and is close to none ('--disease psorasis')."""
