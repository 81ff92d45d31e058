"""Search: a parsed question and filters in, ranked record documents out.

Flags are filters and are hard: every filter must match (AND), the values of one repeated
filter are alternatives (OR). The free-text question is soft: each recognised concept
(disease, factor, target, pathway, organ, tissue, …), citation and content word is a *part*,
evidence weighed by how specific it is (the field's weight in `model.fields`, times how rare
its matches are among the records). A record need not match every part: its score is the
weighted share of the parts it matches, each counted by how well (a structured match above a
mention in the text, the text above the curators' notes, an exact word above another form of
it). A record is shown only when it matches the question's focus (its most specific parts)
and scores at least a share of the best; and when the parts that no record matches outweigh
those that do, nothing is shown. Parts that match nothing are reported, for the question and
for each result.
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
from secretome_cli.model.vocab import Term
from secretome_cli.search.parse import CitationConcept, Concept, FreeWord, ParsedQuery, Parser
from secretome_cli.words.lexicon import is_generic
from secretome_cli.words.normalize import words

RELATIVE_CUTOFF = 0.3
"""A result scoring less than this share of the best result is dropped."""

MIN_COVERAGE = 0.4
"""When the parts of a question that some record matches weigh less than this share of the
whole question, nothing is shown: the question is about something the records do not hold."""

FOCUS_SHARE = 0.6
"""A part is in the question's focus when its weight is at least this share of the heaviest
matched part's; a record must match some part of the focus."""

STRONG = 0.75
"""A match at least this good says a record is about the part: how rare a part is counts the
records it matches this well (a disease's tagged records, not those that mention it)."""

WORD_WEIGHT = 2.0
"""The weight of a content word of the question, before its rarity."""

WEAK_SHARE = 0.25
"""What a content-light word ('help', 'repair') weighs, as a share of a content word."""

QUALITY = {
    "field": 1.0,
    "narrower": 0.9,
    "context": 0.8,
    "organ": 0.8,
    "broader": 0.65,
    "text": 0.6,
    "broader disease": 0.45,
    "general": 0.5,
    "related": 0.7,
    "other direction": 0.5,
}
"""How well a match shows that a record answers a part: the part's term in a structured field;
a narrower term there (asked for 'colitis', tagged 'ulcerative colitis'); the disease context;
a disease of the organ asked for; a broader tissue or fraction ('post-partum tissues' for the
umbilical cord); a mention in the text; a broader disease; a statement about MSCs in general
(for a question about one tissue); the entity asked about, changing otherwise than asked."""

WORD_FORM = {"word": 1.0, "stem": 0.95, "root": 0.7}
"""How a word of the question meets the records' words: as written, in another inflection
(same Snowball stem), or as a derivational relative (same root: injured / injury)."""

MIN_STRENGTH = 0.3
"""The least a text match of a word counts, as a share of the best BM25 match of that word."""

BROADER_KINDS = {"tissue": "broader", "fraction": "broader", "disease": "broader disease"}
"""Kinds whose broader terms also answer, more weakly ('exosomes' finds records tagged
'extracellular vesicles')."""

KIND_WEIGHT = {"organ": 2.5, "citation": 3.0, "process": 2.0}
"""Weights of parts that are not one record field (the fields' weights are in the registry)."""


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
            f'"match": {matches}, "unmatched": {_strings_json(tuple(self.unmatched))}}}'
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


class QueryError(ValueError):
    """The query cannot be searched (it holds nothing but question or filler words)."""


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
    return 0.35 + 0.65 * math.log(total / min(matched, total)) / math.log(total)


