"""`secretome export --format sqlite`: the database opened as its readers open it, with the
standard `sqlite3` module and with Datasette's own in-process client."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RECORDS

# The question "which miRNAs act on colitis", as search takes it and as SQL over the views.
# When `search --all` lands (issue 19), SEARCH becomes
# ("search", "which miRNAs act on colitis", "--all", "--format", "json").
SEARCH = ("search", "--disease", "colitis", "--factor-class", "miRNA", "--format", "json")
MIRNAS_ON_COLITIS = """
SELECT DISTINCT record_id FROM factor_diseases
WHERE factor_class = 'miRNA'
  AND (disease_context LIKE '%colitis%'
       OR disease IN (SELECT disease FROM disease_tree
                      WHERE ancestor LIKE '%colitis%'
                         OR ancestor IN (SELECT disease FROM disease_synonyms
                                         WHERE synonym LIKE '%colitis%')))
"""


@pytest.fixture(autouse=True)
def _one_index(shared_cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests read the bundled records only: one index for the module."""
    monkeypatch.setenv("SECRETOME_CACHE_DIR", shared_cache)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, shared_cache: str) -> Path:
    """The whole bundled record set exported once for the module: evidence.db and
    evidence.metadata.json beside it."""
    from typer.testing import CliRunner

    from secretome_cli.cli.app import narrowed

    folder = tmp_path_factory.mktemp("export")
    argv = ["export", "--format", "sqlite", "--output", str(folder / "evidence.db")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECRETOME_CACHE_DIR", shared_cache)
        result = CliRunner().invoke(narrowed(argv), argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return folder / "evidence.db"


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_one_row_per_record_and_no_broken_key(exported, secretome):
    docs = secretome("export").json()
    assert rows(exported, "SELECT count(*) FROM records") == [(len(docs),)]
    assert [r[0] for r in rows(exported, "SELECT id FROM records ORDER BY position")] == [
        d["id"] for d in docs
    ]
    assert rows(exported, "PRAGMA foreign_key_check") == []
    assert rows(exported, "PRAGMA integrity_check") == [("ok",)]


def test_every_repeated_field_is_a_table_of_its_own(exported, secretome):
    docs = {d["id"]: d for d in secretome("export").json()}
    doc = docs["ulcerative-colitis-mir-23b-3p-ferroptosis"]
    factors = rows(
        exported,
        "SELECT factor, change, note FROM record_factors WHERE record_id = ? ORDER BY position",
        doc["id"],
    )
    assert factors == [(f["name"], f["change"], f["note"]) for f in doc["factors"]]
    targets = rows(
        exported, "SELECT target, change FROM record_targets WHERE record_id = ?", doc["id"]
    )
    assert targets == [(t["name"], t["change"]) for t in doc["targets"]]
    dois = rows(
        exported,
        'SELECT r.doi FROM citations c JOIN "references" r ON r.key = c.reference_key '
        "WHERE c.record_id = ? ORDER BY c.position",
        doc["id"],
    )
    assert dois == [(c["doi"],) for c in doc["citations"]]
    total_notes = sum(len(d["notes"]) for d in docs.values())
    assert rows(exported, "SELECT count(*) FROM record_notes") == [(total_notes,)]


def test_vocabularies_keep_synonyms_and_hierarchy(exported):
    assert ("UC", "abbreviation") in rows(
        exported, "SELECT synonym, how FROM disease_synonyms WHERE disease = 'ulcerative colitis'"
    )
    assert rows(
        exported, "SELECT parent FROM disease_parents WHERE disease = 'ulcerative colitis'"
    ) == [("inflammatory bowel disease",)]
    under_ibd = {
        r[0]
        for r in rows(
            exported,
            "SELECT disease FROM disease_tree WHERE ancestor = 'inflammatory bowel disease'",
        )
    }
    assert {"inflammatory bowel disease", "ulcerative colitis", "Crohn's disease"} <= under_ibd
    assert rows(exported, "SELECT class FROM factors WHERE name = 'miR-23b-3p'") == [("miRNA",)]


def test_full_text_search_is_laid_out_as_sqlite_utils_does(exported):
    (sql,) = rows(exported, "SELECT sql FROM sqlite_master WHERE name = 'records_fts'")[0]
    assert "USING FTS5" in sql
    assert "content=[records]" in sql
    found = rows(
        exported,
        "SELECT id FROM records WHERE rowid IN "
        "(SELECT rowid FROM records_fts WHERE records_fts MATCH 'pyroptosis')",
    )
    assert ("ulcerative-colitis-mir-378a-5p-pyroptosis",) in found


def test_dataset_table_says_where_the_records_come_from(exported):
    (row,) = rows(exported, "SELECT name, version, records, asked, licence, source FROM dataset")
    name, version, count, asked, licence, source = row
    dataset = yaml.safe_load((RECORDS / "dataset.yaml").read_text(encoding="utf-8"))
    assert (name, version) == (dataset["name"], dataset["version"])
    assert count == rows(exported, "SELECT count(*) FROM records")[0][0]
    assert asked == "every record"
    assert licence == "MIT"
    assert "Nethaji et al. 2026" in source


def test_the_question_as_sql_over_the_views_finds_what_search_finds(exported, secretome):
    searched = secretome(*SEARCH)
    assert searched.code == 0
    expected = sorted(searched.ids())
    assert sorted(r[0] for r in rows(exported, MIRNAS_ON_COLITIS)) == expected
    # the canned query of the metadata asks the same, with parameters
    meta = json.loads(exported.with_name("evidence.metadata.json").read_text(encoding="utf-8"))
    canned = meta["databases"]["evidence"]["queries"]["factors_for_disease"]["sql"]
    found = rows(exported, canned.replace(":disease", "?1").replace(":factor_class", "?2"),
                 "colitis", "miRNA")  # fmt: skip
    assert sorted(r[0] for r in found) == expected


def test_an_export_of_a_search_holds_only_its_answer(tmp_path, secretome):
    db = tmp_path / "colitis.db"
    run = secretome(*SEARCH[1:-2], "export", "--format", "sqlite", "-o", str(db))
    assert run.code == 2  # the filters belong after the command
    run = secretome("export", *SEARCH[1:-2], "--format", "sqlite", "-o", str(db))
    assert run.code == 0, run.stderr
    assert sorted(r[0] for r in rows(db, "SELECT id FROM records")) == sorted(
        secretome(*SEARCH).ids()
    )
    assert rows(db, "SELECT asked FROM dataset") == [("--disease colitis --factor-class miRNA",)]
    assert rows(db, "PRAGMA foreign_key_check") == []


def datasette_get(db: Path, *paths: str) -> list[Any]:
    """GET each path from Datasette serving `db` with its metadata, in process."""
    from datasette.app import Datasette  # here: importing it takes each pytest worker ~1 s

    metadata = json.loads(db.with_name(f"{db.stem}.metadata.json").read_text(encoding="utf-8"))
    app = Datasette([str(db)], metadata=metadata)

    async def fetch() -> list[Any]:
        await app.invoke_startup()
        out = []
        for path in paths:
            response = await app.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            out.append(response.json() if ".json" in path else response.text)
        return out

    return asyncio.run(fetch())


@pytest.mark.slow
def test_datasette_serves_tables_facets_search_views_and_descriptions(exported, secretome):
    table, facet, search, view, page, canned = datasette_get(
        exported,
        "/evidence/records.json?_shape=objects&_size=max",
        "/evidence/record_diseases.json?_facet=disease&_size=0",
        "/evidence/records.json?_search=ferroptosis&_shape=objects",
        "/evidence/factor_effects.json?_shape=objects&factor=miR-23b-3p",
        "/evidence/records",
        "/evidence/factors_for_disease.json?_shape=objects&disease=colitis&factor_class=miRNA",
    )
    assert len(table["rows"]) == len(secretome("export").json())
    assert table["license"] == "MIT"
    counts = {r["value"]: r["count"] for r in facet["facet_results"]["disease"]["results"]}
    assert (
        counts["ulcerative colitis"]
        == rows(
            exported, "SELECT count(*) FROM record_diseases WHERE disease = 'ulcerative colitis'"
        )[0][0]
    )
    assert "ulcerative-colitis-mir-23b-3p-ferroptosis" in [r["id"] for r in search["rows"]]
    assert len(search["rows"]) < len(table["rows"])
    assert {r["target"] for r in view["rows"]} >= {"GPX4", "Nrf2"}
    assert all("10.1093/ecco-jcc/jjac190.0030" in r["dois"] for r in view["rows"])
    assert 'name="_search"' in page  # the search box: Datasette found the FTS table
    assert "One evidence record a row" in page  # the table's description from the metadata
    assert sorted(r["id"] for r in canned["rows"]) == sorted(secretome(*SEARCH).ids())


def test_an_array_facet_on_disease(exported):
    (data,) = datasette_get(exported, "/evidence/records.json?_facet_array=diseases&_size=0")
    values = {r["value"] for r in data["facet_results"]["diseases"]["results"]}
    assert "ulcerative colitis" in values


def test_metadata_describes_every_column_from_the_field_registry(exported):
    from secretome_cli.model.fields import BY_NAME

    meta = json.loads(exported.with_name("evidence.metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["evidence"]["tables"]
    conn = sqlite3.connect(exported)
    try:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'records_fts%'"
            " AND name NOT LIKE 'sqlite_%'"
        ):
            described = tables[name]["columns"]
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info([{name}])")]
            assert sorted(described) == sorted(columns), name
    finally:
        conn.close()
    assert tables["record_diseases"]["description"] == BY_NAME["disease"].description
    assert tables["records"]["fts_table"] == "records_fts"
    assert meta["source_url"].startswith("https://doi.org/")


def test_every_join_key_is_indexed(exported):
    conn = sqlite3.connect(exported)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            indexed = {
                conn.execute(f"PRAGMA index_info([{idx[1]}])").fetchone()[2]
                for idx in conn.execute(f"PRAGMA index_list([{table}])")
            }
            for fk in conn.execute(f"PRAGMA foreign_key_list([{table}])"):
                assert fk[3] in indexed, (table, fk[3])
    finally:
        conn.close()


def test_a_database_is_never_written_to_stdout(secretome):
    run = secretome("export --format sqlite")
    assert run.code == 2
    assert run.stdout == ""
    assert "--output" in run.stderr
    assert secretome("export --format sqlite -o -").code == 2


def test_an_earlier_export_is_replaced_and_anything_else_only_with_force(tmp_path, secretome):
    db = tmp_path / "e.db"
    assert secretome(f"export --disease IBD --format sqlite -o {db}").code == 0
    assert secretome(f"export --format sqlite -o {db}").code == 0  # an earlier export
    assert rows(db, "SELECT asked FROM dataset") == [("every record",)]
    precious = tmp_path / "precious.db"
    sqlite3.connect(precious).execute("CREATE TABLE t (x)").connection.commit()
    run = secretome(f"export --format sqlite -o {precious}")
    assert run.code == 2
    assert "--force" in run.stderr
    assert rows(precious, "SELECT name FROM sqlite_master") == [("t",)]
    assert not (tmp_path / "precious.metadata.json").exists()  # nothing written at all
    assert secretome(f"export --format sqlite -o {precious} --force").code == 0
    assert rows(precious, "SELECT count(*) FROM records")[0][0] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "e.db",
        "e.metadata.json",
        "precious.db",
        "precious.metadata.json",
    ]  # no temporary file left behind


def test_metadata_goes_where_asked(tmp_path, secretome):
    db, meta = tmp_path / "e.db", tmp_path / "metadata.json"
    assert secretome(f"export --format sqlite -o {db} --metadata {meta}").code == 0
    assert "e" in json.loads(meta.read_text(encoding="utf-8"))["databases"]
    assert not (tmp_path / "e.metadata.json").exists()
    run = secretome(f"export --format json --metadata {meta}")
    assert (run.code, run.stdout) == (2, "")


def test_a_failed_write_leaves_nothing_behind(tmp_path, secretome):
    missing = tmp_path / "no-such-dir" / "e.db"
    run = secretome(f"export --format sqlite -o {missing}")
    assert run.code == 2
    assert "no directory" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_format_choices_and_completion_offer_the_new_formats(secretome):
    from test_completion import SHELLS, complete

    run = secretome("export --help")
    assert "sqlite" in run.stdout
    assert "html" in run.stdout
    for shell in SHELLS:
        assert {"sqlite", "html"} <= set(complete(shell, "secretome export --format "))
        assert complete(shell, "secretome export --format sq") == ["sqlite"]
    assert secretome("export --format sqlit -o x.db").code == 2
