"""The field registry: every searchable, filterable or countable field of a record, described
once.

A row says where the field's values sit in a record document, which vocabulary names them,
how much a match through it counts in search, and under which name it is a filter, a facet of
`stats` and `matrix`, or a vocabulary of `secretome vocab`. The index terms of a document
(`document.doc_terms`), the search fields and their weights (`search.rank`), the filters, the
facets and the vocabulary listings are all generated from `FIELDS`; adding a field means the
record model, one row here, and tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from secretome_cli.words.normalize import words

Doc = Mapping[str, Any]
"""A record document (see `document.build`)."""


# The rows of the registry are each one of a kind, compared by identity and never printed:
# they have no generated `==`, hash or repr, which every command would otherwise compile at
# start-up (a dataclass compiles its methods when it is defined).


@dataclass(frozen=True, eq=False, repr=False)
class Facet:
    """How `stats` and `matrix` count a field."""

    name: str
    """The facet name the commands take."""
    label: str
    """How tables name it."""
    crossed: bool = True
    """Whether `matrix` can cross it with another facet."""


@dataclass(frozen=True, eq=False, repr=False)
class Field:
    """One field of a record document."""

    name: str
    """The index field name, as terms are stored and `match` reports it by `path`."""
    path: str
    """Where the values are in a document, as search's `match` reports it: keys joined by
    dots, through lists ('factors.class'); an object found there stands for its `name` (a
    citation: its `key`)."""
    description: str
    """One line for a reader."""
    vocabulary: str | None = None
    """The vocabulary kind that names the values (`Vocabulary.terms` key), if any."""
    weight: float = 1.0
    """How much a question part matched through this field counts in search: the names of
    a disease, factor, target or pathway are the most specific; a tissue or fraction, which
    most records share, the least."""
    changes: bool = False
    """Values carry a change (up, down, inhibited, …) that a question's direction asks for."""
    filter: str | None = None
    """The filter name (the CLI offers it as `--NAME`, underscores as hyphens), if the field is
    a filter."""
    filter_help: str = ""
    """The filter's help text."""
    filter_short: str | None = None
    """The filter's one-letter option, if it has one."""
    facet: Facet | None = None
    """The facet of `stats` and `matrix`, if the field is counted."""
    vocab_listing: str | None = None
    """The name `secretome vocab` lists its vocabulary under, if any."""
    folded: bool = False
    """Values are stored as their folded words ('Mus musculus' → 'mus musculus')."""

    def values(self, doc: Doc) -> list[str]:
        """The field's values in one document."""
        found: list[Any] = [doc]
        for key in self.path.split("."):
            step: list[Any] = []
            for item in found:
                value = item[key]
                step.extend(value if isinstance(value, list) else [value])
            found = step
        out = [v.get("name") or v["key"] if isinstance(v, dict) else v for v in found]
        if self.folded:
            out = [" ".join(words(v)) for v in out]
        return [v for v in out if v]


