"""A search answers while a child process checks the record files (`launch.py`,
`cli/early.py`): what the user gets is exactly what the usual way gives, and never an answer
from a stale index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RECORDS

from secretome_cli import launch
from secretome_cli.api import open_as_is
from secretome_cli.argv import command_of, records_of
from secretome_cli.files.layout import Layout
from secretome_cli.index.scan import scan

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the early scan needs Linux fork"
)


@pytest.fixture
def record_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    return root


def run(args: list[str], *, early_scan: bool, merged: bool = False) -> tuple[int, bytes, bytes]:
    """`secretome ARGS` as a user runs it, its output to a pipe."""
    env = {**os.environ, launch.EARLY_SCAN_ENV: "1" if early_scan else "0"}
    done = subprocess.run(
        [sys.executable, "-m", "secretome_cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr or b""


def bump(path: Path) -> None:
    """Change a file's modification time even on coarse clocks."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


SEARCHES = [
    ["search", "which miRNAs act on colitis", "--format", "json"],
    ["search", "which miRNAs act on colitis", "--format", "jsonl", "--limit", "3"],
    ["search", "premature ovarian failure", "--explain", "--format", "tsv"],
    ["search", "lung injury exosomes", "--format", "csv", "--disease", "lung"],
    ["search", "TGF beta", "--format", "table"],
    ["search", "colitus"],  # a typo: notes on stderr
    ["search", "zebrafish teleportation"],  # nothing: exit 1 and "no records match"
    ["search", "--disease", "nonexistent-disease"],  # a filter that names nothing
    ["search", "the of and"],  # only filler words: exit 2
]


@pytest.mark.parametrize("args", SEARCHES, ids=[" ".join(a[1:3]) for a in SEARCHES])
def test_an_early_answer_is_the_usual_answer(record_set: Path, args: list[str]):
    args = [*args, "--records", str(record_set)]
    run(["stats", "--records", str(record_set)], early_scan=False)  # the index is built
    usual = run(args, early_scan=False)
    assert run(args, early_scan=True) == usual
    assert run(args, early_scan=True, merged=True) == run(args, early_scan=False, merged=True)


def test_an_edit_after_the_index_was_built_is_in_the_answer(record_set: Path):
    args = ["search", "ferroptosis", "--format", "json", "--records", str(record_set)]
    code, before, _ = run(args, early_scan=True)  # builds the index
    assert code == 0 and b"lung-cancer-mir-320a-sox4-wnt" not in before
    path = record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml"
    path.write_text(path.read_text().replace("outcomes:\n", "outcomes:\n- less ferroptosis\n"))
    bump(path)
    code, after, err = run(args, early_scan=True)  # the cached index is stale now
    assert code == 0, err
    assert b"lung-cancer-mir-320a-sox4-wnt" in after
    assert (code, after) == run(args, early_scan=False)[:2]


def test_a_stale_index_is_brought_up_to_date_before_it_answers(record_set: Path):
    """Files touched, the answer unchanged: the usual way still runs, and updates the index."""
    args = ["search", "colitis", "--format", "json", "--records", str(record_set)]
    first = run(args, early_scan=True)  # builds the index
    bump(record_set / "evidence" / "lung-cancer-mir-320a-sox4-wnt.yaml")
    assert run(args, early_scan=True) == first
    index = open_as_is(record_set)
    assert index is not None
    assert index.index.fingerprint == scan(Layout(record_set)).fingerprint
    index.index.close()


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["search", "colitis"], True),
        (["--debug", "search", "colitis"], True),
        (["search", "--help"], False),
        (["show", "some-id"], False),
        (["export", "colitis"], False),
        ([], False),
    ],
)
def test_the_scan_starts_early_only_for_a_search(
    args: list[str], wanted: bool, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(launch.os, "isatty", lambda fd: False)
    assert launch.early_scan_wanted(args) is wanted
    monkeypatch.setenv(launch.EARLY_SCAN_ENV, "0")
    assert launch.early_scan_wanted(args) is False


def test_no_early_scan_for_a_table_on_a_terminal_or_shell_completion(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(launch.os, "isatty", lambda fd: True)
    assert not launch.early_scan_wanted(["search", "colitis"])
    monkeypatch.setattr(launch.os, "isatty", lambda fd: False)
    monkeypatch.setenv("_SECRETOME_COMPLETE", "complete_bash")
    assert not launch.early_scan_wanted(["search", "colitis"])


def test_the_record_set_is_read_from_the_command_line_as_typer_reads_it():
    assert command_of(["--debug", "search", "x"]) == ("search", ["x"])
    assert command_of(["--debug"]) == (None, [])
    assert records_of(["x", "--records", "a"]) == "a"
    assert records_of(["--records=b", "x"]) == "b"
    assert records_of(["--records", "a", "--records", "c"]) == "c"  # the last one counts
    assert records_of(["--", "--records", "a"]) is None  # a query after --
    assert records_of(["x", "--records"]) is None


def test_a_current_index_is_answered_from_without_the_usual_way(record_set: Path):
    args = ["search", "colitis", "--format", "json", "--records", str(record_set)]
    usual = run(args, early_scan=False)  # builds the index
    script = (
        "import sys\n"
        "import secretome_cli.api as api\n"
        "def usual(*args, **kwargs): raise SystemExit('the usual way was taken')\n"
        "api.open_records = usual\n"
        "from secretome_cli.launch import main\n"
        f"sys.argv = ['secretome', *{args!r}]\n"
        "main()\n"
    )
    env = {**os.environ, launch.EARLY_SCAN_ENV: "1"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == usual
