"""`secretome validate`: every fixture file breaks exactly the rule it is named for, valid
fixtures pass, and the output formats say so the way people, scripts and CI read them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, RECORDS

from secretome_cli.validate.check import check, check_paths

INVALID_DIR = FIXTURES / "invalid"
INVALID = sorted(INVALID_DIR.rglob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
SIDE_EFFECTS = {
    "invalid-date": {"wrong-type"},  # an impossible date stays text, which is not a date
    "key-type": {"unknown-field"},  # the number key, read as text, is no field either
}
"""Rules a broken fixture may trigger besides its own."""


def rules_of(path: Path) -> set[str]:
    """The rules a fixture breaks: its folder under invalid/ names them, joined by '+'."""
    return set(path.relative_to(INVALID_DIR).parts[0].split("+"))


def in_set(path: Path) -> Path | None:
    """Where a fixture under `<rules>/records/` lies in a record set (it replaces the bundled
    file of that path), or None for a fixture checked on its own."""
    if INVALID_DIR not in path.parents:
        return None
    parts = path.relative_to(INVALID_DIR).parts
    return Path(*parts[2:]) if len(parts) > 2 and parts[1] == "records" else None


def problems_of(path: Path, tmp_path: Path):
    place = in_set(path)
    if place is None:
        results = check_paths([path], RECORDS)
        return [p for r in results for p in r.problems if p.file.endswith(path.name)]
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    before = set(check(root).problems)
    shutil.copy(path, root / place)
    problems = [p for p in check(root).problems if p not in before]
    elsewhere = [p for p in problems if Path(p.file).resolve() != (root / place).resolve()]
    assert elsewhere == [], "a broken file caused problems in other files"
    return problems


def first_of_each_folder(paths: list[Path]) -> list[object]:
    """Every fixture; those after the first of their rule folder are marked slow (each is a
    full validation of the bundled records), so `make test` checks every rule once and
    `make test-slow` every fixture."""
    seen: set[str] = set()
    params = []
    for path in paths:
        folder = path.relative_to(INVALID_DIR).parts[0]
        params.append(pytest.param(path, marks=pytest.mark.slow if folder in seen else ()))
        seen.add(folder)
    return params


@pytest.mark.parametrize(
    "path",
    first_of_each_folder(INVALID),
    ids=lambda p: str(p.relative_to(INVALID_DIR).with_suffix("")),
)
def test_invalid_fixture_breaks_its_rules(path: Path, tmp_path: Path):
    """Every rule a fixture's folder names is reported, in one run, and no other."""
    expected = rules_of(path)
    found = problems_of(path, tmp_path)
    rules = {p.rule for p in found}
    assert expected <= rules, f"{path.name}: expected {expected}, got {[p.message for p in found]}"
    allowed = expected | {"format"} | {r for e in expected for r in SIDE_EFFECTS.get(e, ())}
    assert rules <= allowed, f"{path.name}: also broke {rules - allowed}"
    for problem in found:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_passes(path: Path, tmp_path: Path):
    assert problems_of(path, tmp_path) == []


def test_there_are_enough_fixtures():
    assert len(INVALID) >= 40
    assert len({rule for p in INVALID for rule in rules_of(p)}) >= 30
    assert any(len(rules_of(p)) >= 3 for p in INVALID)  # several problems of one file at once
    assert any(in_set(p) for p in INVALID)  # a broken record that others link to


def test_locations_point_at_the_problem(secretome):
    path = FIXTURES / "invalid" / "unknown-field" / "pathway-singular.yaml"
    run = secretome("validate", str(path))
    assert run.code == 1
    line = next(ln for ln in run.stdout.splitlines() if "unknown-field" in ln)
    where, rest = line.split(": error ", 1)
    assert where.endswith("pathway-singular.yaml:24:1")
    assert "did you mean 'pathways'?" in rest


def test_every_problem_at_once(secretome, tmp_path):
    shutil.copy(FIXTURES / "invalid" / "unknown-field" / "pathway-singular.yaml", tmp_path)
    shutil.copy(FIXTURES / "invalid" / "missing-field" / "no-claim.yaml", tmp_path)
    shutil.copy(FIXTURES / "invalid" / "yaml-syntax" / "unclosed-bracket.yaml", tmp_path)
    run = secretome("validate", str(tmp_path))
    assert run.code == 1
    for rule in ("unknown-field", "missing-field", "yaml-syntax"):
        assert f"error {rule}:" in run.stdout
    assert "3 errors" in run.stdout.splitlines()[-1]