class Searcher:
    """Runs searches against one index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.vocab = index.vocabulary
        self.parser = Parser(self.vocab, index)

    def search(self, query: str | None, filters: Filters, limit: int | None = None) -> Outcome:
        """Find the records matching `filters` that answer `query`, best first."""
        parsed = self.parser.parse(query) if query and query.strip() else ParsedQuery(query or "")
        if query and parsed.empty and not filters.items():
            raise QueryError(
                f"nothing to search for in {query!r}: it has only question or filler words"
            )
        readings: list[Reading] = []
        notes = list(parsed.notes)
        unmatched: list[str] = []
        suggestions: dict[str, list[str]] = {}

        universe: set[int] | None = None
        filter_groups: Groups = []
        for name, values in filters.items():
            kinds, role = _FILTER_KINDS[name]
            allowed: set[int] = set()
            for value in values:
                label = filters.label(name, value)
                hits = self._filter_hits(name, value, label, kinds, role, readings, notes)
                if hits is None:
                    unmatched.append(label)
                    near = self.parser.suggestions(value)
                    if near:
                        suggestions[value] = near
                    continue
                for group in hits:
                    allowed.update(group.values)
                filter_groups.extend(hits)
            universe = allowed if universe is None else universe & allowed

        parts = self._parts(parsed, readings, notes)
        total_records = len(universe) if universe is not None else self.index.record_count
        for part in parts:
            part.settle(universe)
            scale = WEAK_SHARE if part.weak else 1.0
            strong = sum(q >= STRONG for q in part.best.values()) or len(part.best)
            part.weight = part.base * scale * rarity(strong, total_records)
        matched = [p for p in parts if p.best]
        missing = [p for p in parts if not p.best]
        for part in missing:
            if part.text not in unmatched:
                unmatched.append(part.text)
            near = self.parser.suggestions(part.text)
            if near and not part.weak:
                suggestions[part.text] = near

        ranked = self._rank(parts, matched, universe)
        total = len(ranked)
        rids = [rid for _, rid in ranked]
        if limit is None or limit >= total:  # every document is shown: read each once
            stored = self.index.ids_and_docs(rids)
            ids = {rid: record_id for rid, (record_id, _) in stored.items()}
            texts = {rid: data for rid, (_, data) in stored.items()}
        else:
            ids = self.index.ids_of(rids)
        ranked.sort(key=lambda r: (-r[0], ids[r[1]]))
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
            results.append(Result(texts[rid], score, matches, lacking, encoded))
        if results and missing:
            notes.append(
                f"no record mentions {', '.join(repr(p.text) for p in missing)}; ranked by the rest"
            )
        return Outcome(results, total, readings, parsed.ignored, notes, unmatched, suggestions)

    def _rank(
        self, parts: list[Part], matched: list[Part], universe: set[int] | None
    ) -> list[tuple[float, int]]:
        """(score, rid) of every record to show."""
        if not parts:
            pool = universe if universe is not None else set(self.index.all_rids())
            return [(1.0, rid) for rid in pool]
        whole = sum(p.weight for p in parts)
        found = sum(p.weight for p in matched)
        shown = sum(p.weight * (0.5 + 0.5 * max(p.best.values())) for p in matched)
        if not matched or shown < MIN_COVERAGE * whole:
            return []
        strong = [p for p in matched if not p.weak] or matched
        heaviest = max(p.weight for p in strong)
        focus = [p for p in strong if p.weight >= FOCUS_SHARE * heaviest]
        candidates = {rid for p in focus for rid in p.best}
        ranked = []
        weighed = [(p.weight, p.best.get) for p in matched]
        for rid in candidates:
            raw = 0.0
            for weight, quality in weighed:
                raw += weight * quality(rid, 0.0)
            ranked.append((round(min(1.0, raw / found), 3), rid))
        if ranked:
            top = max(s for s, _ in ranked)
            ranked = [r for r in ranked if r[0] >= top * RELATIVE_CUTOFF]
        return ranked

    # --- the parts of a question ---------------------------------------------------------

    def _parts(self, parsed: ParsedQuery, readings: list[Reading], notes: list[str]) -> list[Part]:
        parts = []
        for concept in parsed.concepts:
            readings.append(_reading(concept, self.vocab))
            if concept.note:
                notes.append(concept.note)
            kinds = {h.term.kind for h in concept.hits}
            if "factor_class" in kinds:  # 'miRNAs', 'cytokines': a class, however it is read
                base = BY_NAME["factor_class"].weight
            else:
                base = max(_kind_weight(h.term, concept.role) for h in concept.hits)
            parts.append(Part(concept.text, base, self._concept_hits(concept, concept.text)))
        for cite in parsed.citations:
            readings.append(
                Reading(
                    cite.text, "citation: " + (", ".join(cite.keys) or "none"), "author/year or DOI"
                )
            )
            parts.append(Part(cite.text, KIND_WEIGHT["citation"], self._citation_hits(cite)))
        for word in parsed.free:
            how = "phrase" if word.phrase else ("spelling corrected" if word.corrected else "word")
            readings.append(Reading(word.text, f"text: {word.word}", how))
            weak = word.weak or is_generic(word.word)
            base = BY_NAME["disease"].weight if word.condition else WORD_WEIGHT
            parts.append(Part(word.text, base, self._free_hits(word), weak=weak))
        return _merge_same_text(parts)

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
        direction = concept.direction
        readings = {h.term.kind: _kind_weight(h.term, concept.role) for h in concept.hits}
        for hit in concept.hits:
            term = hit.term
            quality = _quality(hit.how, concept.how)
            if len(readings) > 1 and not set(readings) <= _ONE_READING:
                # two readings of one word ('UC': a disease or a tissue): the more specific
                # reading's records come first
                quality *= readings[term.kind] / max(readings.values())
            if term.kind == "organ":
                self._organ_hits(out, label, term, quality if loose else 1.0)
            if term.kind == "process":  # named in the text only: the text is its field
                self._add_text_columns(out, label, term.labels, quality)
                for name in term.related:
                    other = self.vocab.get("process", name)
                    if other is not None:
                        q = quality * QUALITY["related"]
                        self._add_text_columns(out, label, other.labels, q)
                continue
            if term.kind in {"system", "factor_class", "topic"}:
                names = [term.name]
            else:
                names = self.vocab.descendants(term.kind, term.name)
            broader = (
                self.vocab.ancestors(term.kind, term.name)
                if loose and term.kind in BROADER_KINDS and not direction
                else []
            )
            for field_name in _fields_for(term, concept.role):
                if direction and BY_NAME[field_name].changes:
                    changes = DECREASING if direction == "down" else INCREASING
                    keyed = [f"{n}\0{c}" for n in names for c in changes]
                    found = self.index.rids(f"{field_name}_change", keyed)
                    found = {rid: t.split("\0")[0] for rid, t in found.items()}
                else:
                    found = self.index.rids(field_name, names)
                exact = {rid: v for rid, v in found.items() if v == term.name}
                under = {rid: v for rid, v in found.items() if v != term.name}
                q = quality * QUALITY["field"]
                _add(out, Group(label, field_name, hit.how, q, exact))
                q = quality * QUALITY["narrower"]
                _add(out, Group(label, field_name, f"under {term.name}", q, under))
                if direction and BY_NAME[field_name].changes and loose:
                    changed = self.index.rids(field_name, names)
                    q = quality * QUALITY["other direction"]
                    how = f"changes otherwise than {direction}"
                    values = {rid: v for rid, v in changed.items() if rid not in found}
                    _add(out, Group(label, field_name, how, q, values))
                if term.kind == "tissue" and loose and term.name != GENERAL_TISSUE:
                    general = self.index.rids(field_name, [GENERAL_TISSUE])
                    how = "a statement about MSCs in general"
                    _add(out, Group(label, field_name, how, quality * QUALITY["general"], general))
                q = quality * QUALITY[BROADER_KINDS.get(term.kind, "broader")]
                how = f"broader than {term.name}"
                _add(out, Group(label, field_name, how, q, self.index.rids(field_name, broader)))
            if term.kind == "disease":
                self._add_text(
                    out,
                    label,
                    [concept.corrected or concept.text],
                    "context",
                    quality * QUALITY["context"],
                    columns=("context",),
                )
        for prefix in concept.prefixes:
            longer = self.index.words_with_prefix(prefix)
            body = " OR ".join(f'"{w}"' for w in longer if w != prefix)
            found_text = self.index.text(body) if body else set()
            values = dict.fromkeys(found_text, f"{prefix}…")
            _add(out, Group(label, "text", concept.how, QUALITY["text"], values))
        if loose and not direction and concept.role is None:
            labels = [concept.corrected or concept.text]
            for hit in concept.hits:
                if hit.term.kind in {"factor", "pathway", "preconditioning", "organ", "disease"}:
                    labels.extend(hit.term.labels[:3])
            self._add_text_columns(out, label, labels, QUALITY["text"])
        return out

    def _organ_hits(self, out: Groups, label: str, organ: Term, quality: float) -> None:
        """The records on a disease of the organ (and its narrower diseases)."""
        diseases: list[str] = []
        for name in self.vocab.organ_diseases.get(organ.name, ()):
            diseases.extend(d for d in self.vocab.descendants("disease", name) if d not in diseases)
        found = self.index.rids("disease", diseases)
        how = f"a disease of the {organ.name}"
        _add(out, Group(label, "disease", how, quality * QUALITY["organ"], found))

    def _add_text_columns(
        self, out: Groups, label: str, phrases: Iterable[str], quality: float
    ) -> None:
        """Mentions of any of `phrases` in the record text, the notes counting least."""
        for column in TEXT_COLUMNS:
            self._add_text(
                out, label, phrases, "text", quality * TEXT_WEIGHTS[column], columns=(column,)
            )

    def _add_text(
        self,
        out: Groups,
        label: str,
        phrases: Iterable[str],
        field_name: str,
        weight: float,
        columns: Sequence[str] | None = None,
    ) -> None:
        terms = [" ".join(words(p)) for p in phrases]
        terms = [t for t in dict.fromkeys(terms) if t]
        if not terms:
            return
        body = " OR ".join(f'"{t}"' for t in terms)
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
                forms.setdefault(form, how)
        for form, how in forms.items():
            ranked = self.index.text_ranked(form, TEXT_WEIGHTS)
            scale = WORD_FORM[how]
            weights = {rid: scale * max(MIN_STRENGTH, strength) for rid, strength in ranked.items()}
            how_text = "text" if how == "word" else f"text ({how} of {word.word})"
            values = dict.fromkeys(ranked, form)
            _add(out, Group(word.text, "text", how_text, scale, values, weights))
        return out


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
    return list(merged.values())


def _add(out: Groups, group: Group) -> None:
    """Keep `group` when it matched some record."""
    if group.values:
        out.append(group)


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
        return 0.9
    return {
        "name": 1.0,
        "synonym": 1.0,
        "abbreviation": 0.95,
        "miRNA arm": 0.95,
        "miRNA family": 0.9,
        "arm not stated": 0.8,
        "marker": 0.9,
        "partial name": 0.7,
        "typo": 0.9,
    }.get(how, 0.9)


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
