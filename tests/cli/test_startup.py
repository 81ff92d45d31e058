"""A command runs from a copy of the app that holds only it (Typer builds every command it
holds before it runs one); what the user sees must not change. A search imports only what it
runs, and compiles no generated method of a dataclass it does not need (see
docs/performance.md, row 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer.main
from conftest import ROOT
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


NOT_FOR_A_JSON_SEARCH = (
    # the modules of the other commands (`cli/commands.py` adds them when they are needed)
    "secretome_cli.cli.commands",
    "secretome_cli.cli.exporting",
    "secretome_cli.cli.files",
    "secretome_cli.cli.overview",
    "secretome_cli.cli.review",
    # building an index, reading YAML, validating: a warm search reads the cached index
    # (`validate/record_file.py` holds the index row of a record, `Row`)
    "secretome_cli.validate",
    "secretome_cli.files.yamlfile",
    "yaml",
    "pydantic",
    # the patterns of file names in error messages
    "secretome_cli.model.characters",
    # what `select`, `show`, `cite` and `graph` return (`Selection`, `Missing`, `Citations`,
    # `Network`: summary/selection.py) and every other summary of a selection
    "secretome_cli.summary",
    # CSV: imported by the renderers that write it
    "csv",
    # tables (Rich), fuzzy suggestions, word frequencies, LaTeX: not for an answer in JSON
    "rich",
    "rapidfuzz",
    "wordfreq",
    "pylatexenc",
    # the English word list and ICD-10-CM's disease words: read only for a word no record
    # holds (the index keeps each label word's frequency)
    "secretome_cli.words.english",
    "secretome_cli.words.medical",
    "msgpack",
)
"""What a warm `secretome search QUERY --format json` must not import: each costs start-up
time, and the benchmark's row (1) holds the query to the import time of its libraries."""

NOT_DATACLASSES = {
    "secretome_cli.model.problems.Problem",  # frozen and ordered: ten generated methods
    "secretome_cli.index.cache.Entry",
    "secretome_cli.index.cache.Cleared",
}
"""Classes of modules every search imports that are named tuples: a dataclass compiles its
generated methods (`__init__`, `__eq__`, `__repr__`, `__hash__`, ...) when it is defined."""

WITHOUT_EQ_OR_REPR = {
    "secretome_cli.model.fields.Field",  # the registry's rows: one of a kind each
    "secretome_cli.model.fields.Facet",
    "secretome_cli.environment.Environment",  # streams
    "secretome_cli.index.store.Index",  # an open database
    "secretome_cli.api.RecordSet",
    "secretome_cli.model.vocab.Vocabulary",  # the run's vocabulary tables
}
"""Dataclasses every search defines that nothing compares or prints: they generate no `==`
and no repr, which would only be compiled at start-up."""

_IMPORTED = """
import dataclasses, inspect, json, sys
sys.argv = ["secretome", *sys.argv[1:]]
from secretome_cli.launch import main
try:
    main()
finally:
    classes = {
        f"{name}.{c.__qualname__}": dataclasses.is_dataclass(c)
        and [k for k in ("eq", "repr") if getattr(c.__dataclass_params__, k)]
        for name, module in list(sys.modules.items())
        if name.startswith("secretome_cli")
        for c in vars(module).values()
        if inspect.isclass(c) and c.__module__ == name
    }
    sys.stderr.write("\\n" + json.dumps([sorted(sys.modules), classes]))
"""


@pytest.fixture
def warm_search() -> tuple[list[str], dict[str, list[str] | bool]]:
    """What a warm `search QUERY --format json` imported, and the classes of this package it
    defined (for a dataclass, which of `==` and repr it generated; False for other classes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the cache (conftest) holds the index
    query = ["search", "which miRNAs act on colitis", "--format", "json"]
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *query], capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)  # it answered
    imported, classes = json.loads(run.stderr.splitlines()[-1])
    return imported, classes


def test_a_warm_json_search_imports_only_what_it_runs(warm_search):
    imported, _ = warm_search
    assert "secretome_cli.search.rank" in imported  # what it runs is seen
    unwanted = [m for m in imported if m.split(".")[0] in NOT_FOR_A_JSON_SEARCH]
    unwanted += [m for m in NOT_FOR_A_JSON_SEARCH if m in imported]
    assert unwanted == []


def test_a_warm_json_search_compiles_no_dataclass_method_it_does_not_need(warm_search):
    _, classes = warm_search
    assert ["eq", "repr"] in classes.values()  # what a dataclass generates is seen
    assert [name for name in NOT_DATACLASSES if classes[name] is not False] == []
    assert [name for name in WITHOUT_EQ_OR_REPR if classes[name] != []] == []
    # moved to modules a search never imports
    moved = {"Row", "Selection", "Missing", "Citations", "Network"}
    assert [name for name in classes if name.rsplit(".", 1)[1] in moved] == []
