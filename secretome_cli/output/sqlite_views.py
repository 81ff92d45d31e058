"""The views of `export --format sqlite` (the queries a researcher writes first) and its
Datasette metadata: title, description, licence and source of the records, a description of
every table, column and view, the facets to offer first and a canned query."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from secretome_cli.model.document import short_citation
from secretome_cli.output.sqlite_schema import all_tables, sources
from secretome_cli.summary.bundle import Bundle


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
