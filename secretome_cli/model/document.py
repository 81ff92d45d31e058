"""The JSON form of a record: the public contract of `--format json`, `jsonl` and `export`.

A document is the whole record with every reference resolved in place: each disease with its
category and broader diseases, each factor and target with its class, each preconditioning
stimulus with its kind, each citation (and the provenance source) as a full bibliography
entry with its DOI link. Search adds `score` and `match`. The keys are listed in
`RECORD_KEYS` and pinned by a contract test; the README documents them.
"""

# Annotations here are objects, not strings (no `from __future__ import annotations`): every
# search imports this module, and a TypedDict compiles each of its annotations that is a string.
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from secretome_cli.words.normalize import fold, words

if TYPE_CHECKING:  # the record model (pydantic) is needed only when an index is built
    from secretome_cli.model.record import Record, Reference
    from secretome_cli.model.vocab import Vocabulary

RECORD_KEYS = (
    "id",
    "schema_version",
    "revision",
    "updated",
    "claim",
    "topic",
    "diseases",
    "organs",
    "source",
    "factors",
    "targets",
    "pathways",
    "drugs",
    "outcomes",
    "mechanism",
    "model",
    "citations",
    "provenance",
    "flags",
    "notes",
    "see_also",
    "changelog",
)
"""The keys of every record document, in order."""

SEARCH_KEYS = ("score", "match", "unmatched", "related")
"""The keys search adds to each document."""

CITATION_KEYS = (
    "key",
    "type",
    "authors",
    "year",
    "title",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "identifier",
    "note",
)
"""The keys of every expanded citation."""


class CitationDoc(TypedDict):
    """A bibliography entry in a document (CITATION_KEYS)."""

    key: str
    type: str
    authors: list[str]
    year: int
    title: str
    journal: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    url: str | None
    identifier: str | None
    note: str | None


class DiseaseDoc(TypedDict):
    """A disease of a record, with its category and broader diseases."""

    name: str
    context: str | None
    category: str | None
    parents: list[str]


class PreconditioningDoc(TypedDict):
    """A preconditioning stimulus, with its kind."""

    name: str
    kind: str | None


class SourceDoc(TypedDict):
    """Where the secretome comes from."""

    tissues: list[str]
    fraction: str
    preconditioning: list[PreconditioningDoc]


MoleculeDoc = TypedDict(
    "MoleculeDoc", {"name": str, "class": str | None, "change": str, "note": str | None}
)
"""A factor or a target: its class (`factor_class` in the index) and how it changes."""


class PathwayDoc(TypedDict):
    """A pathway of a record and how it changes."""

    name: str
    change: str


class ModelDoc(TypedDict):
    """The experimental model."""

    systems: list[str]
    organisms: list[str]
    cells: list[str]
    description: str | None


class ProvenanceDoc(TypedDict):
    """Where in its source review a record comes from."""

    source: CitationDoc
    section: str | None
    table: str | None
    row: str | None
    refs: list[int]


class ChangeDoc(TypedDict):
    """One line of a record's changelog."""

    revision: int
    date: str
    change: str


class RecordDoc(TypedDict):
    """The document of a record: the JSON contract (RECORD_KEYS), every reference resolved."""

    id: str
    schema_version: int
    revision: int
    updated: str
    claim: str
    topic: str
    diseases: list[DiseaseDoc]
    organs: list[str]
    source: SourceDoc
    factors: list[MoleculeDoc]
    targets: list[MoleculeDoc]
    pathways: list[PathwayDoc]
    drugs: list[str]
    outcomes: list[str]
    mechanism: str
    model: ModelDoc
    citations: list[CitationDoc]
    provenance: ProvenanceDoc
    flags: list[str]
    notes: list[str]
    see_also: list[str]
    changelog: list[ChangeDoc]


def citation(ref: "Reference") -> CitationDoc:
    """A bibliography entry as documents show it, with a DOI link where there is a DOI."""
    return {
        "key": ref.key,
        "type": ref.type,
        "authors": list(ref.authors),
        "year": ref.year,
        "title": ref.title,
        "journal": ref.journal,
        "volume": ref.volume,
        "issue": ref.issue,
        "pages": ref.pages,
        "doi": ref.doi,
        "url": f"https://doi.org/{ref.doi}" if ref.doi else None,
        "identifier": ref.identifier,
        "note": ref.note,
    }