def test_clean_record_set_exits_0(secretome):
    run = secretome("validate --strict")
    assert run.code == 0
    assert run.stdout.splitlines()[-1].startswith("ok: ")
    assert ": warning " not in run.stdout  # acknowledged DOIs may be listed, nothing else


def test_json_report(secretome):
    path = FIXTURES / "invalid" / "unknown-disease" / "psoriasis.yaml"
    run = secretome("validate", str(path), "--format", "json")
    report = json.loads(run.stdout)
    assert report["status"] == "fail"
    (error,) = report["errors"]
    assert set(error) == {"file", "line", "column", "rule", "severity", "message"}
    assert error["rule"] == "unknown-disease"


@pytest.mark.slow
def test_github_annotations_are_escaped(secretome, tmp_path):
    # A file name and a field name holding what a workflow command must escape: `%`, and in
    # a property also `,` `:` and a line break.
    path = tmp_path / "a,b: 100%\nc.yaml"
    text = (FIXTURES / "invalid" / "unknown-field" / "pathway-singular.yaml").read_text()
    path.write_text(text.replace("\npathway:", '\n"path%way":', 1), encoding="utf-8")
    run = secretome("validate", str(path), env={"GITHUB_ACTIONS": "true"})
    lines = run.stdout.splitlines()
    assert [line[:2] for line in lines[:-1]] == ["::", "::"], run.stdout
    assert not set(str(tmp_path)) & set("%,:\n")
    field = next(line for line in lines if "title=unknown-field" in line)
    # The newline is shown escaped (\x0a, as every file name is) before GitHub's own encoding.
    assert field.startswith(f"::error file={tmp_path}/a%2Cb%3A 100%25\\x0ac.yaml,line=24,col=1,")
    assert ",line=24,col=1,title=unknown-field::unknown field 'path%25way'" in field


def test_warnings_fail_only_under_strict(secretome):
    path = FIXTURES / "invalid" / "format" / "key-order.yaml"
    assert secretome("validate", str(path)).code == 0
    assert secretome("validate", "--strict", str(path)).code == 1


def test_missing_path_is_an_error_not_a_traceback(secretome):
    run = secretome("validate /no/such/place.yaml")
    assert run.code == 2
    assert run.stderr.startswith("secretome: error: no such file or directory")


