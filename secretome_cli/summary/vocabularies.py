"""The vocabularies of a record set as listings (`secretome vocab`): one row per vocabulary
with how many of its terms records use, or one row per term of one vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from secretome_cli.model.fields import VOCAB_LISTINGS

if TYPE_CHECKING:
    from secretome_cli.index.store import Index

VOCABULARIES = {name: field.vocabulary or field.name for name, field in VOCAB_LISTINGS.items()}
"""Vocabulary names as `secretome vocab` takes them → the kind of their terms (which is also
the index field that holds them)."""

SUMMARY_COLUMNS = ("vocabulary", "terms", "used", "records")
"""The columns of the summary of all vocabularies."""


@dataclass(frozen=True)
class VocabTable:
    """A vocabulary listing: a title, its columns and one mapping per row."""

    title: str
    columns: Sequence[str]
    rows: list[dict[str, Any]]


def _fields(kind: str) -> tuple[str, ...]:
    return ("factor", "target", "drug") if kind == "factor" else (kind,)


def vocabulary_summary(index: Index) -> VocabTable:
    """One row per vocabulary: how many terms it has and how many records use them."""
    rows = []
    for name, kind in VOCABULARIES.items():
        fields = _fields(kind)
        counts = dict(index.count(*fields))
        terms = index.vocabulary.names(kind)
        rows.append(
            {
                "vocabulary": name,
                "terms": len(terms),
                "used": sum(1 for t in terms if counts.get(t)),
                "records": index.count_records(*fields),
            }
        )
    return VocabTable("Vocabularies", SUMMARY_COLUMNS, rows)


def vocabulary_terms(index: Index, name: str) -> VocabTable:
    """Every term of one vocabulary with its details and the number of records using it."""
    kind = VOCABULARIES[name]
    counts = dict(index.count(*_fields(kind)))
    info_key = {"disease": "category", "factor": "class", "preconditioning": "kind"}.get(kind)
    rows = []
    for term_name in index.vocabulary.names(kind):
        term = index.vocabulary.get(kind, term_name)
        assert term is not None
        row: dict[str, Any] = {"name": term.name}
        if info_key:
            row[info_key] = term.info
        row["parents"] = list(term.parents)
        row["aliases"] = [*term.abbreviations, *term.labels[1:]]
        row["records"] = counts.get(term.name, 0)
        rows.append(row)
    rows.sort(key=lambda r: (-r["records"], r["name"].casefold()))
    return VocabTable(name, list(rows[0]) if rows else ["name", "records"], rows)
