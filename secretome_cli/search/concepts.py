"""The pieces a question is read into: vocabulary concepts (`Concept`), an author/year or
DOI (`CitationConcept`), the other words (`FreeWord`), all of them (`ParsedQuery`); the
tokens of a question, and what the parser asks of the index (`Lexicon`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from secretome_cli.model.vocab import Hit, Term

_TOKEN = re.compile(r'"[^"]+"|\S+')
_STRIP = "?!.,;:()[]{}'\"“”‘’"


class Lexicon(Protocol):
    """What the parser asks of the index besides the vocabulary."""

    def has_word(self, word: str) -> bool: ...

    def words_near(self, word: str) -> list[str]: ...

    def label_zipf(self, word: str) -> float: ...

    def references(self) -> list[tuple[str, int, str | None, list[str]]]: ...


@dataclass
class Concept:
    """A recognised piece of the query: one or more vocabulary terms it names."""

    text: str
    hits: list[Hit]
    how: str
    """'exact', 'synonym', 'abbreviation', 'partial name', 'typo', 'miRNA family' ..."""
    role: str | None = None
    """'target' when the query asked for what targets it."""
    direction: str | None = None
    """'down' or 'up' when the query asked what suppresses or activates it."""
    corrected: str | None = None
    """The spelling the query was corrected to, when it was a typo."""
    note: str | None = None
    span: tuple[int, int] = (0, 0)
    """The query tokens it was read from (start, end)."""
    prefixes: tuple[str, ...] = ()
    """Word prefixes that also count as a mention in record text ('cd' for CD markers)."""

    @property
    def terms(self) -> list[Term]:
        return [h.term for h in self.hits]


@dataclass
class CitationConcept:
    """An author (with or without year) or a DOI: the records citing those references."""

    text: str
    keys: list[str]


@dataclass
class FreeWord:
    """A word that names no vocabulary term: matched against record text."""

    text: str
    word: str
    corrected: str | None = None
    known: bool = True
    phrase: bool = False
    alternatives: tuple[str, ...] = ()
    """Other wordings that count as the same (an abbreviation's expansion)."""
    weak: bool = False
    """A content-light word ('help', 'repair'): it counts little and is never the focus."""
    condition: bool = False
    """The name of a disease or condition that is no vocabulary term ('liver fibrosis'): it
    counts as much as a disease."""
    cue: bool = False
    """A word around it says it names a disease ('in lupus', 'sepsis patients')."""
    before_head: bool = False
    """A condition's head word follows it within `CONDITION_WINDOW` words ('alcohol use
    disorder')."""
    modifies: bool = False
    """It stands just before the head word of a disease's name, a vocabulary term or not
    ('oesophageal cancer', 'cisplatin-induced injury')."""


@dataclass
class ParsedQuery:
    """How a query was read."""

    raw: str
    concepts: list[Concept] = field(default_factory=list)
    citations: list[CitationConcept] = field(default_factory=list)
    free: list[FreeWord] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.concepts or self.citations or self.free)


def tokens(query: str) -> list[str]:
    """Split a query into tokens; quoted phrases stay whole, edge punctuation goes, and
    'X-derived' is two words (the tissue or cell it names, and 'derived')."""
    out = []
    for raw in _TOKEN.findall(query):
        if raw.startswith('"') and raw.endswith('"') and len(raw) > 2:
            out.append(raw)
            continue
        token = raw.strip(_STRIP)
        head, dash, tail = token.rpartition("-")
        if dash and head and tail.lower() == "derived":  # 'amnion-derived': 'amnion derived'
            out.extend((head, tail))
        elif token:
            out.append(token)
    return out


def tok_is_phrase(token: str) -> bool:
    """True for a quoted phrase token."""
    return len(token) > 2 and token.startswith('"') and token.endswith('"')
