"""Quiet validation: acknowledged problems are counted, listed only with --verbose; --quiet
prints the problems only; the two pre-commit hooks report a broken file once."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS, ROOT, Run

BROKEN = "alzheimers-disease-exosomes-microglia-m2"


def test_the_bundled_set_validates_in_one_line(secretome: Callable[..., Run]) -> None:
    n = len(list((RECORDS / "evidence").glob("*.yaml")))
    run = secretome("validate")
    assert run.code == 0
    assert run.stdout == (
        f"ok: 0 errors, 0 warnings, 3 acknowledged in 1 file; {n} records checked, {n} valid\n"
    )


def test_verbose_lists_the_acknowledged_problems(secretome: Callable[..., Run]) -> None:
    lines = secretome("validate --verbose").stdout.splitlines()
    assert [line for line in lines if ": acknowledged doi-pattern: " in line] == lines[:3]
    assert lines[-1].startswith("ok: ")


def test_quiet_prints_nothing_when_clean(secretome: Callable[..., Run]) -> None:
    run = secretome("validate --quiet")
    assert (run.code, run.stdout) == (0, "")


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A curator's repository whose records hold one broken record; the working directory."""
    shutil.copytree(RECORDS, tmp_path / "records")
    path = tmp_path / "records" / "evidence" / f"{BROKEN}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nclaim:", "\nclaimx:", 1))
    monkeypatch.chdir(tmp_path)
    return path


def test_quiet_prints_the_problems_only(secretome: Callable[..., Run], broken: Path) -> None:
    run = secretome("validate -q")
    assert run.code == 1
    assert run.stdout.splitlines() == [
        f"records/evidence/{BROKEN}.yaml:1:1: error missing-field: missing required field 'claim'",
        f"records/evidence/{BROKEN}.yaml:9:1: error unknown-field: unknown field 'claimx'; "
        "did you mean 'claim'?",
    ]


def test_the_pre_commit_hooks_report_a_broken_file_once(
    secretome: Callable[..., Run], broken: Path
) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    staged = [str(broken.relative_to(broken.parents[2]))]
    said = []
    for hook in hooks:
        entry = shlex.split(hook["entry"])
        assert entry[0] == "secretome"
        args = [*entry[1:], *hook.get("args", []), *(staged if hook["pass_filenames"] else [])]
        run = secretome(*args)
        said.append((hook["id"], run.code, run.stdout + run.stderr))
    reporting = [(name, code) for name, code, text in said if f"{BROKEN}.yaml" in text]
    assert reporting == [("secretome-validate", 1)]
