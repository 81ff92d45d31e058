"""The README and docs/ are the user's manual: every command they show gives the output they
show, every command of the app is shown and listed, and every link into a page names one of
its headings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from readme import README, ROOT, check, documents, examples

from secretome_cli.cli.app import app

_LISTED = re.compile(r"^\| `secretome ([a-z-]+)` \| .+ \| \[[^]]+\]\(([^)#]+)(#[^)]*)?\) \|$")
_LINK = re.compile(r"\]\(([^)#:\s]+\.md)(?:#([^)\s]+))?\)")
_FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def commands() -> list[str]:
    """Every command of the Typer app, a group's subcommands as `group sub`."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(name)
        if isinstance(command, typer.core.TyperGroup):
            names += [f"{name} {sub}" for sub in sorted(command.commands)]
    return names


def shown() -> str:
    """Every command of every console example of every document, one a line."""
    return "\n".join(
        e.command for path in documents() for e in examples(path.read_text(encoding="utf-8"))
    )


def listed() -> dict[str, Path]:
    """The README's command list: each command with the page its line links to."""
    found = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if match := _LISTED.match(line):
            found[match[1]] = ROOT / match[2]
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_documents_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in documents()}
    assert {"README.md", "docs/searching.md", "docs/records.md", "docs/json.md"} <= names
    assert {"docs/review.md", "CONTRIBUTING.md"} <= names


def test_the_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


@pytest.mark.parametrize("command", commands())
def test_every_command_is_shown_in_an_example(command):
    assert re.search(rf"\bsecretome {re.escape(command)}(?![\w-])", shown()), (
        f"no console example in README.md or docs/ runs `secretome {command}`"
    )


@pytest.mark.parametrize("command", [c for c in commands() if " " not in c])
def test_every_command_is_in_the_readme_list_with_its_page(command):
    pages = listed()
    assert command in pages, f"README's command list has no line for `secretome {command}`"
    page = pages[command]
    assert page.is_file(), f"`secretome {command}` links to {page.relative_to(ROOT)}, not a file"
    assert f"secretome {command}" in page.read_text(encoding="utf-8")


def test_the_readme_lists_only_commands_that_exist():
    assert set(listed()) <= set(commands())


def test_the_version_flag_is_shown():
    assert "secretome --version" in shown()


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_between_pages_name_a_heading(path):
    text = path.read_text(encoding="utf-8")
    for target, anchor in _LINK.findall(text):
        page = (path.parent / target).resolve()
        if anchor and page.is_file():
            text = _FENCE.sub("", page.read_text(encoding="utf-8"))
            headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
            assert anchor in {slug(h) for h in headings}, f"{path.name}: {target}#{anchor}"


@pytest.mark.slow
@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_document_examples_are_true(path):
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run the documents' examples")
    stale = check(path)
    assert not stale, "examples are stale (run `make readme`):\n\n" + "\n\n".join(stale)


@pytest.mark.slow
def test_python_examples_run(tmp_path):
    blocks = [
        block for path in documents() for block in _PYTHON.findall(path.read_text(encoding="utf-8"))
    ]
    assert blocks
    env = {**os.environ, "SECRETOME_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for block in blocks:
        run = subprocess.run(
            [sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, (block, run.stderr)
        assert run.stdout
