"""Search: a parsed query and filters in, ranked record documents out.

Every concept of the query and every filter must match (AND); the terms of one concept, or the
values of one repeated filter, are alternatives (OR). A concept matches a record through its
structured fields (diseases with their sub-diseases and experimental context, factors and
targets with their sub-entries, pathways, tissues, fractions, model systems, citations) and,
more weakly, through the record's text. Free words must occur in the record text. The score
is the share of the best possible match, from 0 to 1; results far below the best are dropped
rather than shown to fill a list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from secretome_cli.index.store import Index
from secretome_cli.model.controlled import DECREASING, INCREASING
from secretome_cli.model.vocab import Term
from secretome_cli.search.parse import CitationConcept, Concept, FreeWord, ParsedQuery, Parser
from secretome_cli.words.normalize import words

RELATIVE_CUTOFF = 0.3
"""A result scoring less than this share of the best result is dropped."""

FULL = 3.0
"""The weight of a perfect match of one concept."""

FIELD_WEIGHTS = {
    "disease": 3.0,
    "factor": 3.0,
    "target": 2.5,
    "pathway": 2.5,
    "drug": 2.0,
    "preconditioning": 2.5,
    "factor_class": 3.0,
    "tissue": 2.0,
    "fraction": 2.5,
    "system": 2.5,
    "organism": 2.5,
    "topic": 2.0,
    "citation": 3.0,
    "context": 2.4,
    "text": 1.0,
}
"""How much a concept counts when it matches a record through each field."""

DOC_FIELDS = {
    "disease": "diseases",
    "factor": "factors",
    "target": "targets",
    "pathway": "pathways",
    "drug": "drugs",
    "preconditioning": "source.preconditioning",
    "factor_class": "factors.class",
    "tissue": "source.tissues",
    "fraction": "source.fraction",
    "system": "model.systems",
    "organism": "model.organisms",
    "topic": "topic",
    "citation": "citations",
    "context": "diseases.context",
    "text": "text",
}
"""The document field each match field stands for (as `match` reports it)."""


@dataclass
class Filters:
    """The structured filters of a search, each named by the field it filters on; each list
    is OR, lists combine with AND."""

    disease: list[str] = field(default_factory=list)
    factor: list[str] = field(default_factory=list)
    factor_class: list[str] = field(default_factory=list)
    pathway: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    tissue: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """How the caller names each filter in readings and matches (the CLI: by its flag);
    a filter without a label is named by itself."""

    def items(self) -> list[tuple[str, list[str]]]:
        """(filter, values) for every filter given, in the order above."""
        return [(name, getattr(self, name)) for name in _FILTER_KINDS if getattr(self, name)]

    def label(self, name: str, value: str) -> str:
        """'--disease IBD': one filter value as the caller names it."""
        return f"{self.labels.get(name, name)} {value}"


_FILTER_KINDS = {
    "disease": (("disease",), None),
    "factor": (("factor",), "factor"),
    "factor_class": (("factor_class",), None),
    "pathway": (("pathway",), None),
    "target": (("factor",), "target"),
    "tissue": (("tissue",), None),
    "model": (("system",), None),
}


@dataclass
class Match:
    """Why one concept matched one record."""

    query: str
    field: str
    value: str
    how: str
    weight: float

    def as_dict(self) -> dict[str, str]:
        return {
            "query": self.query,
            "field": DOC_FIELDS.get(self.field, self.field),
            "value": self.value,
            "how": self.how,
        }


@dataclass
class Result:
    """One found record: its document (as the index stores it), score and why it matched."""

    raw: str
    """The document's JSON text."""
    score: float
    matches: list[Match]

    @cached_property
    def doc(self) -> dict[str, Any]:
        """The document."""
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed

    def as_dict(self) -> dict[str, Any]:
        """The document with `score` and `match`, as JSON output gives it."""
        return {**self.doc, "score": self.score, "match": [m.as_dict() for m in self.matches]}

    def json_text(self) -> str:
        """`json.dumps(self.as_dict())`, written without parsing the stored document."""
        extra = json.dumps(
            {"score": self.score, "match": [m.as_dict() for m in self.matches]}, ensure_ascii=False
        )
        return f"{self.raw[:-1]}, {extra[1:]}"


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
    suggestions: dict[str, list[str]]


class QueryError(ValueError):
    """The query cannot be searched (it holds nothing but question or filler words)."""


