"""Search: a parsed question and filters in, ranked record documents out.

Flags are filters and are hard: every filter must match (AND), the values of one repeated
filter are alternatives (OR). The free-text question is soft: each recognised concept
(disease, factor, target, pathway, organ, tissue, …), citation and content word is a *part*,
evidence weighed by how specific it is (the field's weight in `model.fields`, times how rare
its matches are among the records). A record need not match every part: its score is the
weighted share of the parts it matches, each counted by how well (a structured match above a
mention in the text, the text above the curators' notes, an exact word above another form of
it). A record is ranked only when it matches the question's focus (its most specific parts)
and scores at least a share of the best; and when the parts that no record matches outweigh
those that do, nothing is. Parts that match nothing are reported, for the question and for
each result.

Then the answer (`answer.py`): some parts name the question's subject (`subject.py`); when
one of them matches no record, the answer is empty (`--broad`: the rest, related); else the
answer is the ranked records that match the subject well, and the others are related records,
shown only by `--broad`. `--all` keeps the records matching every part. Every tuning number is
in `tuning.py`.

The stages of `Searcher.search`: parse, filter, the parts, weigh, report the unmatched, choose
the records (and which are related), read and explain the results.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, BinaryIO

from secretome_cli.index.store import Index
from secretome_cli.model.controlled import DECREASING, GENERAL_TISSUE, INCREASING
from secretome_cli.model.fields import BY_NAME, FILTERS, TEXT_COLUMNS, TEXT_WEIGHTS
from secretome_cli.model.vocab import Hit, Term
from secretome_cli.search import answer
from secretome_cli.search.parse import CitationConcept, Concept, FreeWord, ParsedQuery, Parser
from secretome_cli.search.subject import Absence, concept_subject, word_subject
from secretome_cli.search.tuning import (
    COVERAGE_FLOOR,
    FOCUS_SHARE,
    HOW_QUALITY,
    KIND_WEIGHT,
    MIN_COVERAGE,
    MIN_STRENGTH,
    NEAREST_CUTOFF,
    OTHER_HOW_QUALITY,
    QUALITY,
    RARITY_FLOOR,
    RELATIVE_CUTOFF,
    SPECIFIC_SHARE,
    STRONG,
    WEAK_SHARE,
    WORD_FORM,
    WORD_WEIGHT,
)
from secretome_cli.words.lexicon import is_generic
from secretome_cli.words.normalize import words

BROADER_KINDS = {"tissue": "broader", "fraction": "broader", "disease": "broader disease"}
"""Kinds whose broader terms also answer, more weakly ('exosomes' finds records tagged
'extracellular vesicles')."""


class Filters:
    """The structured filters of a search, each named by the field it filters on (the filters
    of the field registry, `Filters(disease=["IBD"], factor_class=["miRNA"])`); each list is
    OR, lists combine with AND."""

    def __init__(self, labels: Mapping[str, str] | None = None, **values: list[str]) -> None:
        unknown = sorted(set(values) - set(FILTERS))
        if unknown:
            raise TypeError(f"no such filter: {', '.join(unknown)} (filters: {', '.join(FILTERS)})")
        self.values = {name: list(values.get(name) or ()) for name in FILTERS}
        """The values of every filter, in the registry's order."""
        self.labels = dict(labels or {})
        """How the caller names each filter in readings and matches (the CLI: by its flag);
        a filter without a label is named by itself."""

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={values!r}" for name, values in self.items())
        return f"Filters({given})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filters) and self.values == other.values

    def items(self) -> list[tuple[str, list[str]]]:
        """(filter, values) for every filter given, in the registry's order."""
        return [(name, values) for name, values in self.values.items() if values]

    def label(self, name: str, value: str) -> str:
        """'--disease IBD': one filter value as the caller names it."""
        return f"{self.labels.get(name, name)} {value}"


_FILTER_KINDS: dict[str, tuple[tuple[str, ...], str | None]] = {
    name: ((f.vocabulary or f.name,), f.name if f.vocabulary == "factor" else None)
    for name, f in FILTERS.items()
}
"""Each filter: the vocabularies its values are read in, and the role a factor plays
(a filter on targets reads factor names, and matches them as targets)."""


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


