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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from secretome_cli.index.store import Index
from secretome_cli.model.fields import BY_NAME, FILTERS
from secretome_cli.model.vocab import Term
from secretome_cli.search import answer
from secretome_cli.search.concepts import Concept, ParsedQuery
from secretome_cli.search.hits import _ONE_READING, Hits, _kind_weight, _reading
from secretome_cli.search.outcome import (
    ALL,
    ANSWER,
    BROAD,
    QueryError,
    Reading,
    Result,
    UnknownValue,
)
from secretome_cli.search.outcome import Outcome as Outcome  # `cli/app.py` imports it from here
from secretome_cli.search.parse import Parser
from secretome_cli.search.parts import (
    Groups,
    Part,
    _every_part,
    _merge_same_text,
    _scores,
    _why,
    everyday,
    rarity,
)
from secretome_cli.search.subject import Absence, concept_subject, word_subject
from secretome_cli.search.tuning import (
    CATEGORY_SIZE,
    COVERAGE_FLOOR,
    FOCUS_SHARE,
    KIND_WEIGHT,
    MIN_COVERAGE,
    NEAREST_CUTOFF,
    RELATIVE_CUTOFF,
    SPECIFIC_SHARE,
    SPECIFIC_ZIPF,
    STRONG,
    WEAK_SHARE,
    WORD_WEIGHT,
)
from secretome_cli.words.lexicon import is_generic


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
    absent: list[str] = field(default_factory=list)
    """The subject parts no record holds, by their text ('renal + carcinoma': a pair)."""
    rest: int = 0
    related: set[int] = field(default_factory=set)
    left_out: int = 0


class Searcher(Hits):
    """Runs searches against one index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.vocab = index.vocabulary
        self.parser = Parser(self.vocab, index)
        self._labels: list[tuple[str, Term, tuple[str, ...]]] | None = None

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
            absent=chosen.absent,
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
                near = free.modifies and self.parser.near_disease_word(free.word) is not None
                absence = Absence(free.cue, free.before_head, named, free.modifies, near)
                part.subject, part.why = word_subject(free.text, free.condition, part.weak, absence)
            for reading in part.readings:
                reading.weight, reading.subject, reading.why = part.weight, part.subject, part.why

    def _specific_words(self, parts: list[Part], total_records: int) -> None:
        """Words of the question that few records use and that are rare in general English
        ('neuroinflammation') name its subject as a vocabulary term would; an ordinary word
        that few records happen to use ('release', 'control') does not."""
        for part in parts:
            if part.free is None or not part.best or part.subject or part.weak:
                continue
            strong = sum(q >= STRONG for q in part.best.values()) or len(part.best)
            if strong > SPECIFIC_SHARE * max(1, total_records):
                continue
            from secretome_cli.words.english import common_zipf

            forms = [*part.free.word.split(), *part.free.text.lower().split()]  # 'switches'
            common = max(common_zipf(w) for w in forms)
            if common >= SPECIFIC_ZIPF:
                part.why = (
                    f"an ordinary English word (Zipf {common:.1f}), though only {strong} of "
                    f"{total_records} records use it"
                )
                continue
            part.subject = True
            part.why = f"a specific word: {strong} of {total_records} records use it"

    def _report_unmatched(self, parts: list[Part], said: _Said) -> None:
        for part in parts:
            if part.best:
                continue
            if part.text not in said.unmatched:
                said.unmatched.append(part.text)
            near = self.parser.suggestions(part.text)
            close = self.parser.near_disease_word(part.free.word) if part.free else None
            if not near and close is not None:  # 'prostrate' (cancer): 'prostate'
                near = [close]
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
        apart = answer.apart(ranked, matched, alternatives=said.alternatives)
        if apart:
            return self._apart(apart, ranked, breadth, said)
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
        texts = [p.text for p in absent]
        rest_parts = [p for p in parts if p not in absent]
        rest = self._rank(rest_parts, matched, universe) if matched else []
        fallback = self._organ_fallback(absent, rest_parts, universe)
        if breadth == BROAD:
            said.notes.append(f"no record mentions {names}; showing what the rest matches")
            return _Chosen(rest, texts, len(rest), related={rid for _, rid in rest})
        if fallback is not None:
            organ, ranked = fallback
            said.notes.append(
                f"no record names {absent[0].text}; showing {organ} records (related)"
            )
            return _Chosen(ranked, texts, len(rest), related={rid for _, rid in ranked})
        if rest:
            said.notes.append(
                f"no record mentions {names}; {len(rest)} record{'s' * (len(rest) != 1)} match "
                "the rest of the question; add --broad to see them"
            )
        else:
            said.notes.append(f"no record mentions {names}")
        return _Chosen([], texts, len(rest))

    def _apart(
        self,
        apart: Sequence[answer.Part],
        ranked: list[tuple[float, int]],
        breadth: str,
        said: _Said,
    ) -> _Chosen:
        """The answer when the organ and the class of diseases a question names never meet in
        one record ('renal cell carcinoma'): empty, or (--broad) the records of either,
        related."""
        names = " and ".join(repr(p.text) for p in apart)
        together = " + ".join(p.text for p in apart)
        related = {rid for _, rid in ranked}
        if breadth == BROAD:
            said.notes.append(f"no record is about {names} together; showing records of either")
            return _Chosen(ranked, [together], len(ranked), related=related)
        said.notes.append(
            f"no record is about {names} together; {len(ranked)} record"
            f"{'s' * (len(ranked) != 1)} match one of them; add --broad to see them"
        )
        return _Chosen([], [together], len(ranked))

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
        whole = sum(p.weight for p in parts if p.best or not everyday(p))
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
        part.readings, part.kinds, part.span = [reading], frozenset(kinds), concept.span
        diseases = [h.term for h in concept.hits if h.term.kind == "disease"]
        part.category = len(diseases) > CATEGORY_SIZE or any(
            len(self.vocab.descendants(t.kind, t.name)) > CATEGORY_SIZE for t in diseases
        )
        part.drug = all(h.term.kind == "factor" and h.term.info == "drug" for h in concept.hits)
        weights = {h.term.kind: _kind_weight(h.term, concept.role) for h in concept.hits}
        if len(weights) > 1 and not set(weights) <= _ONE_READING:  # "UC": each reading
            part.scale = min(weights.values()) / max(weights.values())
        return part
