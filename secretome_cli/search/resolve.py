"""One resolver commits what the parser's passes propose, and builds the `ParsedQuery`.

Each pass of `parse.Parser` (citations, vocabulary phrases, names of conditions, what is
left) reads the question's tokens and *proposes* spans of them, each with what it reads them
as (a `Proposal`); it never marks or removes what another pass read. The resolver commits the
proposals pass by pass: a proposal is committed when it overlaps nothing committed, or when it
beats everything it overlaps and covers it whole, which it then displaces. A later pass learns
what is taken from the committed proposals the resolver hands it (`Resolver.committed`).

The order of precedence: passes run in the order of the rows, what was committed first stays,
and a row's proposal displaces only what its second column names:

| proposal                        | wins over                  | why                             |
|---------------------------------|----------------------------|---------------------------------|
| citation: a DOI, then an author | every later proposal       | 'Zhang 2022' names a paper, not |
| ('Zhang et al. 2022')           |                            | the word 'zhang'                |
| vocabulary phrase: exact,       | every later proposal but   | the longest name of a term is   |
| partial name, marker, mistyped  | the two below              | what the question asks          |
| condition name ('liver          | the organ terms it covers; | the name is one condition,      |
| fibrosis')                      | the partial name of its    | which neither its organ (any    |
|                                 | head word alone            | disease of the liver) nor its   |
|                                 |                            | head word alone names           |
| organ + generic head ('liver    | the partial name of its    | the organ stands for the        |
| failure'; the head is ignored)  | head word alone            | condition; 'failure' alone      |
|                                 |                            | names diseases of other organs  |
| what is left: a quoted phrase,  | nothing: it reads only the | a word or a spelling guess is   |
| filler, cue, word, spelling     | tokens nothing took        | the weakest reading             |

A cue ('suppress', 'targets') takes no token from a reading: it gives its direction or role
to the next concept of the question (or its direction to the last concept when none follows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from secretome_cli.search.concepts import CitationConcept, Concept, FreeWord, ParsedQuery


class Rule(Enum):
    """The rule that proposed a span, by pass."""

    DOI = "doi"
    AUTHOR = "author"
    WRITTEN_OUT = "written-out abbreviation"
    TERM = "vocabulary phrase"
    CONDITION = "condition name"
    ORGAN_HEAD = "organ + generic head"
    QUOTED = "quoted phrase"
    IGNORED = "filler word"
    CUE = "cue"
    WORD = "free word"
    TYPO = "spelling"


@dataclass(frozen=True)
class Ignored:
    """A token read as nothing: a filler word, or a generic head after an organ."""

    text: str


@dataclass(frozen=True)
class Cue:
    """A word that says which way the question asks ('suppress': down) or what it asks for
    ('targets'): it goes to the next concept."""

    direction: str | None = None
    role: str | None = None


Reading = Concept | CitationConcept | tuple[FreeWord, ...] | Ignored | Cue


@dataclass(frozen=True)
class Proposal:
    """Tokens `start`..`end` (exclusive) read as `reading`, proposed by `rule`."""

    start: int
    end: int
    reading: Reading
    rule: Rule
    notes: tuple[str, ...] = ()
    """What the parse says about it ('read 'colitus' as 'colitis' (spelling)')."""
    at: int | None = None
    """The token whose reading proposed it, when that is not `start` (a spelling guess
    around a mistyped word)."""

    @property
    def position(self) -> int:
        """Where it stands in the question, for the cues before it."""
        return self.start if self.at is None else self.at

    def covers(self, other: Proposal) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Proposal) -> bool:
        return self.start < other.end and other.start < self.end


def beats(new: Proposal, old: Proposal) -> bool:
    """True when `new`, proposed later, displaces the committed `old` (the table above)."""
    if new.rule not in {Rule.CONDITION, Rule.ORGAN_HEAD} or old.rule is not Rule.TERM:
        return False
    concept = old.reading
    if not isinstance(concept, Concept):
        return False
    if concept.how == "partial name" and old.end == new.end == old.start + 1:
        return True
    return new.rule is Rule.CONDITION and all(h.term.kind == "organ" for h in concept.hits)


def taken(committed: Iterable[Proposal]) -> set[int]:
    """The tokens committed proposals read (a cue takes none)."""
    return {k for p in committed if not isinstance(p.reading, Cue) for k in range(p.start, p.end)}


class Resolver:
    """Commits proposals, pass by pass, into one consistent reading of a question."""

    def __init__(self) -> None:
        self._committed: list[Proposal] = []

    @property
    def committed(self) -> tuple[Proposal, ...]:
        """What is committed so far, in the order it was."""
        return tuple(self._committed)

    def commit(self, proposals: Iterable[Proposal]) -> None:
        for proposal in proposals:
            self._commit(proposal)

    def _commit(self, proposal: Proposal) -> None:
        if isinstance(proposal.reading, Cue):
            self._committed.append(proposal)
            return
        clashing = [
            p for p in self._committed if not isinstance(p.reading, Cue) and p.overlaps(proposal)
        ]
        if not all(beats(proposal, p) and proposal.covers(p) for p in clashing):
            return
        self._committed = [p for p in self._committed if p not in clashing]
        self._committed.append(proposal)

    def build(self, raw: str) -> ParsedQuery:
        """The `ParsedQuery`: each list in the order its pieces were committed."""
        parsed = ParsedQuery(raw)
        readings = _with_cues(self._committed)
        for proposal, reading in zip(self._committed, readings, strict=True):
            parsed.notes.extend(proposal.notes)
            if isinstance(reading, Concept):
                parsed.concepts.append(reading)
            elif isinstance(reading, CitationConcept):
                parsed.citations.append(reading)
            elif isinstance(reading, Ignored):
                parsed.ignored.append(reading.text)
            elif isinstance(reading, tuple):
                parsed.free.extend(reading)
        return parsed


def _with_cues(committed: Sequence[Proposal]) -> list[Reading]:
    """The readings of `committed`, each concept given the direction and role of the cues
    before it (since the concept before them); a direction left over goes to the last
    concept."""
    readings: list[Reading] = [p.reading for p in committed]
    direction: str | None = None
    role: str | None = None
    for k in sorted(range(len(committed)), key=lambda k: committed[k].position):
        reading = readings[k]
        if isinstance(reading, Cue):
            direction = reading.direction or direction
            role = reading.role or role
        elif isinstance(reading, Concept):
            if direction and reading.direction is None:
                reading, direction = replace(reading, direction=direction), None
            if role and reading.role is None:
                reading, role = replace(reading, role=role), None
            readings[k] = reading
    concepts = [k for k, reading in enumerate(readings) if isinstance(reading, Concept)]
    if direction and concepts:
        last = readings[concepts[-1]]
        if isinstance(last, Concept) and last.direction is None:
            readings[concepts[-1]] = replace(last, direction=direction)
    return readings
