"""The tables one record fills in `export --format sqlite`: one row a record in `records`, one
table a repeated field (`record_diseases`, `record_factors`, ... each keyed by record and
position), the bibliography the records cite (`references`, `citations`); and the rows each
record gives."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from secretome_cli.model.document import RecordDoc, short_citation
from secretome_cli.output.sqlite_tables import POSITION, RECORD_ID, Column, Row, Table, _described

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
