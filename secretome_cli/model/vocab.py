"""The vocabularies at run time: every term with its labels, parents and children.

A `Vocabulary` is built from plain data (the vocabulary files as dictionaries, or the copy
kept in the search index), so search can use it without importing the record model. It holds
the open vocabularies of `records/vocab/` and the closed ones of `controlled.py`, and answers
"which terms does this text name?" by the normalised keys of `normalize.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from secretome_cli.model import controlled
from secretome_cli.words.normalize import MirnaName, key, mirna


@dataclass(frozen=True)
class Term:
    """One vocabulary term."""

    kind: str
    name: str
    labels: tuple[str, ...]
    """The canonical name first, then synonyms and aliases."""
    abbreviations: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    info: str | None = None
    """The disease category, factor class or preconditioning kind."""
    related: tuple[str, ...] = ()
    """Terms of the same kind that a question about this one also asks about, more weakly."""

    def __hash__(self) -> int:
        # A vocabulary holds one term of each kind and name, so these two are enough to hash
        # (search puts terms in sets), and cheaper than every label; equal terms hash equal.
        return hash((self.kind, self.name))

    @property
    def mirna(self) -> MirnaName | None:
        """The parsed miRNA name, for factors that are miRNAs."""
        return mirna(self.name) if self.kind == "factor" else None


@dataclass(frozen=True)
class Hit:
    """A term that a piece of text names, and how: by which label, exactly or not."""

    term: Term
    label: str
    how: str
    """'name', 'synonym', 'abbreviation', 'miRNA family' or 'miRNA arm'."""


@dataclass(eq=False, repr=False)  # one per index, never compared or printed
class Vocabulary:
    """All terms, indexed by kind and name and by the normalised key of every label."""

    terms: dict[str, dict[str, Term]] = field(default_factory=lambda: defaultdict(dict))
    by_key: dict[str, list[tuple[Term, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    children: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    mirnas: list[tuple[MirnaName, Term]] = field(default_factory=list)
    organ_diseases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Organ → the diseases of the disease vocabulary that affect it."""
    known: dict[str, tuple[str, MirnaName | None]] = field(default_factory=dict)
    """Normalised key and miRNA reading of labels, computed once when an index is built."""

    @classmethod
    def from_data(
        cls,
        data: Mapping[str, Sequence[Mapping[str, Any]]],
        known: Mapping[str, Sequence[Any]] | None = None,
    ) -> Vocabulary:
        """Build from the vocabulary lists, keyed by kind ('disease', 'factor', ...); `known`
        is `normalised()` of an earlier build, which saves normalising every label again."""
        vocab = cls()
        for label, (label_key, parsed) in (known or {}).items():
            vocab.known[label] = (label_key, MirnaName(*parsed) if parsed else None)
        for entry in data.get("disease", ()):
            vocab.add(
                Term(
                    "disease",
                    entry["name"],
                    _labels(entry["name"], entry.get("synonyms", ())),
                    tuple(entry.get("abbreviations", ())),
                    tuple(entry.get("parents", ())),
                    entry.get("category"),
                )
            )
            for organ in entry.get("organs", ()):
                vocab.organ_diseases[organ].append(entry["name"])
        for entry in data.get("factor", ()):
            vocab.add(
                Term(
                    "factor",
                    entry["name"],
                    _labels(entry["name"], entry.get("aliases", ())),
                    (),
                    tuple(entry.get("parents", ())),
                    entry.get("class"),
                )
            )
        for entry in data.get("pathway", ()):
            vocab.add(
                Term(
                    "pathway",
                    entry["name"],
                    _labels(entry["name"], entry.get("aliases", ())),
                    (),
                    tuple(entry.get("parents", ())),
                )
            )
        for entry in data.get("preconditioning", ()):
            vocab.add(
                Term(
                    "preconditioning",
                    entry["name"],
                    _labels(entry["name"], entry.get("aliases", ())),
                    (),
                    (),
                    entry.get("kind"),
                )
            )
        for entry in data.get("process", ()):
            labels = _labels(entry["name"], entry.get("aliases", ()))
            related = tuple(entry.get("related", ()))
            vocab.add(Term("process", entry["name"], labels, related=related))
        vocab._add_controlled()
        return vocab

    def _add_controlled(self) -> None:
        closed: list[tuple[str, dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = [
            ("tissue", controlled.TISSUE_ALIASES, controlled.TISSUE_PARENTS),
            ("fraction", controlled.FRACTION_ALIASES, controlled.FRACTION_PARENTS),
            ("system", controlled.SYSTEM_ALIASES, {}),
            ("factor_class", controlled.FACTOR_CLASS_ALIASES, {}),
            ("topic", controlled.TOPIC_ALIASES, {}),
            ("organ", controlled.ORGAN_ALIASES, {}),
        ]
        for kind, aliases, parents in closed:
            for name, words in aliases.items():
                abbreviations = tuple(w for w in words if _is_abbreviation(w))
                others = tuple(w for w in words if w not in abbreviations)
                self.add(
                    Term(kind, name, _labels(name, others), abbreviations, parents.get(name, ()))
                )

    def _normalised(self, label: str) -> tuple[str, MirnaName | None]:
        found = self.known.get(label)
        if found is None:
            found = self.known[label] = (key(label), mirna(label))
        return found

    def normalised(self) -> dict[str, tuple[str, tuple[str, str, str] | None]]:
        """Every label's normalised key and miRNA reading, to keep beside the data."""
        return {
            label: (label_key, (parsed.stem, parsed.member, parsed.arm) if parsed else None)
            for label, (label_key, parsed) in self.known.items()
        }

    def add(self, term: Term) -> None:
        """Add one term and index its labels."""
        self.terms[term.kind][term.name] = term
        for label in term.labels:
            how = "name" if label == term.name else "synonym"
            self.by_key[self._normalised(label)[0]].append((term, label, how))
        for label in term.abbreviations:
            self.by_key[self._normalised(label)[0]].append((term, label, "abbreviation"))
        for parent in term.parents:
            self.children[(term.kind, parent)].append(term.name)
        if term.kind != "factor":
            return
        parsed = self._normalised(term.name)[1]
        if parsed is not None:
            self.mirnas.append((parsed, term))
        for label in term.labels[1:]:
            alias_mir = self._normalised(label)[1]
            if alias_mir is not None and alias_mir != parsed:
                self.mirnas.append((alias_mir, term))

    def get(self, kind: str, name: str) -> Term | None:
        """The term of `kind` with canonical `name`."""
        return self.terms.get(kind, {}).get(name)

    def names(self, kind: str) -> list[str]:
        """Every canonical name of `kind`, sorted."""
        return sorted(self.terms.get(kind, {}))

    def lookup(self, text: str, kinds: Iterable[str] | None = None) -> list[Hit]:
        """The terms `text` names exactly (after normalisation), of the given kinds.

        A miRNA name also finds its arms and family members: "miR-146a" finds miR-146a-5p,
        "let-7" finds let-7a-5p; an arm-specific name finds only its arm.
        """
        wanted = set(kinds) if kinds is not None else None
        hits: dict[tuple[str, str], Hit] = {}
        for term, label, how in self.by_key.get(key(text), ()):
            if wanted is None or term.kind in wanted:
                hits.setdefault((term.kind, term.name), Hit(term, label, how))
        query_mir = mirna(text)
        if query_mir is not None and (wanted is None or "factor" in wanted):
            for parsed, term in self.mirnas:
                relation = query_mir.relation(parsed)
                if (term.kind, term.name) in hits or relation is None:
                    continue
                hits[(term.kind, term.name)] = Hit(term, term.name, relation)
        return list(hits.values())

    def descendants(self, kind: str, name: str) -> list[str]:
        """`name` and every term under it, nearest first."""
        seen = [name]
        i = 0
        while i < len(seen):
            for child in self.children.get((kind, seen[i]), ()):
                if child not in seen:
                    seen.append(child)
            i += 1
        return seen

    def ancestors(self, kind: str, name: str) -> list[str]:
        """Every term above `name`, nearest first."""
        found: list[str] = []
        todo = [name]
        while todo:
            term = self.get(kind, todo.pop(0))
            for parent in term.parents if term else ():
                if parent not in found and parent != name:
                    found.append(parent)
                    todo.append(parent)
        return found

    def labels_of(self, kinds: Iterable[str]) -> dict[str, Term]:
        """Every label and abbreviation of the given kinds, mapped to its term (for fuzzy
        matching); abbreviations shorter than four letters are left out."""
        wanted = set(kinds)
        out: dict[str, Term] = {}
        for kind in wanted:
            for term in self.terms.get(kind, {}).values():
                for label in term.labels:
                    out.setdefault(label, term)
                for label in term.abbreviations:
                    if len(label) >= 4:
                        out.setdefault(label, term)
        return out


def _labels(name: str, others: Iterable[str]) -> tuple[str, ...]:
    return (name, *(o for o in others if o != name))


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and len(word) <= 6 and sum(c.isupper() for c in letters) >= 2
