"""The `doi-pattern` rule: a DOI whose journal code breaks the pattern of its peers is a
warning, located at the DOI; a reference whose note says "DOI as printed" has it
acknowledged. Each fixture under tests/fixtures/bibliography/ is a small bibliography whose
first line names the keys it must flag (`# doi-pattern: key (acknowledged) ...`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from secretome_cli.files.loading import read_model
from secretome_cli.model.record import Bibliography
from secretome_cli.validate import bibliography

BIBLIOGRAPHIES = sorted((FIXTURES / "bibliography").rglob("*.yaml"))


def expected(path: Path) -> dict[str, str]:
    """Key → severity the fixture's first line names."""
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# doi-pattern:"), path
    words = header.removeprefix("# doi-pattern:").split()
    return {
        word: "acknowledged" if words[i + 1 : i + 2] == ["(acknowledged)"] else "warning"
        for i, word in enumerate(words)
        if word != "(acknowledged)"
    }


@pytest.mark.parametrize("path", BIBLIOGRAPHIES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bibliography_fixture_flags_exactly_its_keys(path: Path):
    parsed = read_model(path, Bibliography)
    assert parsed.model is not None and parsed.document is not None, parsed.problems
    problems, _, _ = bibliography.check(parsed.model, parsed.document)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    for problem in problems:
        assert problem.rule == "doi-pattern"
        assert lines[problem.line - 1][problem.column - 1 :].startswith("10.")  # at the DOI
        key = next(
            ln.removeprefix("- key: ")
            for ln in reversed(lines[: problem.line])
            if ln.startswith("- key: ")
        )
        found[key] = problem.severity
    assert found == expected(path)
    assert bool(found) == (path.parent.name == "doi-pattern")


def test_there_are_fixtures_of_both_kinds():
    assert {p.parent.name for p in BIBLIOGRAPHIES} == {"doi-pattern", "no-doi-pattern"}


def test_journal_code():
    assert bibliography.journal_code("10.3390/ijms23168905") == "ijms"
    assert bibliography.journal_code("10.1016/j.jconrel.2019.07.022") == "jconrel"
    assert bibliography.journal_code("10.1155/2019/8108576") is None