class Searcher:
    """Runs searches against one index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.vocab = index.vocabulary
        self.parser = Parser(self.vocab, index)

    def search(self, query: str | None, filters: Filters, limit: int | None = None) -> Outcome:
        """Find the records matching `query` and `filters`, best first."""
        parsed = self.parser.parse(query) if query and query.strip() else ParsedQuery(query or "")
        if query and parsed.empty and not filters.items():
            raise QueryError(
                f"nothing to search for in {query!r}: it has only question or filler words"
            )
        readings: list[Reading] = []
        notes = list(parsed.notes)
        unmatched: list[str] = []
        suggestions: dict[str, list[str]] = {}
        constraints: list[dict[int, list[Match]]] = []
        scored: list[bool] = []

        for name, values in filters.items():
            kinds, role = _FILTER_KINDS[name]
            per_value: dict[int, list[Match]] = {}
            for value in values:
                label = filters.label(name, value)
                hits = self._filter_hits(name, value, label, kinds, role, readings, notes)
                if hits is None:
                    unmatched.append(label)
                    near = self.parser.suggestions(value)
                    if near:
                        suggestions[value] = near
                    continue
                for rid, found in hits.items():
                    per_value.setdefault(rid, []).extend(found)
            constraints.append(per_value)
            scored.append(False)

        for concept in parsed.concepts:
            hits = self._concept_hits(concept, concept.text)
            readings.append(_reading(concept, self.vocab))
            if concept.note:
                notes.append(concept.note)
            constraints.append(hits)
            scored.append(True)
        for cite in parsed.citations:
            readings.append(
                Reading(
                    cite.text, "citation: " + (", ".join(cite.keys) or "none"), "author/year or DOI"
                )
            )
            constraints.append(self._citation_hits(cite))
            scored.append(True)
        words: list[dict[int, list[Match]]] = []
        for word in parsed.free:
            hits = self._free_hits(word)
            how = "phrase" if word.phrase else ("spelling corrected" if word.corrected else "word")
            readings.append(Reading(word.text, f"text: {word.word}", how))
            if not hits:
                unmatched.append(word.text)
                near = self.parser.suggestions(word.text)
                if near:
                    suggestions[word.text] = near
            words.append(hits)

        required = _required_words(len(words))
        missing = [w.text for w, hits in zip(parsed.free, words, strict=True) if not hits]
        if not constraints and not words:
            candidates: dict[int, list[Match]] = {rid: [] for rid in self.index.all_rids()}
        else:
            candidates = _combine(constraints, words, required)
        constraints += words
        scored += [True] * len(words)
        weight_total = FULL * max(1, sum(scored))
        ranked: list[tuple[float, int, list[Match]]] = []
        for rid, matches in candidates.items():
            best: dict[int, float] = {}
            for i, constraint in enumerate(constraints):
                if scored[i]:
                    best[i] = max((m.weight for m in constraint.get(rid, [])), default=0.0)
            raw = sum(best.values()) if any(scored) else FULL
            score = round(min(1.0, raw / weight_total), 3)
            ranked.append((score, rid, matches))
        if ranked:
            top = max(s for s, _, _ in ranked)
            ranked = [r for r in ranked if r[0] >= top * RELATIVE_CUTOFF]
        total = len(ranked)
        ids = self.index.ids_of([rid for _, rid, _ in ranked])
        ranked.sort(key=lambda r: (-r[0], ids[r[1]]))
        if limit is not None:
            ranked = ranked[:limit]
        texts = self.index.raw_docs([rid for _, rid, _ in ranked])
        results = [Result(texts[rid], score, _dedupe(matches)) for score, rid, matches in ranked]
        if results and missing:
            notes.append(
                f"no record mentions {', '.join(repr(m) for m in missing)}; "
                "these records mention the other words"
            )
        return Outcome(results, total, readings, parsed.ignored, notes, unmatched, suggestions)

    # --- one constraint each -------------------------------------------------------------

    def _filter_hits(
        self,
        name: str,
        value: str,
        label: str,
        kinds: Sequence[str],
        role: str | None,
        readings: list[Reading],
        notes: list[str],
    ) -> dict[int, list[Match]] | None:
        if name == "model":
            organism = " ".join(words(value))
            found = self.index.rids("organism", [organism])
            if found:
                readings.append(Reading(label, f"organism: {organism}", "exact"))
                return {rid: [Match(value, "organism", organism, "exact", 0.0)] for rid in found}
        concept = self.parser.concept_for(value, kinds)
        if concept is None:
            return None
        concept.role = role
        readings.append(_reading(concept, self.vocab, label=label))
        if concept.note:
            notes.append(concept.note)
        hits = self._concept_hits(concept, label, text=False)
        for matches in hits.values():
            for m in matches:
                m.weight = 0.0
        return hits

    def _concept_hits(
        self, concept: Concept, label: str, text: bool = True
    ) -> dict[int, list[Match]]:
        out: dict[int, list[Match]] = {}
        direction = concept.direction
        for hit in concept.hits:
            term = hit.term
            quality = _quality(hit.how, concept.how)
            names = (
                self.vocab.descendants(term.kind, term.name)
                if term.kind not in {"system", "factor_class", "topic"}
                else [term.name]
            )
            for field_name in _fields_for(term, concept.role):
                weight = FIELD_WEIGHTS[field_name] * quality
                if direction and field_name in {"factor", "target", "pathway"}:
                    changes = DECREASING if direction == "down" else INCREASING
                    keyed = [f"{n}\0{c}" for n in names for c in changes]
                    found = self.index.rids(f"{field_name}_change", keyed)
                    found = {rid: t.split("\0")[0] for rid, t in found.items()}
                else:
                    found = self.index.rids(field_name, names)
                for rid, value in found.items():
                    how = hit.how if value == term.name else f"under {term.name}"
                    w = weight if value == term.name else weight * 0.9
                    out.setdefault(rid, []).append(Match(label, field_name, value, how, w))
            if term.kind == "disease":
                self._add_text(
                    out,
                    label,
                    [concept.corrected or concept.text],
                    "context",
                    FIELD_WEIGHTS["context"] * quality,
                    columns=("context",),
                )
        for prefix in concept.prefixes:
            for rid in self.index.text(f"{prefix}*"):
                out.setdefault(rid, []).append(
                    Match(label, "text", f"{prefix}…", concept.how, FIELD_WEIGHTS["text"] * 2)
                )
        if text and not direction and concept.role is None:
            labels = [concept.corrected or concept.text]
            for hit in concept.hits:
                if hit.term.kind in {"factor", "pathway", "preconditioning"}:
                    labels.extend(hit.term.labels[:3])
            self._add_text(out, label, labels, "text", FIELD_WEIGHTS["text"])
        return out

    def _add_text(
        self,
        out: dict[int, list[Match]],
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
        for rid in self.index.text(expr):
            out.setdefault(rid, []).append(Match(label, field_name, terms[0], "text", weight))

    def _citation_hits(self, cite: CitationConcept) -> dict[int, list[Match]]:
        out: dict[int, list[Match]] = {}
        for field_name in ("citation", "source"):
            for rid, key in self.index.rids(field_name, cite.keys).items():
                out.setdefault(rid, []).append(
                    Match(cite.text, "citation", key, "author/year", FIELD_WEIGHTS["citation"])
                )
        return out

    def _free_hits(self, word: FreeWord) -> dict[int, list[Match]]:
        out: dict[int, list[Match]] = {}
        if not word.known and not word.phrase:
            return out
        source = word.word if not word.phrase else word.text.strip('"')
        if word.phrase and word.alternatives:
            source = word.word
        self._add_text(out, word.text, [source, *word.alternatives], "text", FULL)
        return out


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
        "partial name": 0.85,
        "typo": 0.9,
    }.get(how, 0.9)


def _required_words(count: int) -> int:
    """How many of a query's free words a record must mention: all of one or two, and at
    least two thirds of more (so one word no record uses does not empty a long query)."""
    return count if count <= 2 else -(-2 * count // 3)


def _combine(
    constraints: list[dict[int, list[Match]]],
    words: list[dict[int, list[Match]]],
    required: int,
) -> dict[int, list[Match]]:
    """Records meeting every constraint and at least `required` of the free words."""
    if constraints:
        candidates = _intersect(constraints)
    else:
        candidates = {}
        for hits in words:
            for rid in hits:
                candidates.setdefault(rid, [])
    if not words:
        return candidates
    out: dict[int, list[Match]] = {}
    for rid, matches in candidates.items():
        found = [hits[rid] for hits in words if rid in hits]
        if len(found) >= required:
            out[rid] = matches + [m for group in found for m in group]
    return out


def _intersect(constraints: list[dict[int, list[Match]]]) -> dict[int, list[Match]]:
    smallest = min(constraints, key=len)
    out: dict[int, list[Match]] = {}
    for rid in smallest:
        if all(rid in c for c in constraints):
            out[rid] = [m for c in constraints for m in c[rid]]
    return out


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
