"""`export --format sqlite`: the selected records as a normalised SQLite database, made to be
opened as it is by Datasette, sqlite-utils, DuckDB's sqlite reader and pandas.

One row a record in `records`; one table a repeated field (`record_diseases`,
`record_factors`, ... each keyed by record and position); the bibliography the records cite
(`references`, `citations`); every vocabulary with its synonyms and hierarchy (`diseases`,
`disease_synonyms`, `disease_parents`, ...); a one-row `dataset` table. Keys are declared
(primary and foreign), every column a join uses is indexed, `records_fts` is an FTS5 table
over the records' text laid out as sqlite-utils' `enable-fts` lays it out (external content,
`content=[records]`), which is what Datasette looks for to show its search box, and the views
(`VIEWS_SQL`) are the queries a researcher writes first. The schema's descriptions go into a
Datasette metadata file beside the database (`metadata`).

The tables are described once, in `TABLES`: their columns, keys, indexes and descriptions,
and the function that gives a record's rows; the SQL and the metadata follow from them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TextIO

from secretome_cli.model.document import RecordDoc, short_citation
from secretome_cli.model.fields import BY_NAME
from secretome_cli.output.saving import FileFormat, Output, SaveError, no_stream
from secretome_cli.summary.bundle import Bundle

APPLICATION_ID = 0x53435245
"""`PRAGMA application_id` of an export ('SCRE'): how a later export knows the file is one."""

SCHEMA_VERSION = 1
"""`PRAGMA user_version` of an export: grows when the tables change incompatibly."""

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
        return f"CREATE TABLE [{self.name}] (\n  " + ",\n  ".join(cols) + "\n)"

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


def _names(items: Iterable[Any], key: str = "name") -> str:
    return json.dumps([i[key] if isinstance(i, dict) else i for i in items], ensure_ascii=False)


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
        json.dumps(sorted({f["class"] for f in doc["factors"] if f["class"]})),
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


class SqliteFormat(FileFormat):
    """The database (see the module docstring), and its Datasette metadata beside it
    (FILE.metadata.json) or where `--metadata` says."""

    name: ClassVar[str] = "sqlite"
    binary: ClassVar[bool] = True

    def write(self, data: Bundle, out: TextIO) -> None:
        no_stream(out)

    def is_earlier(self, path: Path) -> bool:
        return is_export(path)

    def save(self, data: Bundle, path: Path) -> None:
        write_database(data, path)

    def outputs(self, data: Bundle, path: Path, metadata: Path | None) -> list[Output]:
        described = metadata or path.with_name(f"{path.stem}.metadata.json")
        if described.resolve() == path.resolve():
            raise SaveError("--metadata names the database file itself")
        text = json.dumps(datasette_metadata(data, path.stem), ensure_ascii=False, indent=2) + "\n"
        return [
            Output(path, lambda temporary: self.save(data, temporary), self.is_earlier),
            Output(
                described,
                lambda temporary: _write_text(temporary, text),
                is_metadata,
            ),
        ]


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def is_export(path: Path) -> bool:
    """Whether `path` is a database an export wrote (by its application id)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (found,) = conn.execute("PRAGMA application_id").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(found == APPLICATION_ID)


def write_database(data: Bundle, path: Path) -> None:
    """Create the database at `path` (a new, empty file) and fill it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The file is a temporary one, renamed into place only when complete and flushed
        # (output/saving.py), so no journal is needed while it is written.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("BEGIN")
        tables = all_tables()
        for table in tables:
            conn.execute(table.create())
        _fill_vocabularies(conn, data)
        _fill_records(conn, data.docs)
        _fill_dataset(conn, data)
        for table in tables:
            for sql in table.indexes():
                conn.execute(sql)
        _full_text(conn)
        for sql in VIEWS_SQL:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def _fill_vocabularies(conn: sqlite3.Connection, data: Bundle) -> None:
    vocab = data.vocabulary
    for v in VOCABULARIES:
        terms, synonyms, parents = v.tables()
        found = [vocab.terms[v.kind][n] for n in vocab.names(v.kind)]
        conn.executemany(terms.insert(), [(t.name, t.info) if v.info else (t.name,) for t in found])
        conn.executemany(
            synonyms.insert(),
            [
                *((t.name, label, "synonym") for t in found for label in t.labels[1:]),
                *((t.name, label, "abbreviation") for t in found for label in t.abbreviations),
            ],
        )
        conn.executemany(parents.insert(), [(t.name, p) for t in found for p in t.parents])


def _fill_records(conn: sqlite3.Connection, docs: Sequence[RecordDoc]) -> None:
    for table in RECORD_TABLES:
        assert table.rows is not None
        make = table.rows
        conn.executemany(
            table.insert(), (row for i, doc in enumerate(docs) for row in make(doc, i))
        )


def _fill_dataset(conn: sqlite3.Connection, data: Bundle) -> None:
    facts = data.dataset
    source = "; ".join(short_citation(s) for s in sources(data.docs))
    conn.execute(
        DATASET.insert(),
        (
            facts.name,
            facts.version,
            facts.released,
            facts.description,
            facts.licence,
            source,
            len(data.docs),
            data.asked,
            facts.made,
            facts.tool,
        ),
    )


def _full_text(conn: sqlite3.Connection) -> None:
    """`records_fts`, as sqlite-utils' `enable_fts(..., tokenize='porter')` makes it: an FTS5
    table whose content is `records` (by rowid), filled from it."""
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE [records_fts] USING FTS5 (\n    {columns},\n"
        "    tokenize='porter',\n    content=[records]\n)"
    )
    conn.execute(
        f"INSERT INTO [records_fts] (rowid, {columns}) SELECT rowid, {columns} FROM [records]"
    )


# --- the Datasette metadata -----------------------------------------------------------------


def datasette_metadata(data: Bundle, database: str) -> dict[str, Any]:
    """The Datasette metadata of an export named `database`: title, description, licence and
    source of the records, and a description of every table, column and view."""
    facts = data.dataset
    reviews = sources(data.docs)
    tables: dict[str, Any] = {}
    for table in all_tables():
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        if table.label:
            entry["label_column"] = table.label
        if table.facets:
            entry["facets"] = list(table.facets)
        tables[table.name] = entry
    tables["records"]["fts_table"] = "records_fts"
    tables["records"]["fts_pk"] = "rowid"
    tables.update({name: {"description": text} for name, text in VIEWS.items()})
    out: dict[str, Any] = {
        "title": f"{facts.name} {facts.version}",
        "description": f"{facts.description} Exported: {data.asked}, {len(data.docs)} records.",
        "license": facts.licence,
        "about": f"secretome {facts.tool} export, {facts.made}",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
    if reviews:
        out["source"] = "; ".join(short_citation(r) for r in reviews)
        if reviews[0].get("url"):
            out["source_url"] = reviews[0]["url"]
    return out


def is_metadata(path: Path) -> bool:
    """Whether `path` holds metadata an export wrote (by its 'about' line)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and str(found.get("about", "")).startswith("secretome ")