def test_file_too_large(secretome, tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("notes:\n" + "- x\n" * 400_000)
    run = secretome("validate", str(path))
    assert run.code == 1
    assert "file-too-large" in run.stdout


def test_python_tags_are_never_executed(secretome, tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'notes: !!python/object/apply:os.system ["touch {marker}"]\n')
    run = secretome("validate", str(path))
    assert run.code == 1
    assert "yaml-tag" in run.stdout
    assert not marker.exists()


def test_positions_of_values_are_found():
    from secretome_cli.files import yamlfile

    path = RECORDS / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    doc, problems = yamlfile.read(path)
    assert doc is not None and problems == []
    lines = path.read_text().splitlines()
    line, col = doc.mark(("targets", 0, "name"))
    assert lines[line - 1][col - 1 :].startswith("SOX4")


def test_a_list_item_with_two_spaces_after_its_dash_is_read(secretome, tmp_path):
    """'-  name: x' is valid YAML (it once sent a reader of canonical files round in a loop)."""
    path = tmp_path / "wide-dash.yaml"
    path.write_text("id: wide-dash\nfactors:\n-  name: miR-21\n")
    errors = secretome("validate", str(path), "--format", "json").json()["errors"]
    assert "yaml-syntax" not in {e["rule"] for e in errors}
    # The item is read as a factor named miR-21 (a known one) that lacks only its change.
    factor = [e for e in errors if e["line"] == 3]
    assert [(e["column"], e["rule"]) for e in factor] == [(4, "missing-field")], factor
    assert "factors.0.change" in factor[0]["message"]


def test_a_stray_line_is_one_problem_of_one_file(secretome, tmp_path):
    """A record with a schema error still counts for the others: its id for their see_also,
    its citations for the bibliography; only its own problem is reported."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    before = secretome("validate", "--records", str(root), "--format", "json").json()["errors"]
    linked = root / "evidence" / "preconditioning-fig3-stimuli-pathways-factors.yaml"
    linked.write_text(linked.read_text(encoding="utf-8") + "x: 1\n", encoding="utf-8")
    run = secretome("validate", "--records", str(root), "--format", "json")
    new = [e for e in run.json()["errors"] if e not in before]
    assert run.code == 1
    assert [(Path(e["file"]).name, e["rule"]) for e in new] == [(linked.name, "unknown-field")]


def test_the_index_keeps_records_that_link_to_a_broken_one(secretome, tmp_path):
    """... both when the index is built and when it is updated in place."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    every = secretome("export", "--records", str(root), "--format", "json").ids()
    linked = root / "evidence" / "preconditioning-fig3-stimuli-pathways-factors.yaml"
    linked.write_text(linked.read_text(encoding="utf-8") + "x: 1\n", encoding="utf-8")
    updated = secretome("export", "--records", str(root), "--format", "json").ids()
    assert updated == [i for i in every if i != linked.stem]
    other = root / "evidence" / "composition-soluble-fraction-contents.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    assert secretome("export", "--records", str(root), "--format", "json").ids() == updated


def test_the_pre_commit_hook_checks_the_whole_set_once():
    hooks = {
        h["id"]: h for h in yaml.safe_load((RECORDS.parent / ".pre-commit-hooks.yaml").read_text())
    }
    validate = hooks["secretome-validate"]
    assert validate["pass_filenames"] is False and validate["require_serial"] is True
    assert validate["args"] == ["records"]


@pytest.mark.slow
def test_a_misprinted_looking_doi_is_a_warning_until_its_note_acknowledges_it(secretome, tmp_path):
    """The bundled bibliography's notes acknowledge its three doi-pattern warnings; without
    the phrase they are warnings that --strict fails, located at the DOI."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    path = root / "bibliography.yaml"
    acknowledged = path.read_text(encoding="utf-8")
    assert acknowledged.count("DOI kept exactly as") >= 3
    path.write_text(acknowledged.replace("DOI kept exactly as", "DOI kept as"), encoding="utf-8")
    run = secretome("validate", "--strict", "--records", str(root))
    assert run.code == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    flagged = []
    for line in run.stdout.splitlines():
        if ": warning doi-pattern: " in line:
            number = int(line.split(":")[1])
            flagged.append(lines[number - 1].removeprefix("  doi: "))
    assert flagged == [
        "10.1093/ecco-jcc/ijy038",
        "10.3390/biomedicine9020209",
        "10.1021/acspstci.4c00284",
    ]
    path.write_text(acknowledged, encoding="utf-8")
    run = secretome("validate", "--strict", "--records", str(root))
    assert run.code == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("ok: 0 errors, 0 warnings, 3 acknowledged")
    report = secretome("validate", "--records", str(root), "--format", "json").json()
    assert report["status"] == "ok"
    assert {e["severity"] for e in report["errors"]} == {"acknowledged"}
    github = secretome("validate", "-v", "--records", str(root), env={"GITHUB_ACTIONS": "true"})
    assert github.stdout.startswith("::notice file=")


@pytest.mark.slow
def test_an_update_gives_a_duplicate_id_to_the_same_file_as_a_fresh_build(
    secretome, tmp_path, monkeypatch
):
    """The first file by name keeps an id, also when the later one was indexed first."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    secretome("export", "--records", str(root), "--format", "json")  # the index, cached
    holder = root / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    shutil.copy(holder, root / "evidence" / "aaa-copy.yaml")
    updated = secretome("export", "--records", str(root), "--format", "json").ids()
    monkeypatch.setenv("SECRETOME_CACHE_DIR", str(tmp_path / "fresh-cache"))
    fresh = secretome("export", "--records", str(root), "--format", "json").ids()
    assert updated == fresh
    assert holder.stem not in fresh  # aaa-copy.yaml comes first: the id is its
    problems = secretome("validate", "--records", str(root), "--format", "json").json()
    rules = {(Path(e["file"]).name, e["rule"]) for e in problems["errors"]}
    assert {("aaa-copy.yaml", "id-filename"), (holder.name, "duplicate-id")} <= rules
