"""The early answer (`launch.py`): a command answered beside the early scan writes exactly
what the usual way writes (stdout, stderr, exit code), whether the index was current, stale,
missing, of another record set, or the child failed. SECRETOME_EARLY_SCAN=1 starts the scan
whatever the size of the record set, 0 never."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RECORDS, ROOT

from secretome_cli import launch
from secretome_cli.index.scan import Early

QUESTION = "which miRNAs act on colitis"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Early | None]:
    """The early scans the command lines start, as they start them."""
    seen: list[Early | None] = []
    start = launch.start

    def spy(args: list[str]) -> Early | None:
        seen.append(start(args))
        return seen[-1]

    monkeypatch.setattr(launch, "start", spy)
    return seen


@pytest.fixture
def verdicts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each early scan's child said of the index answered from: True, stale."""
    said: list[bool] = []
    stale = Early.stale

    def spy(early: Early) -> bool:
        said.append(stale(early))
        return said[-1]

    monkeypatch.setattr(Early, "stale", spy)
    return said


def both(secretome, *args: str):
    """The same command line the usual way, then beside an early scan."""
    usual = secretome(*args, env={launch.EARLY_ENV: "0"})
    early = secretome(*args, env={launch.EARLY_ENV: "1"})
    return usual, early


def assert_same(usual, early) -> None:
    assert (early.code, early.stdout, early.stderr) == (usual.code, usual.stdout, usual.stderr)


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


@pytest.mark.parametrize("fmt", ["json", "tsv", "table"])
def test_a_current_index_answers_early_with_the_usual_bytes(secretome, started, verdicts, fmt):
    usual, early = both(secretome, "search", QUESTION, "--format", fmt)
    assert usual.code == 0
    assert usual.stdout
    assert_same(usual, early)
    assert started[0] is None  # SECRETOME_EARLY_SCAN=0
    scan = started[1]
    assert scan is not None
    assert scan.answered is not None  # answered early, and the child confirmed it
    assert verdicts == [False]


@pytest.mark.parametrize(
    "args",
    [
        ["cite", "colitis", "--format", "bibtex"],
        ["graph", "colitis", "--format", "dot"],
        ["export", "colitis", "--format", "csv"],
    ],
)
def test_the_other_commands_that_answer_early(secretome, started, verdicts, args):
    usual, early = both(secretome, *args)
    assert usual.code == 0
    assert_same(usual, early)
    scan = started[1]
    assert scan is not None
    assert scan.answered is not None
    assert verdicts == [False]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "colitis", "--output", "x.json"],
        ["cite", "-"],
        ["search", "colitis", "--help"],
        ["show", "colitis-exosomes"],
        ["validate"],
    ],
)
def test_no_early_scan_for_a_file_stdin_help_or_another_command(args, monkeypatch):
    monkeypatch.setenv(launch.EARLY_ENV, "1")
    assert launch.start(args) is None


