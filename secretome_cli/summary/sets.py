"""Facts about a record set: its version and size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretome_cli.files.layout import Layout

if TYPE_CHECKING:
    from secretome_cli.index.store import Index


@dataclass(frozen=True)
class SetInfo:
    """The dataset version and the number of record files of a record set."""

    name: str
    version: str
    released: str
    records: int


def describe_set(root: Path) -> SetInfo:
    """Read the dataset file and count the record files (without parsing the records)."""
    import yaml

    layout = Layout(root)
    try:
        data = yaml.safe_load(layout.dataset.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    return SetInfo(
        name=str(data.get("name", "?")),
        version=str(data.get("version", "?")),
        released=str(data.get("released", "?")),
        records=len(layout.record_files()),
    )


VOCAB_KINDS = {
    "diseases": ("disease", "disease"),
    "factors": ("factor", "factor"),
    "pathways": ("pathway", "pathway"),
    "preconditioning": ("preconditioning", "preconditioning"),
    "tissues": ("tissue", "tissue"),
    "fractions": ("fraction", "fraction"),
    "factor-classes": ("factor_class", "factor_class"),
    "systems": ("system", "system"),
}
"""Vocabulary names as `secretome vocab` takes them → (vocabulary kind, index field)."""


def _fields(kind: str, field: str) -> tuple[str, ...]:
    return ("factor", "target", "drug") if kind == "factor" else (field,)


def vocabulary_summary(index: Index) -> list[dict[str, Any]]:
    """One row per vocabulary: how many terms it has and how many records use them."""
    rows = []
    for name, (kind, field) in VOCAB_KINDS.items():
        fields = _fields(kind, field)
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
    return rows


def vocabulary_terms(index: Index, name: str) -> list[dict[str, Any]]:
    """Every term of one vocabulary with its details and the number of records using it."""
    kind, field = VOCAB_KINDS[name]
    counts = dict(index.count(*_fields(kind, field)))
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
    return rows
