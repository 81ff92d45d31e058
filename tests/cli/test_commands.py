"""The other commands as a user types them: show, export, vocab, fmt, schema, --version."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import RECORDS, ROOT

from secretome_cli import __version__
from secretome_cli.model.schema import record_schema_text


def test_version_names_tool_dataset_and_record_count(secretome):
    run = secretome("--version")
    count = len(list((RECORDS / "evidence").glob("*.yaml")))
    version = yaml.safe_load((RECORDS / "dataset.yaml").read_text())["version"]
    assert run.code == 0
    assert run.stdout == f"secretome {__version__} (dataset {version}, {count} records)\n"


def test_show_prints_everything_a_reader_needs(secretome):
    run = secretome("show ovarian-cancer-mir-146a-lamc2")
    assert run.code == 0
    out = " ".join(run.stdout.replace("│", " ").split())
    for text in [
        "ovarian-cancer-mir-146a-lamc2",
        "↑ miR-146a",
        "↓ LAMC2",
        "⊥ PI3K/AKT",
        "docetaxel",
        "Qiu et al. 2020",
        "https://doi.org/10.3892/ijmm.2020.4634",
        "Table 1",
        "table-text-mismatch",
        "Wang and Ding 2023",
    ]:
        assert text in out, text


def test_show_unknown_id_suggests(secretome):
    run = secretome("show ovarian-cancer-mir146a")
    assert run.code == 1
    assert "no record 'ovarian-cancer-mir146a'; did you mean ovarian-cancer-mir-146a-lamc2" in (
        run.stderr
    )


def test_show_several_ids_json(secretome):
    ids = ["lung-cancer-mir-320a-sox4-wnt", "ovarian-cancer-mir-146a-lamc2"]
    docs = secretome("show", *ids, "--format", "json").json()
    assert [d["id"] for d in docs] == ids


def test_export_every_record(secretome):
    docs = secretome("export").json()
    assert len(docs) == len(list((RECORDS / "evidence").glob("*.yaml")))
    assert [d["id"] for d in docs] == sorted(d["id"] for d in docs)


def test_export_csv_and_a_result_set(secretome):
    run = secretome("export --disease colitis --factor-class miRNA --format csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 3
    assert all(r["score"] == "" for r in rows)


def test_vocab_summary_and_terms(secretome):
    summary = {r["vocabulary"]: r for r in secretome("vocab --format json").json()}
    assert set(summary) >= {"diseases", "factors", "pathways", "preconditioning"}
    assert summary["diseases"]["terms"] >= 40
    diseases = {r["name"]: r for r in secretome("vocab diseases --format json").json()}
    uc = diseases["ulcerative colitis"]
    assert uc["category"] == "inflammatory"
    assert uc["parents"] == ["inflammatory bowel disease"]
    assert "UC" in uc["aliases"]
    assert uc["records"] >= 3
    factors = {r["name"]: r for r in secretome("vocab factors --format json").json()}
    assert factors["miR-146a"]["class"] == "miRNA"


def test_vocab_unknown_name(secretome):
    run = secretome("vocab disease")
    assert run.code == 2
    assert "did you mean 'diseases'?" in run.stderr


def test_fmt_check_is_clean_and_fmt_rewrites_a_messy_file(secretome, tmp_path):
    assert secretome("fmt --check").code == 0
    shutil.copytree(RECORDS, tmp_path / "set")
    path = tmp_path / "set" / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    original = path.read_text()
    messy = original.replace("schema_version: 1\n", "") + "schema_version: 1\n"
    path.write_text(messy)
    run = secretome("fmt", "--check", "--records", str(tmp_path / "set"))
    assert run.code == 1
    assert path.read_text() == messy  # --check writes nothing
    assert secretome("fmt", "--records", str(tmp_path / "set")).code == 0
    assert path.read_text() == original


def test_fmt_leaves_invalid_files_alone(secretome, tmp_path):
    shutil.copytree(RECORDS, tmp_path / "set")
    path = tmp_path / "set" / "evidence" / "broken.yaml"
    path.write_text("id: [unclosed\n")
    run = secretome("fmt", "--records", str(tmp_path / "set"))
    assert run.code == 2
    assert "cannot format" in run.stderr
    assert path.read_text() == "id: [unclosed\n"


def test_fmt_judges_each_file_in_its_own_record_set(secretome, tmp_path):
    """Files of two record sets in one run: each is read as what its place in its own set
    makes it (a dataset file, a record), not as a file of the last set named."""
    shutil.copytree(RECORDS, tmp_path / "a")
    shutil.copytree(RECORDS, tmp_path / "b")
    record = next((tmp_path / "b" / "evidence").glob("*.yaml"))
    run = secretome("fmt", "--check", str(tmp_path / "a" / "dataset.yaml"), str(record))
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == "0 files would be reformatted, 2 already canonical\n"


def test_fmt_refuses_a_file_outside_any_record_set(secretome, tmp_path):
    path = tmp_path / "loose.yaml"
    path.write_text("id: loose\n")
    run = secretome("fmt", "--check", str(path))
    assert run.code == 2
    assert "is not inside a record set" in run.stderr


def test_committed_schema_is_current():
    committed = (ROOT / "schema" / "record.schema.json").read_text(encoding="utf-8")
    assert committed == record_schema_text(), "run `make schema`"


def test_schema_command_prints_it(secretome):
    schema = json.loads(secretome("schema").stdout)
    assert schema["title"] == "Record"
    assert "claim" in schema["required"]


def test_missing_records_directory_is_a_one_line_error(secretome, tmp_path):
    run = secretome("search", "colitis", "--records", str(tmp_path / "nope"))
    assert run.code == 2
    assert run.stderr == f"secretome: error: records directory not found: {tmp_path / 'nope'}\n"


def test_not_a_record_set(secretome, tmp_path):
    run = secretome("search", "colitis", "--records", str(tmp_path))
    assert run.code == 2
    assert "is not a record set: missing dataset.yaml" in run.stderr


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "secretome_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        **kwargs,
    )


def test_python_dash_m_and_a_closed_pipe_end_quietly(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = f"{sys.executable} -m secretome_cli export --format jsonl | head -1"
    result = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"]
    assert result.stderr == ""


def test_help_does_not_import_yaml_or_rich_tables():
    code = ("import sys, runpy; sys.argv=['secretome','--help'];\n"
            "try: runpy.run_module('secretome_cli', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "heavy=('yaml','rich.table','pydantic','rapidfuzz','pylatexenc')\n"
            "bad=[m for m in heavy if m in sys.modules]\n"
            "sys.stderr.write(repr(bad))")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stderr.strip().endswith("[]"), result.stderr
