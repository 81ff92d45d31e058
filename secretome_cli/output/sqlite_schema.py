"""The tables of `export --format sqlite`, described once: their columns (with the
descriptions Datasette shows), keys, the columns a join uses (indexed) and the rows each
record gives. The SQL that creates them and the Datasette metadata follow from these rows.

One row a record in `records`; one table a repeated field (`record_diseases`,
`record_factors`, ... each keyed by record and position); the bibliography the records cite
(`references`, `citations`); every vocabulary with its synonyms and hierarchy (`diseases`,
`disease_synonyms`, `disease_parents`, ...); a one-row `dataset` table. Descriptions of
fields come from the field registry (`model/fields.py`) where it has the field.

How a table is described is in `sqlite_tables.py`, the tables a record fills in
`sqlite_records.py`; here are the vocabularies' tables, the `dataset` table and all of them
in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from secretome_cli.model.document import RecordDoc
from secretome_cli.output.sqlite_records import RECORD_TABLES
from secretome_cli.output.sqlite_tables import Column, Table

FTS_COLUMNS = ("claim", "mechanism", "model_description")
"""The columns of `records` that `records_fts` indexes."""


@dataclass(frozen=True)
class VocabularyTables:
    """The tables of one vocabulary: its terms, their synonyms, their parents."""

    kind: str
    """The vocabulary kind (`Vocabulary.terms` key)."""
    table: str
    singular: str
    what: str
    info: Column | None = None
    """The column holding the term's category, class or kind, if it has one."""

    def tables(self) -> tuple[Table, Table, Table]:
        term = Column(self.singular, "TEXT", f"The {self.what} ({self.table}.name).", self.table)
        terms = Table(
            self.table,
            f"The {self.what} vocabulary: canonical names"
            + (f" with their {self.info.name}." if self.info else "."),
            (
                Column("name", "TEXT", "Canonical name."),
                *((self.info,) if self.info else ()),
            ),
            ("name",),
            indexed=(self.info.name,) if self.info and self.info.references else (),
            label="name",
        )
        synonyms = Table(
            f"{self.singular}_synonyms",
            f"Other names of each {self.what}: synonyms, aliases and abbreviations.",
            (
                term,
                Column("synonym", "TEXT", "Another name."),
                Column("how", "TEXT", "'synonym' or 'abbreviation'."),
            ),
            (self.singular, "synonym"),
            indexed=("synonym",),
        )
        parents = Table(
            f"{self.singular}_parents",
            f"The hierarchy of the {self.what} vocabulary: each term's broader terms.",
            (
                term,
                Column("parent", "TEXT", f"A broader {self.what} ({self.table}.name).", self.table),
            ),
            (self.singular, "parent"),
            indexed=("parent",),
        )
        return terms, synonyms, parents


VOCABULARIES: tuple[VocabularyTables, ...] = (
    VocabularyTables("factor_class", "factor_classes", "factor_class", "factor class"),
    VocabularyTables("topic", "topics", "topic", "topic"),
    VocabularyTables("fraction", "fractions", "fraction", "secretome fraction"),
    VocabularyTables("tissue", "tissues", "tissue", "MSC tissue"),
    VocabularyTables("system", "systems", "system", "model system"),
    VocabularyTables(
        "disease",
        "diseases",
        "disease",
        "disease",
        Column("category", "TEXT", "The disease category.", not_null=False),
    ),
    VocabularyTables(
        "factor",
        "factors",
        "factor",
        "factor and molecule",
        Column("class", "TEXT", "The class of the molecule.", "factor_classes", not_null=False),
    ),
    VocabularyTables("pathway", "pathways", "pathway", "pathway"),
    VocabularyTables(
        "preconditioning",
        "preconditioning_stimuli",
        "preconditioning",
        "preconditioning stimulus",
        Column("kind", "TEXT", "The kind of stimulus.", not_null=False),
    ),
)
"""The vocabularies a record's fields name, in the order they are filled."""

DATASET = Table(
    "dataset",
    "The record set this database was exported from, and how it was selected.",
    (
        Column("name", "TEXT", "The record set's name."),
        Column("version", "TEXT", "Its version."),
        Column("released", "TEXT", "Its release date."),
        Column("description", "TEXT", "What it holds."),
        Column("licence", "TEXT", "The licence of the records."),
        Column("source", "TEXT", "The reviews the records were curated from."),
        Column("records", "INTEGER", "How many records this database holds."),
        Column("asked", "TEXT", "The question and filters the records answer."),
        Column("exported", "TEXT", "When this database was made (UTC)."),
        Column("tool", "TEXT", "The secretome version that made it."),
    ),
    ("name",),
)


def all_tables() -> list[Table]:
    """Every table, in the order they are created and filled."""
    vocab = [t for v in VOCABULARIES for t in v.tables()]
    return [*vocab, *RECORD_TABLES, DATASET]


def sources(docs: Sequence[RecordDoc]) -> list[dict[str, Any]]:
    """The reviews the records were curated from, each once, in order of first use."""
    seen: dict[str, dict[str, Any]] = {}
    for doc in docs:
        cite = doc["provenance"]["source"]
        seen.setdefault(cite["key"], dict(cite))
    return list(seen.values())