def test_no_early_scan_on_a_small_record_set_or_a_busy_machine(started, monkeypatch):
    monkeypatch.delenv(launch.EARLY_ENV, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert launch.start(["search", QUESTION]) is None  # the bundled evidence/ is small
    monkeypatch.setattr(launch, "PAYS", 0)
    monkeypatch.setattr(os, "getloadavg", lambda: ((os.cpu_count() or 1) + 1.0, 0.0, 0.0))
    assert launch.start(["search", QUESTION]) is None  # no core free
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    scan = launch.start(["search", QUESTION])
    assert scan is not None
    assert scan.stale()  # nothing answered yet: its fingerprint is not confirmed
    assert scan.root == str(RECORDS.resolve())
    scan.child.communicate()


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_stale_index_gives_the_fresh_answer(secretome, started, verdicts, record_set, change):
    args = ["search", "colitis", "--format", "json", "--records", str(record_set)]
    before = secretome(*args, env={launch.EARLY_ENV: "0"})  # the index, cached
    evidence = record_set / "evidence"
    first = before.ids()[0]
    if change == "edit":
        path = evidence / f"{first}.yaml"
        path.write_text(path.read_text().replace("colitis", "colotis"), encoding="utf-8")
    elif change == "add":
        copy = (evidence / f"{first}.yaml").read_text().replace(f"id: {first}", "id: a-copy")
        (evidence / "a-copy.yaml").write_text(copy, encoding="utf-8")
    else:
        (evidence / f"{first}.yaml").unlink()
    early = secretome(*args, env={launch.EARLY_ENV: "1"})
    usual = secretome(*args, env={launch.EARLY_ENV: "0"})
    assert_same(usual, early)
    assert (early.stdout, early.stderr) != (before.stdout, before.stderr)
    child = started[1]
    assert child is not None
    assert child.answered is not None
    assert verdicts == [True]  # the child saw the change


def test_no_cached_index_builds_it_the_usual_way(secretome, started, record_set):
    args = ["search", "colitis", "--format", "tsv", "--records", str(record_set)]
    early = secretome(*args, env={launch.EARLY_ENV: "1"})
    usual = secretome(*args, env={launch.EARLY_ENV: "0"})
    assert_same(usual, early)
    scan = started[0]
    assert scan is not None
    assert scan.answered is None  # nothing to answer from as it stood


def test_a_guess_of_another_record_set_costs_only_time(secretome, started, record_set):
    # the guess takes the first --records, Click the last
    args = ["search", "colitis", "--records", str(RECORDS), "--records", str(record_set)]
    secretome(*args, env={launch.EARLY_ENV: "0"})  # both indexes cached
    usual, early = both(secretome, *args)
    assert_same(usual, early)
    scan = started[2]
    assert scan is not None
    assert scan.root == str(RECORDS.resolve())
    assert scan.answered is None  # not answered from the index of the guessed set


@pytest.mark.parametrize("child", ["false", "true"])
def test_a_child_that_fails_or_says_nothing_falls_back(
    secretome, started, verdicts, monkeypatch, child
):
    monkeypatch.setattr(launch.sys, "executable", shutil.which(child))
    usual, early = both(secretome, "search", QUESTION, "--format", "json")
    assert_same(usual, early)
    scan = started[1]
    assert scan is not None
    assert scan.answered is not None
    assert verdicts == [True]  # no fingerprint: the usual way


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["search", "xyzzy plugh", "--format", "json"], 1),
        (["search", "xyzzy plugh", "--format", "table"], 1),
        (["search", "--format", "json"], 2),  # nothing to search for
        (["search", "colitis", "--limit", "0"], 2),  # a usage error
        (["search", "colitis", "--records", "/nonexistent"], 2),
    ],
)
def test_nothing_found_and_bad_input(secretome, started, args, code):
    usual, early = both(secretome, *args)
    assert usual.code == code
    assert usual.stderr
    assert_same(usual, early)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["script", "module"])
def test_the_installed_script_and_the_module(tmp_path: Path, how: str):
    script = Path(sys.executable).with_name("secretome")
    command = [str(script)] if how == "script" else [sys.executable, "-m", "secretome_cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    written = {}
    for early in ("0", "1", "1"):  # the last with stdout and stderr one file
        out, err = tmp_path / f"out{early}", tmp_path / f"err{early}"
        with out.open("wb") as o, err.open("wb") as e:
            code = subprocess.run(
                [*command, "search", QUESTION, "--format", "json"],
                stdout=o,
                stderr=o if early in written else e,
                env={**env, launch.EARLY_ENV: early},
                check=False,
            ).returncode
        written.setdefault(early, (code, out.read_bytes(), err.read_bytes()))
    assert written["0"] == written["1"]
    assert written["0"][0] == 0
    merged = (tmp_path / "out1").read_bytes()
    assert merged == written["0"][2] + written["0"][1]  # notes first, then the answer
