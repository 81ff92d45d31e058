"""The tables of `export --format sqlite`, described once: their columns (with the
descriptions Datasette shows), keys, the columns a join uses (indexed) and the rows each
record gives. The SQL that creates them and the Datasette metadata follow from these rows.

One row a record in `records`; one table a repeated field (`record_diseases`,
`record_factors`, ... each keyed by record and position); the bibliography the records cite
(`references`, `citations`); every vocabulary with its synonyms and hierarchy (`diseases`,
`disease_synonyms`, `disease_parents`, ...); a one-row `dataset` table. Descriptions of
fields come from the field registry (`model/fields.py`) where it has the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from secretome_cli.model.document import RecordDoc, short_citation
from secretome_cli.model.fields import BY_NAME

FTS_COLUMNS = ("claim", "mechanism", "model_description")
"""The columns of `records` that `records_fts` indexes."""

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    """One column: its name, SQL type, description and what it references, if anything."""

    name: str
    type: str
    description: str
    references: str | None = None
    """'table' or 'table(column)' (default column: the referenced table's key)."""
    not_null: bool = True


@dataclass(frozen=True)
class Table:
    """One table: columns, primary key, the columns a join uses (indexed), its description
    and the rows one record gives (`rows(doc, position)`), or none for a set-wide table."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rows: Callable[[RecordDoc, int], Iterable[Row]] | None = None
    indexed: tuple[str, ...] = ()
    label: str | None = None
    """The column Datasette shows for a row that another table references."""
    facets: tuple[Any, ...] = ()
    """The facets Datasette offers first (a column name, or {'array': column})."""

    def create(self) -> str:
        cols = [f"[{c.name}] {c.type}{' NOT NULL' if c.not_null else ''}" for c in self.columns]
        cols.append(f"PRIMARY KEY ({', '.join(f'[{k}]' for k in self.key)})")
        for c in self.columns:
            if c.references:
                target, _, column = c.references.partition("(")
                # named, not implied: Datasette expands a key only when it names its column
                column = column.rstrip(")") or _KEYS.get(target, "name")
                cols.append(f"FOREIGN KEY ([{c.name}]) REFERENCES [{target}]([{column}])")
        # A table keyed by (record, position) is its key's b-tree alone (WITHOUT ROWID):
        # one b-tree to fill a row, not two.
        rowid = "" if self.key == ("id",) or len(self.key) == 1 else " WITHOUT ROWID"
        return f"CREATE TABLE [{self.name}] (\n  " + ",\n  ".join(cols) + f"\n){rowid}"

    def insert(self) -> str:
        marks = ", ".join("?" for _ in self.columns)
        return f"INSERT OR IGNORE INTO [{self.name}] VALUES ({marks})"

    def indexes(self) -> Iterator[str]:
        for column in self.indexed:
            yield f"CREATE INDEX [idx_{self.name}_{column}] ON [{self.name}] ([{column}])"


def _described(field_name: str, fallback: str) -> str:
    """The field registry's description of a field, else `fallback`."""
    found = BY_NAME.get(field_name)
    return found.description if found else fallback


_KEYS = {"records": "id", "references": "key"}
"""The key column of a referenced table that is not a vocabulary (whose key is `name`)."""

RECORD_ID = Column("record_id", "TEXT", "The record (records.id).", "records")
POSITION = Column("position", "INTEGER", "Its place in the record's list, from 0.")


_JSON = json.JSONEncoder(ensure_ascii=False).encode
"""One encoder for every array column (`json.dumps` with options makes one per call, which
was a third of the time a record's row took)."""


def _names(items: Iterable[Any], key: str = "name") -> str:
    return _JSON([i[key] if isinstance(i, dict) else i for i in items])


def _record_row(doc: RecordDoc, position: int) -> Iterable[Row]:
    prov = doc["provenance"]
    model = doc["model"]
    yield (
        doc["id"],
        position,
        doc["claim"],
        doc["topic"],
        doc["mechanism"],
        doc["source"]["fraction"],
        model["description"],
        doc["revision"],
        doc["updated"],
        doc["schema_version"],
        prov["source"]["key"],
        prov["section"],
        prov["table"],
        prov["row"],
        _names(doc["diseases"]),
        _names(doc["factors"]),
        _JSON(sorted({f["class"] for f in doc["factors"] if f["class"]})),
        _names(doc["targets"]),
        _names(doc["pathways"]),
        _names(model["systems"]),
    )


def _list_table(
    name: str,
    column: Column,
    values: Callable[[RecordDoc], Iterable[Any]],
    description: str,
) -> Table:
    """A table of one repeated plain value per row (a tissue, a note, ...)."""

    def rows(doc: RecordDoc, _: int) -> Iterator[Row]:
        for i, value in enumerate(values(doc)):
            yield (doc["id"], i, value)

    indexed = (column.name,) if column.references else ()
    return Table(
        name, description, (RECORD_ID, POSITION, column), ("record_id", "position"), rows, indexed
    )


def _molecules(key: str) -> Callable[[RecordDoc, int], Iterator[Row]]:
    def rows(doc: RecordDoc, _: int) -> Iterator[Row]:
        for i, item in enumerate(doc[key]):  # type: ignore[literal-required]
            yield (doc["id"], i, item["name"], item["change"], item.get("note"))

    return rows


def _diseases(doc: RecordDoc, _: int) -> Iterator[Row]:
    for i, d in enumerate(doc["diseases"]):
        yield (doc["id"], i, d["name"], d["context"])


def _pathways(doc: RecordDoc, _: int) -> Iterator[Row]:
    for i, p in enumerate(doc["pathways"]):
        yield (doc["id"], i, p["name"], p["change"])


def _citations(doc: RecordDoc, _: int) -> Iterator[Row]:
    for i, c in enumerate(doc["citations"]):
        yield (doc["id"], i, c["key"])


def _changelog(doc: RecordDoc, _: int) -> Iterator[Row]:
    for i, c in enumerate(doc["changelog"]):
        yield (doc["id"], i, c["revision"], c["date"], c["change"])


def _references(doc: RecordDoc, _: int) -> Iterator[Row]:
    for cite in [*doc["citations"], doc["provenance"]["source"]]:
        yield (
            cite["key"],
            short_citation(cite),
            cite["type"],
            "; ".join(cite["authors"]),
            cite["year"],
            cite["title"],
            cite["journal"],
            cite["volume"],
            cite["issue"],
            cite["pages"],
            cite["doi"],
            cite["url"],
            cite["identifier"],
            cite["note"],
        )


def _change(what: str) -> Column:
    return Column("change", "TEXT", f"How the {what} changes (up, down, activated, ...).")


def _note() -> Column:
    return Column("note", "TEXT", "Anything the source adds about it.", not_null=False)


def _json_list(name: str, what: str) -> Column:
    return Column(
        name,
        "TEXT",
        f"{what} as a JSON array (a copy, for Datasette's array facets; the rows are in the "
        f"record_{name} table).",
    )


RECORD_TABLES: tuple[Table, ...] = (
    Table(
        "references",
        "The bibliography the exported records cite, and the reviews they were curated from.",
        (
            Column("key", "TEXT", "The bibliography key, e.g. 'cai2021'."),
            Column("label", "TEXT", "How tables name it: 'Cai et al. 2021'."),
            Column("type", "TEXT", "article, review, book, ..."),
            Column("authors", "TEXT", "The authors, 'Surname, I.', joined by '; '."),
            Column("year", "INTEGER", "Year of publication."),
            Column("title", "TEXT", "The title."),
            Column("journal", "TEXT", "The journal.", not_null=False),
            Column("volume", "TEXT", "Volume.", not_null=False),
            Column("issue", "TEXT", "Issue.", not_null=False),
            Column("pages", "TEXT", "Pages.", not_null=False),
            Column("doi", "TEXT", "The DOI, lower case.", not_null=False),
            Column("url", "TEXT", "The DOI link.", not_null=False),
            Column("identifier", "TEXT", "Another identifier (PMID, ...).", not_null=False),
            Column("note", "TEXT", "A note on the reference.", not_null=False),
        ),
        ("key",),
        _references,
        ("doi",),
        label="label",
    ),
    Table(
        "records",
        "One evidence record a row: a finding about the MSC secretome, curated from a review.",
        (
            Column("id", "TEXT", "Stable identifier (the record file's name)."),
            Column("position", "INTEGER", "Its place in the export's answer (best first), from 0."),
            Column("claim", "TEXT", "The finding in one line."),
            Column("topic", "TEXT", _described("topic", "The kind of claim."), "topics"),
            Column("mechanism", "TEXT", "How it works."),
            Column("fraction", "TEXT", _described("fraction", "The fraction."), "fractions"),
            Column(
                "model_description",
                "TEXT",
                "The experimental model in a phrase.",
                not_null=False,
            ),
            Column("revision", "INTEGER", "Grows by one with each edit of the record."),
            Column("updated", "TEXT", "Date of the latest edit (YYYY-MM-DD)."),
            Column("schema_version", "INTEGER", "Record schema version."),
            Column(
                "provenance_source",
                "TEXT",
                _described("source", "The review the record comes from."),
                "references",
            ),
            Column("provenance_section", "TEXT", "Section of the review.", not_null=False),
            Column("provenance_table", "TEXT", "Table or figure of the review.", not_null=False),
            Column("provenance_row", "TEXT", "Row of that table.", not_null=False),
            _json_list("diseases", "The diseases"),
            _json_list("factors", "The factors"),
            Column(
                "factor_classes",
                "TEXT",
                "The classes of the factors as a JSON array (a copy, for array facets).",
            ),
            _json_list("targets", "The targets"),
            _json_list("pathways", "The pathways"),
            _json_list("systems", "The model systems"),
        ),
        ("id",),
        _record_row,
        ("topic", "fraction", "provenance_source"),
        label="claim",
        facets=("topic", {"array": "diseases"}, {"array": "factor_classes"}),
    ),
    Table(
        "record_diseases",
        _described("disease", "The diseases of a record."),
        (
            RECORD_ID,
            POSITION,
            Column("disease", "TEXT", "Canonical name (diseases.name).", "diseases"),
            Column("context", "TEXT", "The disease model the source names.", not_null=False),
        ),
        ("record_id", "position"),
        _diseases,
        ("disease",),
        facets=("disease",),
    ),
    Table(
        "record_factors",
        _described("factor", "The factors of a record."),
        (
            RECORD_ID,
            POSITION,
            Column("factor", "TEXT", "Canonical name (factors.name).", "factors"),
            _change("factor"),
            _note(),
        ),
        ("record_id", "position"),
        _molecules("factors"),
        ("factor",),
        facets=("factor", "change"),
    ),
    Table(
        "record_targets",
        _described("target", "The targets of a record."),
        (
            RECORD_ID,
            POSITION,
            Column("target", "TEXT", "Canonical name (factors.name).", "factors"),
            _change("target"),
            _note(),
        ),
        ("record_id", "position"),
        _molecules("targets"),
        ("target",),
    ),
    Table(
        "record_pathways",
        _described("pathway", "The pathways of a record."),
        (
            RECORD_ID,
            POSITION,
            Column("pathway", "TEXT", "Canonical name (pathways.name).", "pathways"),
            _change("pathway"),
        ),
        ("record_id", "position"),
        _pathways,
        ("pathway",),
        facets=("pathway",),
    ),
    _list_table(
        "record_tissues",
        Column("tissue", "TEXT", "The MSC tissue (tissues.name).", "tissues"),
        lambda d: d["source"]["tissues"],
        _described("tissue", "MSC tissues."),
    ),
    _list_table(
        "record_preconditioning",
        Column(
            "stimulus",
            "TEXT",
            "The stimulus (preconditioning_stimuli.name).",
            "preconditioning_stimuli",
        ),
        lambda d: [p["name"] for p in d["source"]["preconditioning"]],
        _described("preconditioning", "Preconditioning."),
    ),
    _list_table(
        "record_drugs",
        Column("drug", "TEXT", "The drug (factors.name).", "factors"),
        lambda d: d["drugs"],
        _described("drug", "Drugs."),
    ),
    _list_table(
        "record_outcomes",
        Column("outcome", "TEXT", "An outcome as a short phrase."),
        lambda d: d["outcomes"],
        "The outcomes of a record, as short phrases.",
    ),
    _list_table(
        "record_systems",
        Column("system", "TEXT", "in vitro, in vivo or clinical (systems.name).", "systems"),
        lambda d: d["model"]["systems"],
        _described("system", "Model systems."),
    ),
    _list_table(
        "record_organisms",
        Column("organism", "TEXT", "An organism, e.g. 'mouse'."),
        lambda d: d["model"]["organisms"],
        "The organisms of a record's experimental model.",
    ),
    _list_table(
        "record_cells",
        Column("cell", "TEXT", "A cell type or line."),
        lambda d: d["model"]["cells"],
        "The cell types or lines of a record's experimental model.",
    ),
    _list_table(
        "record_flags",
        Column("flag", "TEXT", "A known problem of the source."),
        lambda d: d["flags"],
        _described("flag", "Flags."),
    ),
    _list_table(
        "record_notes",
        Column("note", "TEXT", "A curation note."),
        lambda d: d["notes"],
        "Curation notes: ambiguities, discrepancies and decisions.",
    ),
    _list_table(
        "record_see_also",
        Column("other_id", "TEXT", "The id of a related record (it may not be exported)."),
        lambda d: d["see_also"],
        "Related records.",
    ),
    _list_table(
        "record_provenance_refs",
        Column("ref_number", "INTEGER", "A numbered reference of the source review."),
        lambda d: d["provenance"]["refs"],
        "The source review's numbered references cited for the claim.",
    ),
    Table(
        "citations",
        _described("citation", "The references a record cites."),
        (
            RECORD_ID,
            POSITION,
            Column("reference_key", "TEXT", "The reference (references.key).", "references"),
        ),
        ("record_id", "position"),
        _citations,
        ("reference_key",),
    ),
    Table(
        "record_changelog",
        "The record's own edits, oldest first.",
        (
            RECORD_ID,
            POSITION,
            Column("revision", "INTEGER", "The revision this edit produced."),
            Column("date", "TEXT", "When the edit was made."),
            Column("change", "TEXT", "What changed."),
        ),
        ("record_id", "position"),
        _changelog,
    ),
)
"""The tables made from the records, in the order they are filled (a referenced table
first)."""


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