@dataclass
class _Said:
    """What a search tells besides its results, gathered as it goes."""

    readings: list[Reading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    alternatives: bool = False
    """The question joins its subjects as alternatives ('ovarian or liver cancer')."""


@dataclass
class _Chosen:
    """The records a search shows, (score, rid) each, and what it decided about them."""

    ranked: list[tuple[float, int]]
    absent: list[Part] = field(default_factory=list)
    rest: int = 0
    related: set[int] = field(default_factory=set)
    left_out: int = 0


class QueryError(ValueError):
    """The query cannot be searched (it holds nothing but question or filler words)."""


class UnknownValue(QueryError):
    """A filter value names no term and is close to none ('--disease psorasis')."""


@dataclass
class Group:
    """The records one part of the question (or one filter) matched in one way: each record
    with the value it holds, and how well it matches (one weight for all, or `weights`, one
    per record, for text ranked by BM25). A record's `Match` is made only when the record is
    shown: a question can match most of a large record set."""

    query: str
    field: str
    how: str
    weight: float
    values: dict[int, str]
    """rid → the value found."""
    weights: dict[int, float] | None = None


Groups = list[Group]
"""How one part (or filter) matched, in the order its matches were found."""


@dataclass
class Part:
    """One part of a question as evidence: the records it matches and how well."""

    text: str
    base: float
    """The weight of its kind (a disease weighs more than a tissue)."""
    groups: Groups
    weak: bool = False
    weight: float = 0.0
    """`base` times its rarity among the records, set once its matches are known."""
    best: dict[int, float] = field(default_factory=dict)
    """How well the part matches each record it matches (its best match), set by `settle`."""
    subject: bool = False
    """Whether it names the question's subject (see `subject.py`)."""
    why: str = ""
    """Why it is or is not the subject, for --explain."""
    free: FreeWord | None = None
    """The free word it was read from, if any."""
    scale: float = 1.0
    """For a word read two ways ('UC'), how much the lighter reading's matches are scaled
    down: a match of it answers as well as the same match of the heavier one."""
    kinds: frozenset[str] = frozenset()
    """The kinds of term it names ('disease', 'factor' …; 'condition' for a condition's name
    that is no term; none for another word)."""
    readings: list[Reading] = field(default_factory=list)
    """How it was read (one reading per piece merged into it)."""

    def settle(self, universe: set[int] | None) -> None:
        """Compute `best`, over the records of `universe` (all when None)."""
        best: dict[int, float] = {}
        for group in sorted((g for g in self.groups if g.weights is None), key=_by_weight):
            best.update(dict.fromkeys(group.values, group.weight))
        for group in self.groups:
            for rid, weight in (group.weights or {}).items():
                if weight > best.get(rid, -1.0):
                    best[rid] = weight
        if universe is not None:
            best = {rid: q for rid, q in best.items() if rid in universe}
        self.best = best


def _by_weight(group: Group) -> float:
    return group.weight


def rarity(matched: int, total: int) -> float:
    """From 1 (one record matches) down to 0.35 (every record does): how much matching a
    part says about a record, after inverse document frequency."""
    if total <= 1 or matched <= 0:
        return 1.0
    share = math.log(total / min(matched, total)) / math.log(total)
    return RARITY_FLOOR + (1 - RARITY_FLOOR) * share


class Searcher:
    """Runs searches against one index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.vocab = index.vocabulary
        self.parser = Parser(self.vocab, index)
        self._labels: dict[str, Term] | None = None

    def search(
        self,
        query: str | None,
        filters: Filters,
        limit: int | None = None,
        breadth: str = ANSWER,
    ) -> Outcome:
        """Find the records matching `filters` that answer `query`, best first. `breadth`:
        ANSWER (the records about the question's subject), BROAD (and the related records,
        marked), ALL (only records matching every part)."""
        parsed = self._parse(query, filters)
        said = _Said(notes=list(parsed.notes), alternatives=answer.alternatives(query))
        universe, filter_groups = self._filter(filters, said)
        parts = self._parts(parsed, said.readings, said.notes)
        self._weigh(parts, universe)
        matched = [p for p in parts if p.best]
        self._report_unmatched(parts, said)
        chosen = self._choose(parts, matched, universe, breadth, said)
        results, total = self._results(chosen, parts, matched, filter_groups, limit)
        return Outcome(
            results,
            total,
            said.readings,
            parsed.ignored,
            said.notes,
            said.unmatched,
            said.suggestions,
            absent=[p.text for p in chosen.absent],
            rest=chosen.rest,
            related=chosen.left_out,
        )

    # --- the stages of a search ----------------------------------------------------------

    def _parse(self, query: str | None, filters: Filters) -> ParsedQuery:
        parsed = self.parser.parse(query) if query and query.strip() else ParsedQuery(query or "")
        if query and parsed.empty and not filters.items():
            raise QueryError(
                f"nothing to search for in {query!r}: it has only question or filler words"
            )
        return parsed

    def _filter(self, filters: Filters, said: _Said) -> tuple[set[int] | None, Groups]:
        """The records the filters allow (None: no filter) and how each value matched. A
        value that names no term and is close to none is an error (`UnknownValue`)."""
        universe: set[int] | None = None
        filter_groups: Groups = []
        for name, values in filters.items():
            kinds, role = _FILTER_KINDS[name]
            allowed: set[int] = set()
            for value in values:
                label = filters.label(name, value)
                hits = self._filter_hits(name, value, label, kinds, role, said.readings, said.notes)
                if hits is None:
                    raise UnknownValue(self._unknown_value(name, value, kinds))
                for group in hits:
                    allowed.update(group.values)
                filter_groups.extend(hits)
            universe = allowed if universe is None else universe & allowed
        return universe, filter_groups

    def _unknown_value(self, name: str, value: str, kinds: Sequence[str]) -> str:
        """'unknown disease 'psorasis' (nearest: psoriasis …)'."""
        from rapidfuzz import fuzz, process

        labels = {label: term.name for label, term in self.vocab.labels_of(kinds).items()}
        for kind in kinds:
            labels.update({n: n for n in self.vocab.names(kind)})
        found = process.extract(
            value, labels.keys(), scorer=fuzz.WRatio, limit=8, score_cutoff=NEAREST_CUTOFF
        )
        near = list(dict.fromkeys(labels[label] for label, _score, _ in found))[:3]
        what = name.replace("_", " ")
        hint = f"; nearest: {', '.join(near)}" if near else ""
        return f"unknown {what} {value!r}{hint} (`secretome vocab` lists every term)"

    def _weigh(self, parts: list[Part], universe: set[int] | None) -> None:
        """Each part's weight: its kind's, times its rarity among the records it can match."""
        total_records = len(universe) if universe is not None else self.index.record_count
        for part in parts:
            part.settle(universe)
            scale = WEAK_SHARE if part.weak else 1.0
            strong = sum(q >= STRONG for q in part.best.values()) or len(part.best)
            part.weight = part.base * scale * rarity(strong, total_records)
        self._specific_words(parts, total_records)
        named = any(p.subject and p.best for p in parts)
        for part in parts:
            if not part.best and part.free is not None:  # a word no record holds: a name?
                free = part.free
                absence = Absence(free.cue, free.before_head, named)
                part.subject, part.why = word_subject(free.text, free.condition, part.weak, absence)
            for reading in part.readings:
                reading.weight, reading.subject, reading.why = part.weight, part.subject, part.why

    def _specific_words(self, parts: list[Part], total_records: int) -> None:
        """Words of the question that few records use ('neuroinflammation') name its subject
        as a vocabulary term would."""
        for part in parts:
            if part.free is None or not part.best or part.subject or part.weak:
                continue
            strong = sum(q >= STRONG for q in part.best.values()) or len(part.best)
            if strong <= SPECIFIC_SHARE * max(1, total_records):
                part.subject = True
                part.why = f"a specific word: {strong} of {total_records} records use it"

    def _report_unmatched(self, parts: list[Part], said: _Said) -> None:
        for part in parts:
            if part.best:
                continue
            if part.text not in said.unmatched:
                said.unmatched.append(part.text)
            near = self.parser.suggestions(part.text)
            if near and not part.weak:
                said.suggestions[part.text] = near

    def _choose(
        self,
        parts: list[Part],
        matched: list[Part],
        universe: set[int] | None,
        breadth: str,
        said: _Said,
    ) -> _Chosen:
        """Which records to show, and which of them are related rather than the answer."""
        absent = [p for p in parts if not p.best and p.subject]
        if absent:
            return self._without_subject(parts, matched, absent, universe, breadth, said)
        missing = [p for p in parts if not p.best]
        if missing and matched:
            said.notes.append(
                f"no record mentions {', '.join(repr(p.text) for p in missing)}; ranked by the rest"
            )
        if breadth == ALL:
            return _Chosen(_every_part(parts, matched, universe, self.index))
        ranked = self._rank(parts, matched, universe)
        direct, related = answer.split(ranked, matched, alternatives=said.alternatives)
        if breadth == BROAD:
            return _Chosen(direct + related, related={rid for _, rid in related})
        if related:
            said.notes.append(
                f"{len(related)} related record{'s' * (len(related) != 1)} left out "
                "(they match part of the question, not its subject); add --broad to see them"
            )
        return _Chosen(direct, left_out=len(related))

    def _without_subject(
        self,
        parts: list[Part],
        matched: list[Part],
        absent: list[Part],
        universe: set[int] | None,
        breadth: str,
        said: _Said,
    ) -> _Chosen:
        """The answer when a part naming the subject matches no record: empty, or (--broad)
        what the rest gives, all of it related; a condition that no record names ('liver
        fibrosis') shows its organ's records, related."""
        names = ", ".join(repr(p.text) for p in absent)
        rest_parts = [p for p in parts if p not in absent]
        rest = self._rank(rest_parts, matched, universe) if matched else []
        fallback = self._organ_fallback(absent, rest_parts, universe)
        if breadth == BROAD:
            said.notes.append(f"no record mentions {names}; showing what the rest matches")
            return _Chosen(rest, absent, len(rest), related={rid for _, rid in rest})
        if fallback is not None:
            organ, ranked = fallback
            said.notes.append(
                f"no record names {absent[0].text}; showing {organ} records (related)"
            )
            return _Chosen(ranked, absent, len(rest), related={rid for _, rid in ranked})
        if rest:
            said.notes.append(
                f"no record mentions {names}; {len(rest)} record{'s' * (len(rest) != 1)} match "
                "the rest of the question; add --broad to see them"
            )
        else:
            said.notes.append(f"no record mentions {names}")
        return _Chosen([], absent, len(rest))

    def _organ_fallback(
        self, absent: list[Part], rest: list[Part], universe: set[int] | None
    ) -> tuple[str, list[tuple[float, int]]] | None:
        """An absent condition that names an organ ('liver fibrosis'): the organ's records,
        ranked by the rest of the question."""
        for part in absent:
            if part.free is None or not part.free.condition:
                continue
            for word in part.free.word.split():
                hits = self.vocab.lookup(word, ["organ"])
                if not hits:
                    continue
                organ = hits[0].term
                groups: Groups = []
                self._organ_hits(groups, part.text, organ, 1.0)
                stand_in = Part(part.text, part.base, groups)
                self._weigh([stand_in], universe)
                if not stand_in.best:
                    continue
                ranked = self._rank([*rest, stand_in], [*rest, stand_in], universe)
                ranked = [r for r in ranked if r[1] in stand_in.best]
                if ranked:
                    return organ.name, ranked
        return None

    def _results(
        self,
        chosen: _Chosen,
        parts: list[Part],
        matched: list[Part],
        filter_groups: Groups,
        limit: int | None,
    ) -> tuple[list[Result], int]:
        """The shown records' documents, best first (the answer before related records),
        with why each matched."""
        ranked = chosen.ranked
        total = len(ranked)
        rids = [rid for _, rid in ranked]
        if limit is None or limit >= total:  # every document is shown: read each once
            stored = self.index.ids_and_docs(rids)
            ids = {rid: record_id for rid, (record_id, _) in stored.items()}
            texts = {rid: data for rid, (_, data) in stored.items()}
        else:
            ids = self.index.ids_of(rids)
        related = chosen.related
        ranked.sort(key=lambda r: (r[1] in related, -r[0], ids[r[1]]))
        if limit is not None and limit < total:
            ranked = ranked[:limit]
            texts = self.index.doc_data([rid for _, rid in ranked])
        why = _why(
            [rid for _, rid in ranked], [*filter_groups, *(g for p in matched for g in p.groups)]
        )
        results = []
        for score, rid in ranked:
            lacking = [p.text for p in parts if rid not in p.best]
            matches, encoded = why[rid]
            results.append(Result(texts[rid], score, matches, lacking, encoded, rid in related))
        return results, total

    def _rank(
        self, parts: list[Part], matched: list[Part], universe: set[int] | None
    ) -> list[tuple[float, int]]:
        """(score, rid) of every record to show."""
        if not parts:
            pool = universe if universe is not None else set(self.index.all_rids())
            return [(1.0, rid) for rid in pool]
        matched = [p for p in matched if p in parts]
        whole = sum(p.weight for p in parts)
        floor = COVERAGE_FLOOR
        shown = sum(p.weight * (floor + (1 - floor) * max(p.best.values())) for p in matched)
        if not matched or shown < MIN_COVERAGE * whole:
            return []
        strong = [p for p in matched if not p.weak] or matched
        heaviest = max(p.weight for p in strong)
        focus = [p for p in strong if p.weight >= FOCUS_SHARE * heaviest]
        candidates = {rid for p in focus for rid in p.best}
        ranked = _scores(candidates, matched)
        if ranked:
            top = max(s for s, _ in ranked)
            ranked = [r for r in ranked if r[0] >= top * RELATIVE_CUTOFF]
        return ranked

    # --- the parts of a question ---------------------------------------------------------

    def _parts(self, parsed: ParsedQuery, readings: list[Reading], notes: list[str]) -> list[Part]:
        parts = [self._concept_part(concept, readings, notes) for concept in parsed.concepts]
        for cite in parsed.citations:
            reading = Reading(
                cite.text, "citation: " + (", ".join(cite.keys) or "none"), "author/year or DOI"
            )
            readings.append(reading)
            part = Part(cite.text, KIND_WEIGHT["citation"], self._citation_hits(cite))
            part.subject, part.why, part.readings = True, "names an author or a DOI", [reading]
            parts.append(part)
        for word in parsed.free:
            how = "phrase" if word.phrase else ("spelling corrected" if word.corrected else "word")
            reading = Reading(word.text, f"text: {word.word}", how)
            readings.append(reading)
            weak = word.weak or is_generic(word.word)
            base = BY_NAME["disease"].weight if word.condition else WORD_WEIGHT
            part = Part(word.text, base, self._free_hits(word), weak=weak)
            part.subject, part.why = word_subject(word.text, word.condition, weak)
            part.free, part.readings = word, [reading]
            part.kinds = frozenset({"condition"} if word.condition else ())
            parts.append(part)
        return _merge_same_text(parts)

    def _concept_part(self, concept: Concept, readings: list[Reading], notes: list[str]) -> Part:
        reading = _reading(concept, self.vocab)
        readings.append(reading)
        if concept.note:
            notes.append(concept.note)
        kinds = {h.term.kind for h in concept.hits}
        if "factor_class" in kinds:  # 'miRNAs', 'cytokines': a class, however it is read
            base = BY_NAME["factor_class"].weight
        else:
            base = max(_kind_weight(h.term, concept.role) for h in concept.hits)
        part = Part(concept.text, base, self._concept_hits(concept, concept.text))
        part.subject, part.why = concept_subject(kinds)
        part.readings, part.kinds = [reading], frozenset(kinds)
        weights = {h.term.kind: _kind_weight(h.term, concept.role) for h in concept.hits}
        if len(weights) > 1 and not set(weights) <= _ONE_READING:  # "UC": each reading
            part.scale = min(weights.values()) / max(weights.values())
        return part

    # --- one part each -------------------------------------------------------------------

    def _filter_hits(
        self,
        name: str,
        value: str,
        label: str,
        kinds: Sequence[str],
        role: str | None,
        readings: list[Reading],
        notes: list[str],
    ) -> Groups | None:
        if name == "model":
            organism = " ".join(words(value))
            found = self.index.rids("organism", [organism])
            if found:
                readings.append(Reading(label, f"organism: {organism}", "exact"))
                return [Group(value, "organism", "exact", 0.0, dict.fromkeys(found, organism))]
        concept = self.parser.concept_for(value, kinds)
        if concept is None:
            return None
        concept.role = role
        readings.append(_reading(concept, self.vocab, label=label))
        if concept.corrected:
            notes.append(f"read {label!r} as '{concept.corrected}' (spelling)")
        if concept.note:
            notes.append(concept.note)
        hits = self._concept_hits(concept, label, loose=False)
        for group in hits:
            group.weight, group.weights = 0.0, None
        return hits

    def _concept_hits(self, concept: Concept, label: str, loose: bool = True) -> Groups:
        """The records a concept names, with how well. `loose` (a question, not a filter)
        adds broader terms, the diseases of an organ, and mentions in the text."""
        out: Groups = []
        readings = {h.term.kind: _kind_weight(h.term, concept.role) for h in concept.hits}
        for hit in concept.hits:
            quality = _quality(hit.how, concept.how)
            if len(readings) > 1 and not set(readings) <= _ONE_READING:
                # two readings of one word ('UC': a disease or a tissue): the more specific
                # reading's records come first
                quality *= readings[hit.term.kind] / max(readings.values())
            kind = hit.term.kind
            if kind == "organ":
                self._organ_hits(out, label, hit.term, quality if loose else 1.0)
            if kind == "process":
                self._process_hits(out, label, hit.term, quality)
            else:
                self._term_hits(out, label, hit, concept, quality, loose)
        self._prefix_hits(out, label, concept)
        if loose and not concept.direction and concept.role is None:
            self._mention_hits(out, label, concept)
        return out

    def _process_hits(self, out: Groups, label: str, term: Term, quality: float) -> None:
        """A process is named in the text only: the text is its field; related processes
        count less."""
        self._add_text_columns(out, label, term.labels, quality)
        for name in term.related:
            other = self.vocab.get("process", name)
            if other is not None:
                self._add_text_columns(out, label, other.labels, quality * QUALITY["related"])

    def _term_hits(
        self, out: Groups, label: str, hit: Hit, concept: Concept, quality: float, loose: bool
    ) -> None:
        """A term in the record fields it can stand in: itself, narrower terms, (loose)
        broader ones and statements about MSCs in general, and a disease's context."""
        term = hit.term
        if term.kind in {"system", "factor_class", "topic"}:
            names = [term.name]
        else:
            names = self.vocab.descendants(term.kind, term.name)
        for field_name in _fields_for(term, concept.role):
            self._field_hits(out, label, hit, concept, field_name, names, quality, loose)
            if loose and not concept.direction and term.kind in BROADER_KINDS:
                self._broader_hits(out, label, term, field_name, quality)
        if term.kind == "disease":
            self._add_text(
                out,
                label,
                [concept.corrected or concept.text],
                "context",
                quality * QUALITY["context"],
                columns=("context",),
            )

    def _field_hits(
        self,
        out: Groups,
        label: str,
        hit: Hit,
        concept: Concept,
        field_name: str,
        names: list[str],
        quality: float,
        loose: bool,
    ) -> None:
        """The term (or a narrower one) in one field, in the direction asked when one was."""
        term, direction = hit.term, concept.direction
        changes = bool(direction and BY_NAME[field_name].changes)
        if changes:
            wanted = DECREASING if direction == "down" else INCREASING
            keyed = [f"{n}\0{c}" for n in names for c in wanted]
            found = self.index.rids(f"{field_name}_change", keyed)
            found = {rid: t.split("\0")[0] for rid, t in found.items()}
        else:
            found = self.index.rids(field_name, names)
        exact = {rid: v for rid, v in found.items() if v == term.name}
        under = {rid: v for rid, v in found.items() if v != term.name}
        _add(out, Group(label, field_name, hit.how, quality * QUALITY["field"], exact))
        how = f"under {term.name}"
        _add(out, Group(label, field_name, how, quality * QUALITY["narrower"], under))
        if changes and loose:
            changed = self.index.rids(field_name, names)
            how = f"changes otherwise than {direction}"
            values = {rid: v for rid, v in changed.items() if rid not in found}
            _add(out, Group(label, field_name, how, quality * QUALITY["other direction"], values))
        if term.kind == "tissue" and loose and term.name != GENERAL_TISSUE:
            general = self.index.rids(field_name, [GENERAL_TISSUE])
            how = "a statement about MSCs in general"
            _add(out, Group(label, field_name, how, quality * QUALITY["general"], general))

    def _broader_hits(
        self, out: Groups, label: str, term: Term, field_name: str, quality: float
    ) -> None:
        """Records tagged with a broader term: a disease's parent counts more than the root
        of its tree ('cancer' for 'endometrial cancer' says little)."""
        broader = self.vocab.ancestors(term.kind, term.name)
        how = f"broader than {term.name}"
        if term.kind != "disease":
            q = quality * QUALITY["broader"]
            _add(out, Group(label, field_name, how, q, self.index.rids(field_name, broader)))
            return
        roots = [b for b in broader if not self.vocab.ancestors(term.kind, b)]
        near = [b for b in broader if b not in roots]
        q = quality * QUALITY["broader disease"]
        _add(out, Group(label, field_name, how, q, self.index.rids(field_name, near)))
        q = quality * QUALITY["root disease"]
        _add(out, Group(label, field_name, how, q, self.index.rids(field_name, roots)))

    def _prefix_hits(self, out: Groups, label: str, concept: Concept) -> None:
        """Words of the text that begin with one of the concept's prefixes ('CD' markers)."""
        for prefix in concept.prefixes:
            longer = self.index.words_with_prefix(prefix)
            body = " OR ".join(f'"{w}"' for w in longer if w != prefix)
            found_text = self.index.text(body) if body else set()
            values = dict.fromkeys(found_text, f"{prefix}…")
            _add(out, Group(label, "text", concept.how, QUALITY["text"], values))

    def _mention_hits(self, out: Groups, label: str, concept: Concept) -> None:
        """Mentions of the concept, as typed and by its first labels, in the record text."""
        labels = [concept.corrected or concept.text]
        for hit in concept.hits:
            if hit.term.kind in {"factor", "pathway", "preconditioning", "organ", "disease"}:
                labels.extend(hit.term.labels[:3])
        others = self._other_senses(labels, {h.term for h in concept.hits})
        self._add_text_columns(out, label, labels, QUALITY["text"], others)

    def _other_senses(self, labels: Sequence[str], terms: set[Term]) -> list[str]:
        """Labels of other terms that hold one of `labels` as words in a row ('bone marrow'
        for 'bone', 'spinal cord injury' for 'cord'): a mention there is another sense."""
        wanted = [words(label) for label in labels if len(words(label)) == 1]
        if not wanted:
            return []
        out = []
        for longer, term in self._all_labels().items():
            if term in terms:
                continue
            longer_words = words(longer)
            if len(longer_words) > 1 and any(w[0] in longer_words for w in wanted):
                out.append(longer)
        return out

    def _all_labels(self) -> dict[str, Term]:
        if self._labels is None:
            self._labels = self.vocab.labels_of(SENSE_KINDS)
        return self._labels

    def _organ_hits(self, out: Groups, label: str, organ: Term, quality: float) -> None:
        """The records on a disease of the organ (and its narrower diseases)."""
        diseases: list[str] = []
        for name in self.vocab.organ_diseases.get(organ.name, ()):
            diseases.extend(d for d in self.vocab.descendants("disease", name) if d not in diseases)
        found = self.index.rids("disease", diseases)
        how = f"a disease of the {organ.name}"
        _add(out, Group(label, "disease", how, quality * QUALITY["organ"], found))

    def _add_text_columns(
        self,
        out: Groups,
        label: str,
        phrases: Iterable[str],
        quality: float,
        exclude: Sequence[str] = (),
    ) -> None:
        """Mentions of any of `phrases` in the record text, the notes counting least; a
        column that names one of `exclude` does not count ('bone' in 'bone marrow')."""
        phrases = list(phrases)
        for column in TEXT_COLUMNS:
            weight = quality * TEXT_WEIGHTS[column]
            self._add_text(out, label, phrases, "text", weight, (column,), exclude)

    def _add_text(
        self,
        out: Groups,
        label: str,
        phrases: Iterable[str],
        field_name: str,
        weight: float,
        columns: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
    ) -> None:
        terms = [" ".join(words(p)) for p in phrases]
        terms = [t for t in dict.fromkeys(terms) if t]
        if not terms:
            return
        body = " OR ".join(f'"{t}"' for t in terms)
        others = [t for t in dict.fromkeys(" ".join(words(p)) for p in exclude) if t]
        if others:
            body = f"({body}) NOT ({' OR '.join(f'{chr(34)}{t}{chr(34)}' for t in others)})"
        expr = f"{{{' '.join(columns)}}} : ({body})" if columns else body
        where = "notes" if columns == ("notes",) else field_name
        values = dict.fromkeys(self.index.text(expr), terms[0])
        _add(out, Group(label, where, "text", weight, values))

    def _citation_hits(self, cite: CitationConcept) -> Groups:
        out: Groups = []
        for field_name in ("citation", "source"):
            found = self.index.rids(field_name, cite.keys)
            _add(out, Group(cite.text, "citation", "author/year", QUALITY["field"], found))
        return out

    def _free_hits(self, word: FreeWord) -> Groups:
        """The records whose text holds the word, in any of its forms, ranked by BM25."""
        out: Groups = []
        if word.phrase:
            source = word.word if word.alternatives else word.text.strip('"')
            self._add_text_columns(out, word.text, [source, *word.alternatives], 1.0)
            return out
        forms = {word.word: "word"}
        for alternative in word.alternatives:
            forms.setdefault(" ".join(words(alternative)), "word")
        if " " not in word.word:
            for form, how in self.index.word_forms(word.word).items():
                if how == "root" and word.condition:  # myocarditis is not myocardial
                    continue
                forms.setdefault(form, how)
        for form, how in forms.items():
            ranked = self.index.text_ranked(form, TEXT_WEIGHTS)
            scale = WORD_FORM[how]
            weights = {rid: scale * max(MIN_STRENGTH, strength) for rid, strength in ranked.items()}
            how_text = "text" if how == "word" else f"text ({how} of {word.word})"
            values = dict.fromkeys(ranked, form)
            _add(out, Group(word.text, "text", how_text, scale, values, weights))
        return out


def _scores(candidates: Iterable[int], matched: list[Part]) -> list[tuple[float, int]]:
    """(score, rid) of each candidate: the weighted share of the parts it matches, each by how
    well."""
    found = sum(p.weight for p in matched) or 1.0
    weighed = [(p.weight, p.best.get) for p in matched]
    ranked = []
    for rid in candidates:
        raw = 0.0
        for weight, quality in weighed:
            raw += weight * quality(rid, 0.0)
        ranked.append((round(min(1.0, raw / found), 3), rid))
    return ranked


def _every_part(
    parts: list[Part], matched: list[Part], universe: set[int] | None, index: Index
) -> list[tuple[float, int]]:
    """--all: the records matching every part of the question (every record, for a search by
    filters alone)."""
    if not parts:
        pool = universe if universe is not None else set(index.all_rids())
        return [(1.0, rid) for rid in pool]
    if len(matched) < len(parts):
        return []
    common = set.intersection(*(set(p.best) for p in matched))
    return _scores(common, matched)


def _why(rids: list[int], groups: Groups) -> dict[int, tuple[list[Match], str]]:
    """Why each of `rids` matched: its matches of `groups`, best first and each once. Found
    group by group (a set intersection each), and made once for records that match alike
    (thousands of results of a large record set share a few ways of matching)."""
    shown = set(rids)
    found: dict[int, list[tuple[int, str, float]]] = {rid: [] for rid in rids}
    for i, group in enumerate(groups):
        values, weights = group.values, group.weights
        for rid in shown.intersection(values):
            weight = group.weight if weights is None else weights[rid]
            found[rid].append((i, values[rid], weight))
    made: dict[tuple[tuple[int, str, float], ...], tuple[list[Match], str]] = {}
    out: dict[int, tuple[list[Match], str]] = {}
    for rid in rids:
        key = tuple(found[rid])  # in the order of the groups
        why = made.get(key)
        if why is None:
            matches = _dedupe(
                [Match(groups[i].query, groups[i].field, v, groups[i].how, w) for i, v, w in key]
            )
            why = made[key] = (matches, _matches_json(matches))
        out[rid] = why
    return out


def _merge_same_text(parts: list[Part]) -> list[Part]:
    """One part per piece of the question: a token split into several words ('TGF-beta1')
    is read as several parts with the same text, which count as one (each record by its best
    match)."""
    merged: dict[str, Part] = {}
    for part in parts:
        kept = merged.get(part.text)
        if kept is None:
            merged[part.text] = part
            continue
        kept.base = max(kept.base, part.base)
        kept.weak = kept.weak and part.weak
        kept.groups.extend(part.groups)
        kept.readings.extend(part.readings)
        kept.kinds |= part.kinds
        if part.subject and not kept.subject:
            kept.subject, kept.why = True, part.why
    return list(merged.values())


def _add(out: Groups, group: Group) -> None:
    """Keep `group` when it matched some record."""
    if group.values:
        out.append(group)


SENSE_KINDS = ("tissue", "organ", "disease", "fraction", "system")
"""Kinds of term whose multi-word labels give a word another sense ('bone marrow')."""

_ONE_READING = frozenset({"factor", "fraction", "factor_class"})
"""Kinds that a word names together without being ambiguous: 'exosomes' is a factor and a
fraction, 'miRNAs' a factor and a class."""


def _kind_weight(term: Term, role: str | None) -> float:
    """How much a term of this kind counts (a disease more than a tissue)."""
    return KIND_WEIGHT.get(term.kind) or BY_NAME[_fields_for(term, role)[0]].weight


def _fields_for(term: Term, role: str | None) -> list[str]:
    kind = term.kind
    if kind == "factor":
        if role == "target":
            return ["target"]
        if role == "factor":
            return ["factor"]
        fields = ["factor", "target"]
        if term.info == "drug":
            fields.append("drug")
        return fields
    if kind == "pathway":
        return ["pathway"]
    return [kind]


def _quality(how: str, concept_how: str) -> float:
    if concept_how.startswith("typo"):
        return HOW_QUALITY["typo"]
    return HOW_QUALITY.get(how, OTHER_HOW_QUALITY)


def _dedupe(matches: list[Match]) -> list[Match]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for m in sorted(matches, key=lambda m: -m.weight):
        k = (m.query, m.field, m.value)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _reading(concept: Concept, vocab: Any, label: str | None = None) -> Reading:
    kinds: dict[str, list[str]] = {}
    expanded: list[str] = []
    for hit in concept.hits:
        kinds.setdefault(hit.term.kind.replace("_", " "), []).append(hit.term.name)
        if hit.term.kind in {"disease", "factor", "pathway", "tissue", "fraction"}:
            below = vocab.descendants(hit.term.kind, hit.term.name)[1:]
            expanded.extend(b for b in below if b not in expanded)
    read_as = "; ".join(f"{k}: {', '.join(v)}" for k, v in kinds.items())
    how = concept.how
    if concept.corrected:
        how += f" (spelling: {concept.corrected})"
    if concept.role:
        read_as += f" (as {concept.role})"
    if concept.direction:
        read_as += f" (going {concept.direction})"
    return Reading(label or concept.text, read_as, how, expanded)
