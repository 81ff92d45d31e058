"""The README is the user's manual: every command it shows gives the output it shows."""

from __future__ import annotations

import shutil

import pytest
from readme import README, check, examples


def test_readme_has_examples_of_every_command():
    shown = " ".join(e.command for e in examples(README.read_text(encoding="utf-8")))
    commands = ("search", "show", "validate", "export", "vocab", "fmt", "--version", "cite",
                "stats", "matrix", "graph", "cache")  # fmt: skip
    for command in commands:
        assert f"secretome {command}" in shown, command


@pytest.mark.slow
def test_readme_examples_are_true():
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run the README's examples")
    stale = check()
    assert not stale, "README examples are stale (run `make readme`):\n\n" + "\n\n".join(stale)


def test_readme_mermaid_picture_is_current(secretome):
    text = README.read_text(encoding="utf-8")
    block = text.split("```mermaid\n", 1)[1].split("```\n", 1)[0]
    assert block == secretome("graph", "--disease", "Crohn's disease").stdout
