"""Shared test set-up: every test gets its own index cache, and a helper that runs the CLI the
way a user types it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from secretome_cli.environment import Environment
from secretome_cli.launch import run as run_command_line

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "records"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@dataclass
class Run:
    """The outcome of one command: exit code, stdout and stderr."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def ids(self) -> list[str]:
        return [doc["id"] for doc in self.json()]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The question suite (tests/unit/test_eval.py) goes first: its module fixture answers every
    question, the longest single step of `make test`, and pytest-xdist hands the tests out in
    this order, so a worker starts on it at once instead of ending the run with it."""
    items.sort(key=lambda item: item.path.name != "test_eval.py")


@pytest.fixture(scope="session")
def _bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the index of the bundled records, built once per test process by a
    search run as a user runs it (so that the process has ended and the index is whole)."""
    cache = tmp_path_factory.mktemp("bundled-index")
    env = {**os.environ, "SECRETOME_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("SECRETOME_RECORDS", None)
    command = [sys.executable, "-m", "secretome_cli", "search", "colitis", "--format", "json"]
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)
    return cache


@pytest.fixture(autouse=True)
def _isolated(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each test gets its own index cache, no inherited record-set override, and no colour.
    The cache starts with a copy of the bundled records' index, as a user's does after the
    first search; a test marked `empty_cache` gets an empty one."""
    cache = tmp_path_factory.mktemp("cache")
    if request.node.get_closest_marker("empty_cache") is None:
        shutil.copytree(request.getfixturevalue("_bundled_index"), cache, dirs_exist_ok=True)
    monkeypatch.setenv("SECRETOME_CACHE_DIR", str(cache))
    monkeypatch.delenv("SECRETOME_RECORDS", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


class CommandLine:
    """The command line as the console script runs it (`launch.py: run`, with an
    `Environment` made over the streams CliRunner captures), in the shape CliRunner invokes."""

    name = "secretome"

    def main(self, args: list[str], prog_name: str, **extra: Any) -> None:
        sys.exit(run_command_line(list(args), Environment.of_process(), prog_name))


@pytest.fixture
def secretome() -> Callable[..., Run]:
    """Run `secretome ARGS` (a string as typed in a shell, or separate arguments)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        argv = shlex.split(args[0]) if len(args) == 1 else list(args)
        result = runner.invoke(CommandLine(), argv, env=env, catch_exceptions=False)  # type: ignore[arg-type]
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One index cache for the tests of a module that only search the bundled records."""
    return str(tmp_path_factory.mktemp("query-cache"))


@pytest.fixture
def search(
    secretome: Callable[..., Run], shared_cache: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Run]:
    """Run `secretome search QUERY --json` against the bundled records, as a user types it."""
    monkeypatch.setenv("SECRETOME_CACHE_DIR", shared_cache)

    def run(query: str) -> Run:
        return secretome("search", query, "--json")

    return run