FIELDS: tuple[Field, ...] = (
    Field(
        "disease",
        "diseases",
        "the diseases or conditions a finding concerns",
        vocabulary="disease",
        weight=3.0,
        filter="disease",
        filter_help="Disease or condition (includes its sub-diseases); repeat for any of several.",
        filter_short="-d",
        facet=Facet("disease", "disease"),
        vocab_listing="diseases",
    ),
    Field(
        "organ",
        "organs",
        "the organs or systems the passage of a record with no disease names",
        vocabulary="organ",
        weight=2.5,
    ),
    Field(
        "factor",
        "factors",
        "the secreted factors that act",
        vocabulary="factor",
        weight=3.0,
        changes=True,
        filter="factor",
        filter_help="Secreted factor, e.g. miR-146a, TGF-β.",
        vocab_listing="factors",
    ),
    Field(
        "factor_class",
        "factors.class",
        "the classes of the factors (miRNA, cytokine, …)",
        vocabulary="factor_class",
        weight=1.5,
        filter="factor_class",
        filter_help="Factor class: miRNA, cytokine, chemokine, growth factor, ...",
        facet=Facet("factor-class", "factor class"),
        vocab_listing="factor-classes",
    ),
    Field(
        "pathway",
        "pathways",
        "the signalling pathways involved",
        vocabulary="pathway",
        weight=3.0,
        changes=True,
        filter="pathway",
        filter_help="Signalling pathway, e.g. NF-κB, PI3K/AKT.",
        facet=Facet("pathway", "pathway"),
        vocab_listing="pathways",
    ),
    Field(
        "target",
        "targets",
        "the molecules the factors act on",
        vocabulary="factor",
        weight=3.0,
        changes=True,
        filter="target",
        filter_help="Molecular target, e.g. SOX4.",
    ),
    Field(
        "drug",
        "drugs",
        "drugs the finding combines with or concerns",
        vocabulary="factor",
        weight=2.5,
    ),
    Field(
        "preconditioning",
        "source.preconditioning",
        "how the MSCs were preconditioned",
        vocabulary="preconditioning",
        weight=2.5,
        vocab_listing="preconditioning",
    ),
    Field(
        "tissue",
        "source.tissues",
        "the MSC tissue of origin",
        vocabulary="tissue",
        weight=1.0,
        filter="tissue",
        filter_help="MSC tissue: umbilical cord, Wharton's jelly, cord blood, placenta, ...",
        facet=Facet("tissue", "MSC tissue"),
        vocab_listing="tissues",
    ),
    Field(
        "fraction",
        "source.fraction",
        "the part of the secretome that acted",
        vocabulary="fraction",
        weight=1.2,
        facet=Facet("fraction", "secretome fraction"),
        vocab_listing="fractions",
    ),
    Field(
        "system",
        "model.systems",
        "the kind of model system",
        vocabulary="system",
        weight=1.2,
        filter="model",
        filter_help="Model system (in vitro, in vivo, clinical) or organism (mouse, rat).",
        facet=Facet("system", "model system", crossed=False),
        vocab_listing="systems",
    ),
    Field(
        "organism",
        "model.organisms",
        "the species of the model (folded words)",
        folded=True,
        weight=1.5,
    ),
    Field(
        "topic",
        "topic",
        "what kind of claim the record makes",
        vocabulary="topic",
        weight=1.2,
        facet=Facet("topic", "topic"),
    ),
    Field("flag", "flags", "known problems of the source, and pro-tumour findings"),
    Field(
        "citation",
        "citations",
        "the bibliography keys a record cites",
        weight=3.0,
    ),
    Field(
        "source",
        "provenance.source",
        "the review a record was curated from",
        weight=3.0,
    ),
)
"""Every field, in the order tables list them."""

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
"""Fields by index field name."""

FILTERS: dict[str, Field] = {f.filter: f for f in FIELDS if f.filter}
"""Fields by filter name, in the order commands list them."""

CROSSED: tuple[str, ...] = tuple(f.facet.name for f in FIELDS if f.facet and f.facet.crossed)
"""The facets `secretome matrix` crosses."""

FACETS: dict[str, Field] = {f.facet.name: f for f in FIELDS if f.facet}
"""Fields by facet name (`stats` counts each, `matrix` crosses those marked `crossed`)."""

VOCAB_LISTINGS: dict[str, Field] = {f.vocab_listing: f for f in FIELDS if f.vocab_listing}
"""Fields by the vocabulary name `secretome vocab` takes."""

TEXT_COLUMNS: tuple[str, ...] = ("claim", "mechanism", "outcomes", "context", "model", "notes")
"""The full-text columns of a document, in index order (see `document.doc_text`)."""

TEXT_WEIGHTS: dict[str, float] = {
    "claim": 1.0,
    "mechanism": 1.0,
    "outcomes": 0.9,
    "context": 0.9,
    "model": 0.7,
    "notes": 0.35,
}
"""How much a mention in each full-text column counts, as a share of a structured match;
notes (curators' remarks, source problems) count least."""


def doc_terms(doc: Doc) -> Iterator[tuple[str, str]]:
    """The structured (field, term) pairs of a document, as the index stores them: every
    field's values, and `NAME_change` pairs ('name\\0change') for fields with changes."""
    for f in FIELDS:
        for value in f.values(doc):
            yield f.name, value
        if f.changes:
            for item in doc[f.path]:
                yield f"{f.name}_change", f"{item['name']}\0{item['change']}"
