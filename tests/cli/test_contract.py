"""The JSON contract: the keys scripts depend on. Adding a key means adding it here and to the
README; renaming or removing one breaks people's scripts and is not done."""

from __future__ import annotations

from secretome_cli.model.document import CITATION_KEYS, RECORD_KEYS, SEARCH_KEYS

RECORD = [
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
]
CITATION = [
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
]
NESTED = {
    "diseases": ["name", "context", "category", "parents"],
    "factors": ["name", "class", "change", "note"],
    "targets": ["name", "class", "change", "note"],
    "pathways": ["name", "change"],
    "changelog": ["revision", "date", "change"],
}
SOURCE = ["tissues", "fraction", "preconditioning"]
MODEL = ["systems", "organisms", "cells", "description"]
PROVENANCE = ["source", "section", "table", "row", "refs"]
MATCH = ["query", "field", "value", "how"]


def test_pinned_key_lists():
    assert list(RECORD_KEYS) == RECORD
    assert list(CITATION_KEYS) == CITATION
    assert list(SEARCH_KEYS) == ["score", "match", "unmatched", "related"]


def test_search_json_documents(secretome):
    docs = secretome('search "ovarian cancer" --format json').json()
    assert docs
    for doc in docs:
        assert list(doc) == [*RECORD, "score", "match", "unmatched", "related"]
        assert all(isinstance(part, str) for part in doc["unmatched"])
        assert isinstance(doc["score"], float) and 0 < doc["score"] <= 1
        for field, keys in NESTED.items():
            for item in doc[field]:
                assert list(item) == keys, field
        assert list(doc["source"]) == SOURCE
        assert all(list(p) == ["name", "kind"] for p in doc["source"]["preconditioning"])
        assert list(doc["model"]) == MODEL
        assert list(doc["provenance"]) == PROVENANCE
        assert list(doc["provenance"]["source"]) == CITATION
        for cite in doc["citations"]:
            assert list(cite) == CITATION
            if cite["doi"]:
                assert cite["url"] == f"https://doi.org/{cite['doi']}"
        for match in doc["match"]:
            assert list(match) == MATCH


def test_export_and_show_give_the_same_documents_without_search_keys(secretome):
    exported = {d["id"]: d for d in secretome("export --format json").json()}
    assert all(list(d) == RECORD for d in exported.values())
    shown = secretome("show lung-cancer-mir-320a-sox4-wnt --format json").json()
    assert shown == [exported["lung-cancer-mir-320a-sox4-wnt"]]
    found = secretome('search "what targets SOX4" --json').json()[0]
    assert {k: v for k, v in found.items() if k not in SEARCH_KEYS} == shown[0]


def test_table_and_json_show_the_same_data(secretome):
    doc = secretome('search "what targets SOX4" --json').json()[0]
    table = secretome('search "what targets SOX4" --format table').stdout
    for item in (*doc["factors"], *doc["targets"], *doc["pathways"]):
        assert item["name"] in table
    for cite in doc["citations"]:
        assert cite["doi"] in table.replace("\n", "").replace("│", "").replace(" ", "") or (
            cite["doi"][:12] in table
        )
