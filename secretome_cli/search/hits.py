"""The records each part of a question matches, kind by kind: a term in its fields (and its
narrower, broader and related terms), an organ's diseases, a process in the text, mentions
in the text, a citation, a free word in its forms. `Searcher` holds them as a mixin."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from secretome_cli.index.store import Index
from secretome_cli.model.controlled import DECREASING, GENERAL_TISSUE, INCREASING
from secretome_cli.model.fields import BY_NAME, TEXT_COLUMNS, TEXT_WEIGHTS
from secretome_cli.model.vocab import Hit, Term, Vocabulary
from secretome_cli.search.concepts import CitationConcept, Concept, FreeWord
from secretome_cli.search.outcome import (
    Reading,
)
from secretome_cli.search.parse import Parser
from secretome_cli.search.parts import (
    Group,
    Groups,
    _add,
)
from secretome_cli.search.tuning import (
    HOW_QUALITY,
    KIND_WEIGHT,
    MIN_STRENGTH,
    OTHER_HOW_QUALITY,
    QUALITY,
    WORD_FORM,
)
from secretome_cli.words.normalize import words

BROADER_KINDS = {"tissue": "broader", "fraction": "broader", "disease": "broader disease"}
"""Kinds whose broader terms also answer, more weakly ('exosomes' finds records tagged
'extracellular vesicles')."""


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


class Hits:
    """Finding the records one part of a question (or one filter value) matches; mixed into
    `rank.Searcher`, which holds the index, its vocabulary and the parser."""

    index: Index
    vocab: Vocabulary
    parser: Parser
    _labels: list[tuple[str, Term, tuple[str, ...]]] | None

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
        wanted = [found[0] for found in map(words, labels) if len(found) == 1]
        if not wanted:
            return []
        return [
            longer
            for longer, term, longer_words in self._longer_labels()
            if term not in terms and any(w in longer_words for w in wanted)
        ]

    def _longer_labels(self) -> list[tuple[str, Term, tuple[str, ...]]]:
        """Every label of more than one word of the kinds a word may have another sense in,
        with its term and words (made once a search)."""
        if self._labels is None:
            found = (
                (label, term, words(label))
                for label, term in self.vocab.labels_of(SENSE_KINDS).items()
            )
            self._labels = [entry for entry in found if len(entry[2]) > 1]
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