VIEWS: dict[str, str] = {
    "disease_tree": "Every disease under each disease of the vocabulary, itself included "
    "(ancestor, disease, depth): `disease IN (SELECT disease FROM disease_tree WHERE "
    "ancestor = 'colitis')` is what `--disease colitis` means.",
    "factor_diseases": "One row per factor and disease of a record, with the factor's class "
    "and change and the disease's category and context (the disease model).",
    "factor_effects": "Factor → target → pathway → disease rows of each record, with the "
    "record's DOIs (one row per combination of the record's lists).",
    "record_overview": "One row per record with its lists joined: diseases, factors, targets, "
    "pathways, model systems and DOIs.",
    "record_references": "Each record's citations with the reference's label, year, title, "
    "journal and DOI link.",
}
"""The views (made by `VIEWS_SQL`) and what each holds."""

_DOIS = (
    "(SELECT group_concat(ref.doi, ' ') FROM citations c JOIN [references] ref "
    "ON ref.key = c.reference_key WHERE c.record_id = r.id AND ref.doi IS NOT NULL)"
)


def _joined(table: str, expression: str) -> str:
    """A record's rows of `table` as one '; '-joined text, in their order."""
    return (
        f"(SELECT group_concat(v, '; ') FROM (SELECT {expression} AS v FROM [{table}] "
        "WHERE record_id = r.id ORDER BY position))"
    )


VIEWS_SQL: tuple[str, ...] = (
    """CREATE VIEW disease_tree AS
WITH RECURSIVE tree(ancestor, disease, depth) AS (
  SELECT name, name, 0 FROM diseases
  UNION
  SELECT tree.ancestor, p.disease, tree.depth + 1
  FROM tree JOIN disease_parents p ON p.parent = tree.disease
  WHERE tree.depth < 32
)
SELECT ancestor, disease, min(depth) AS depth FROM tree GROUP BY ancestor, disease""",
    """CREATE VIEW factor_diseases AS
SELECT f.record_id, f.factor, fa.class AS factor_class, f.change AS factor_change,
       d.disease, di.category AS disease_category, d.context AS disease_context
FROM record_factors f
JOIN factors fa ON fa.name = f.factor
JOIN record_diseases d ON d.record_id = f.record_id
LEFT JOIN diseases di ON di.name = d.disease""",
    f"""CREATE VIEW factor_effects AS
SELECT r.id AS record_id, f.factor, fa.class AS factor_class, f.change AS factor_change,
       t.target, t.change AS target_change, p.pathway, p.change AS pathway_change,
       d.disease, {_DOIS} AS dois
FROM records r
JOIN record_factors f ON f.record_id = r.id
LEFT JOIN factors fa ON fa.name = f.factor
LEFT JOIN record_targets t ON t.record_id = r.id
LEFT JOIN record_pathways p ON p.record_id = r.id
LEFT JOIN record_diseases d ON d.record_id = r.id""",
    f"""CREATE VIEW record_overview AS
SELECT r.id, r.position, r.claim, r.topic,
       {_joined("record_diseases", "disease")} AS diseases,
       {_joined("record_factors", "factor || ' (' || change || ')'")} AS factors,
       {_joined("record_targets", "target || ' (' || change || ')'")} AS targets,
       {_joined("record_pathways", "pathway || ' (' || change || ')'")} AS pathways,
       r.mechanism,
       {_joined("record_systems", "system")} AS systems,
       {_DOIS} AS dois
FROM records r""",
    """CREATE VIEW record_references AS
SELECT c.record_id, c.position, ref.key, ref.label, ref.year, ref.title, ref.journal,
       ref.doi, ref.url
FROM citations c JOIN [references] ref ON ref.key = c.reference_key""",
)
"""The views, in order."""

QUERIES: dict[str, Any] = {
    "factors_for_disease": {
        "title": "Which factors of a class act on a disease (and the diseases under it)",
        "sql": "SELECT * FROM record_overview WHERE id IN (SELECT record_id FROM "
        "factor_diseases WHERE factor_class = :factor_class AND (disease_context LIKE "
        "'%' || :disease || '%' OR disease IN (SELECT disease FROM disease_tree WHERE "
        "ancestor LIKE '%' || :disease || '%' OR ancestor IN (SELECT disease FROM "
        "disease_synonyms WHERE synonym LIKE '%' || :disease || '%')))) ORDER BY position",
    }
}
"""Canned queries for Datasette: the question the tool was made for, as SQL."""
