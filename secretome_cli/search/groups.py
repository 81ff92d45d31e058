"""The direct answer to "which …": the entities of one kind among an answer's records.

"which miRNAs act on colitis" asks for miRNAs: the answer's records hold them as factors of
class miRNA. Each entity is listed once, with the directions the records give it, how many
records name it, and the first record's citation. `--group-by KIND` gives the same grouping
for any question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from secretome_cli.words.lexicon import entry
from secretome_cli.words.normalize import words

KINDS: dict[str, tuple[str, str | None]] = {
    "factor": ("factors", None),
    "mirna": ("factors", "miRNA"),
    "cytokine": ("factors", "cytokine"),
    "chemokine": ("factors", "chemokine"),
    "growth-factor": ("factors", "growth factor"),
    "neurotrophic-factor": ("factors", "neurotrophic factor"),
    "target": ("targets", None),
    "pathway": ("pathways", None),
    "disease": ("diseases", None),
    "model": ("model", None),
}
"""What `--group-by` takes: each kind, the record list that holds it and the factor class it
is limited to."""

TITLES = {
    "factor": "factors",
    "mirna": "miRNAs",
    "cytokine": "cytokines",
    "chemokine": "chemokines",
    "growth-factor": "growth factors",
    "neurotrophic-factor": "neurotrophic factors",
    "target": "targets",
    "pathway": "pathways",
    "disease": "diseases",
    "model": "models",
}
"""How an answer names the entities of each kind."""

_ASKED = {
    **{entry(w): "mirna" for w in ("miRNA", "miRNAs", "microRNA", "microRNAs")},
    **{entry(w): "cytokine" for w in ("cytokine", "cytokines")},
    **{entry(w): "chemokine" for w in ("chemokine", "chemokines")},
    **{entry(w): "factor" for w in ("factor", "factors", "molecule", "molecules")},
    **{entry(w): "target" for w in ("target", "targets", "gene", "genes")},
    **{entry(w): "pathway" for w in ("pathway", "pathways")},
    **{entry(w): "disease" for w in ("disease", "diseases", "condition", "conditions")},
    **{entry(w): "model" for w in ("model", "models", "animal", "animals")},
}
"""Words after 'which' or 'what' naming the kind asked for."""

_COMPOUND = {
    ("growth", "factor"): "growth-factor",
    ("neurotrophic", "factor"): "neurotrophic-factor",
}

_QUESTION = frozenset({entry("which"), entry("what")})
_VERBS_AFTER_WHAT = frozenset({"target"})
"""Kinds whose word after 'what' is a verb ('what targets SOX4'), not the kind asked for."""


@dataclass
class Entity:
    """One entity of the kind asked for, as the answer's records give it."""

    kind: str
    name: str
    changes: list[str] = field(default_factory=list)
    """The directions the records give it ('up', 'down' …), each once, in record order."""
    records: list[str] = field(default_factory=list)
    """The ids of the records naming it, in answer order."""
    citation: str = ""
    """The first record's first citation ('Liu et al. 2023')."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "changes": self.changes,
            "records": self.records,
            "citation": self.citation,
        }


def asked_kind(query: str | None) -> str | None:
    """The kind a 'which …' or 'what …' question asks for ('which miRNAs act on colitis' →
    'mirna'), or None."""
    found = [entry(w) for w in words(query or "")]
    for i, word in enumerate(found[:-1]):
        if word not in _QUESTION:
            continue
        following = found[i + 1 : i + 4]
        for pair, compound in _COMPOUND.items():
            if tuple(following[:2]) == tuple(entry(w) for w in pair):
                return compound
        for word_after in following[:2]:
            asked = _ASKED.get(word_after)
            if asked and not (word == entry("what") and asked in _VERBS_AFTER_WHAT):
                return asked
    return None


def group(docs: Iterable[Mapping[str, Any]], kind: str) -> list[Entity]:
    """The entities of `kind` in `docs` (in the order the docs give them), each once."""
    from secretome_cli.model.document import short_citation

    where, factor_class = KINDS[kind]
    found: dict[str, Entity] = {}
    for doc in docs:
        for name, change in _items(doc, where, factor_class):
            item = found.get(name)
            if item is None:
                cites = doc.get("citations") or []
                citation = short_citation(cites[0]) if cites else ""
                item = found[name] = Entity(kind, name, citation=citation)
            if change and change not in item.changes:
                item.changes.append(change)
            if doc["id"] not in item.records:
                item.records.append(doc["id"])
    return list(found.values())


def _items(
    doc: Mapping[str, Any], where: str, factor_class: str | None
) -> Sequence[tuple[str, str]]:
    if where == "model":
        return [(organism, "") for organism in doc["model"]["organisms"]]
    if where == "diseases":
        return [(d["name"], "") for d in doc["diseases"]]
    return [
        (item["name"], item.get("change") or "")
        for item in doc[where]
        if factor_class is None or item.get("class") == factor_class
    ]
