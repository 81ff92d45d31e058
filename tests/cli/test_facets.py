"""`secretome stats` and `secretome matrix`: counts checked against the records, table views
against golden files (100 columns, no colour; `SECRETOME_UPDATE_GOLDEN=1 pytest` rewrites
them)."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
WIDE = {"COLUMNS": "100", "NO_COLOR": "1"}


def golden(name: str, actual: str) -> None:
    """Compare with (or, with SECRETOME_UPDATE_GOLDEN=1, rewrite) tests/golden/NAME."""
    path = GOLDEN / name
    if os.environ.get("SECRETOME_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed (see the test's doc)"


def test_stats_json_counts_match_the_records(secretome):
    docs = secretome("export").json()
    stats = secretome("stats --format json").json()
    dataset = yaml.safe_load((RECORDS / "dataset.yaml").read_text())
    assert stats["dataset"] == {
        "name": dataset["name"],
        "version": dataset["version"],
        "released": str(dataset["released"]),
    }
    assert stats["records"] == len(docs)
    diseases = Counter(name for d in docs for name in {x["name"] for x in d["diseases"]})
    assert {r["name"]: r["records"] for r in stats["disease"]} == dict(diseases)
    uc = next(r for r in stats["disease"] if r["name"] == "ulcerative colitis")
    assert uc["parents"] == ["inflammatory bowel disease"]
    fractions = Counter(d["source"]["fraction"] for d in docs)
    assert {r["name"]: r["records"] for r in stats["fraction"]} == dict(fractions)
    systems = Counter(s for d in docs for s in set(d["model"]["systems"]))
    assert {r["name"]: r["records"] for r in stats["system"]} == dict(systems)
    assert stats["not_stated"]["system"] == sum(1 for d in docs if not d["model"]["systems"])
    for facet in ("factor-class", "pathway", "tissue", "topic"):
        counts = [r["records"] for r in stats[facet]]
        assert counts == sorted(counts, reverse=True), facet


def test_stats_table_golden(secretome):
    run = secretome("stats --format table", env=WIDE)
    assert run.code == 0
    golden("stats.txt", run.stdout)


def test_matrix_table_golden(secretome):
    run = secretome("matrix --format table", env=WIDE)
    assert run.code == 0
    golden("matrix-disease-factor-class.txt", run.stdout)


def test_matrix_topic_by_fraction_golden(secretome):
    run = secretome("matrix --rows topic --cols fraction --format table", env=WIDE)
    golden("matrix-topic-fraction.txt", run.stdout)


def test_matrix_table_fits_the_terminal(secretome):
    for width in ("60", "100", "160"):
        run = secretome("matrix", env={"COLUMNS": width})
        assert max(len(line) for line in run.stdout.splitlines()) <= int(width)


def test_matrix_csv_is_one_row_per_pair_with_the_model_split(secretome):
    docs = secretome("export").json()
    run = secretome("matrix --rows disease --cols tissue --format csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == ["disease", "tissue", "records", "in_vitro", "in_vivo", "clinical"]
    pairs = Counter(
        (x, t) for d in docs for x in {y["name"] for y in d["diseases"]}
        for t in set(d["source"]["tissues"])
    )  # fmt: skip
    assert {(r["disease"], r["tissue"]): int(r["records"]) for r in rows} == dict(pairs)
    uc = next(r for r in rows if (r["disease"], r["tissue"]) == ("ulcerative colitis",
                                                                "umbilical cord"))  # fmt: skip
    assert (uc["records"], uc["in_vitro"], uc["in_vivo"], uc["clinical"]) == ("3", "0", "2", "0")


def test_matrix_json_has_cells_and_totals(secretome):
    data = secretome("matrix --format json").json()
    assert (data["rows"], data["cols"]) == ("disease", "factor-class")
    cell = next(c for c in data["cells"] if c["disease"] == "ulcerative colitis"
                and c["factor-class"] == "miRNA")  # fmt: skip
    assert cell == {"disease": "ulcerative colitis", "factor-class": "miRNA", "records": 2,
                    "in_vitro": 0, "in_vivo": 2, "clinical": 0}  # fmt: skip
    assert data["row_values"][0] in data["row_totals"]
    assert data["total"]["records"] >= max(t["records"] for t in data["row_totals"].values())


@pytest.mark.parametrize("args", ["matrix --rows topic --cols topic", "matrix --rows model"])
def test_matrix_bad_facets_are_usage_errors(secretome, args):
    run = secretome(args)
    assert run.code == 2
    assert "Traceback" not in run.stderr


def test_matrix_same_facet_twice_is_a_one_line_error(secretome):
    run = secretome("matrix --rows topic --cols topic")
    assert run.stderr == (
        "secretome: error: --rows and --cols are both topic; choose two different facets\n"
    )
