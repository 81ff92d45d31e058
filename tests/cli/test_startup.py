"""A command runs from a copy of the app that holds only it (Typer builds every command it
holds before it runs one); what the user sees must not change."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from secretome_cli.cli.app import app, narrowed

NAMES = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_and_group_is_found_by_name():
    assert {"search", "show", "validate", "cache", "diff", "new"} <= set(NAMES)
    for name in NAMES:
        only = narrowed([name, "anything"])
        assert only is not app
        assert sorted(typer.main.get_command(only).commands) == [name]  # type: ignore[attr-defined]
    assert narrowed(["--debug", "search", "colitis"]) is not app


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["-h", "search"], ["--version"], ["serach", "colitis"], ["--debug"]],
)
def test_anything_but_a_command_name_gets_the_whole_app(args):
    assert narrowed(args) is app


@pytest.mark.parametrize("name", NAMES)
def test_help_and_usage_errors_are_those_of_the_whole_app(name):
    runner = CliRunner()
    for args in ([name, "--help"], [name, "--no-such-flag"], [name, "info", "--help"]):
        full = runner.invoke(app, args, env={"COLUMNS": "100"})
        only = runner.invoke(narrowed(args), args, env={"COLUMNS": "100"})
        assert (only.exit_code, only.stdout, only.stderr) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        )
    assert "Usage: secretome " + name in runner.invoke(app, [name, "--help"]).stdout


def test_completion_gets_the_whole_app(monkeypatch):
    monkeypatch.setenv("_SECRETOME_COMPLETE", "bash_complete")
    assert narrowed(["search", "col"]) is app
