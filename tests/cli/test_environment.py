"""A command writes to the Environment it is handed (`cli/app.py: run`), never to the process's
own streams, and takes what it knows of the terminal from it."""

from __future__ import annotations

import io

import pytest

from secretome_cli.cli.app import run
from secretome_cli.environment import Environment


def environment(*, terminal: bool, width: int | None = None) -> Environment:
    return Environment(io.StringIO(), io.StringIO(), terminal, terminal, False, width)


def test_a_command_writes_to_the_streams_it_is_handed(capsys: pytest.CaptureFixture[str]):
    env = environment(terminal=False)
    assert run(["search", "colitis"], env, "secretome") == 0
    assert env.stdout.getvalue().startswith("id\tscore\t")  # type: ignore[attr-defined]
    assert capsys.readouterr() == ("", "")


def test_a_terminal_gets_a_table_that_ends_with_the_count(capsys: pytest.CaptureFixture[str]):
    env = environment(terminal=True, width=100)
    assert run(["search", "colitis", "--limit", "2"], env, "secretome") == 0
    table = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert "id\tscore" not in table
    assert max(len(line) for line in table.splitlines()) <= 100
    assert table.splitlines()[-1].endswith("records found, 2 shown (--limit)")
    assert capsys.readouterr() == ("", "")


def test_a_usage_error_goes_to_the_handed_stderr(capsys: pytest.CaptureFixture[str]):
    env = environment(terminal=False)
    assert run(["search", "--no-such-flag"], env, "secretome") == 2
    assert env.stderr.getvalue().startswith("secretome: error: no such option")  # type: ignore[attr-defined]
    assert capsys.readouterr() == ("", "")