def build(record: "Record", vocab: "Vocabulary", refs: Mapping[str, "Reference"]) -> RecordDoc:
    """The document of a valid record (every name it uses is known to `vocab` and `refs`)."""

    def info(kind: str, name: str) -> str | None:
        term = vocab.get(kind, name)
        return term.info if term else None

    return {
        "id": record.id,
        "schema_version": record.schema_version,
        "revision": record.revision,
        "updated": record.updated.isoformat(),
        "claim": record.claim,
        "topic": record.topic,
        "diseases": [
            {
                "name": d.name,
                "context": d.context,
                "category": info("disease", d.name),
                "parents": vocab.ancestors("disease", d.name),
            }
            for d in record.diseases
        ],
        "organs": list(record.organs),
        "source": {
            "tissues": list(record.source.tissues),
            "fraction": record.source.fraction,
            "preconditioning": [
                {"name": p, "kind": info("preconditioning", p)}
                for p in record.source.preconditioning
            ],
        },
        "factors": [
            {"name": f.name, "class": info("factor", f.name), "change": f.change, "note": f.note}
            for f in record.factors
        ],
        "targets": [
            {"name": t.name, "class": info("factor", t.name), "change": t.change, "note": t.note}
            for t in record.targets
        ],
        "pathways": [{"name": p.name, "change": p.change} for p in record.pathways],
        "drugs": list(record.drugs),
        "outcomes": list(record.outcomes),
        "mechanism": record.mechanism,
        "model": {
            "systems": list(record.model.systems),
            "organisms": list(record.model.organisms),
            "cells": list(record.model.cells),
            "description": record.model.description,
        },
        "citations": [citation(refs[key]) for key in record.citations],
        "provenance": {
            "source": citation(refs[record.provenance.source]),
            "section": record.provenance.section,
            "table": record.provenance.table,
            "row": record.provenance.row,
            "refs": list(record.provenance.refs),
        },
        "flags": list(record.flags),
        "notes": list(record.notes),
        "see_also": list(record.see_also),
        "changelog": [
            {"revision": c.revision, "date": c.date.isoformat(), "change": c.change}
            for c in record.changelog
        ],
    }


def short_citation(cite: Mapping[str, Any]) -> str:
    """'Cai et al. 2021', 'Xie and Wang 2022', 'Rainsford 1999': how tables name a reference."""
    authors = [a for a in cite.get("authors") or [] if a != "et al."]
    surnames = [a.split(",")[0].strip() for a in authors]
    year = f"{cite.get('year')}{_letter(str(cite.get('key', '')))}"
    et_al = "et al." in (cite.get("authors") or [])
    if not surnames:
        title = str(cite.get("title") or cite.get("key"))
        return f"{title[:40]}{'…' if len(title) > 40 else ''} {year}"
    if len(surnames) == 1 and not et_al:
        return f"{surnames[0]} {year}"
    if len(surnames) == 2 and not et_al:
        return f"{surnames[0]} and {surnames[1]} {year}"
    return f"{surnames[0]} et al. {year}"


def _letter(key: str) -> str:
    """The disambiguating letter of a key like 'li2021a' ('a'), or ''."""
    return key[-1] if len(key) > 4 and key[-1].isalpha() and key[-5:-1].isdigit() else ""


# --- what one record contributes to the index (its `Row`: validate/record_file.py) ---------


def text_words(text: str) -> str:
    """Text as the full-text index holds it: folded, stemmed words."""
    return " ".join(words(text))


def doc_text(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The full-text columns of a document, in the order of `fields.TEXT_COLUMNS`: claim,
    mechanism, outcomes, disease context, model, and the notes (the record's and those of its
    factors and targets)."""
    model = doc["model"]
    item_notes = [i["note"] for key in ("factors", "targets") for i in doc[key] if i["note"]]
    return (
        text_words(doc["claim"]),
        text_words(doc["mechanism"]),
        text_words(" ; ".join(doc["outcomes"])),
        text_words(" ; ".join(d["context"] for d in doc["diseases"] if d["context"])),
        text_words(" ; ".join([*model["cells"], model["description"] or ""])),
        text_words(" ; ".join([*doc["notes"], *item_notes])),
    )


def surname_keys(authors: Sequence[str]) -> list[str]:
    """The folded surnames of an author list ('Kumar Muruganatham, J.' → 'kumar muruganatham')."""
    out = []
    for author in authors:
        if author == "et al.":
            continue
        surname = author.split(",")[0].strip()
        out.append(" ".join(words(surname)) or fold(surname))
    return out
