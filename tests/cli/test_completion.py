"""Shell completion, through the protocol the shells use: the completion script sets
`_SECRETOME_COMPLETE=complete_bash|complete_zsh|complete_fish` and the words typed so far
(bash: COMP_WORDS and COMP_CWORD; zsh and fish: _TYPER_COMPLETE_ARGS), runs `secretome`, and
reads the candidates from stdout. What is expected is read from the records, not written
down."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from secretome_cli.cli.app import app

SHELLS = ("bash", "zsh", "fish")


def complete(shell: str, line: str) -> list[str]:
    """The candidates `shell` would offer for the command line `line` (the word being
    completed is its last word; a line ending in a space completes a new word)."""
    env = {"_SECRETOME_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = CliRunner().invoke(app, [], env=env, prog_name="secretome")
    assert result.exit_code == 0, result.output
    out = result.stdout
    if shell == "zsh":
        if out.strip() == "_files":
            return []
        body = out.strip().removeprefix("_arguments '*: :((").removesuffix("))'")
        return [
            item.split('":"')[0].strip('"').replace("''", "'") for item in body.split("\n") if item
        ]
    return [line.split("\t")[0] for line in out.splitlines() if line]


@pytest.fixture
def exported(secretome):
    return secretome("export --format json").json()


@pytest.mark.parametrize("shell", SHELLS)
def test_record_ids_for_show_and_cite(shell, exported):
    ids = sorted(d["id"] for d in exported if d["id"].startswith("lung-"))
    assert ids
    assert complete(shell, "secretome show lung-") == ids
    assert complete(shell, "secretome cite --id lung-") == ids


@pytest.mark.parametrize("shell", SHELLS)
def test_disease_names_and_abbreviations(shell, secretome):
    rows = secretome("vocab diseases --format json").json()
    ibd = next(r for r in rows if r["name"] == "inflammatory bowel disease")
    abbreviation = next(a for a in ibd["aliases"] if a.isupper())
    assert abbreviation in complete(shell, f"secretome search --disease {abbreviation[:2]}")
    assert "inflammatory bowel disease" in complete(shell, "secretome search --disease infl")


@pytest.mark.parametrize(
    ("flag", "vocabulary"),
    [
        ("--factor", "factors"),
        ("--target", "factors"),
        ("--pathway", "pathways"),
        ("--tissue", "tissues"),
        ("--factor-class", "factor-classes"),
        ("--model", "systems"),
    ],
)
def test_every_filter_flag_completes_its_vocabulary(flag, vocabulary, secretome):
    rows = secretome(f"vocab {vocabulary} --format json").json()
    for row in rows[:5]:
        word = row["name"].split(" ")[0]
        candidates = complete("fish", f"secretome export {flag} {word[:3]}")
        assert row["name"] in candidates, (flag, row["name"])
        for alias in row.get("aliases", [])[:2]:
            assert alias in complete("fish", f"secretome export {flag} {alias[:3]}")


@pytest.mark.parametrize("shell", SHELLS)
def test_format_names(shell):
    assert complete(shell, "secretome diff --format ") == ["text", "markdown", "json"]
    assert complete(shell, "secretome conflicts --format t") == ["table", "tsv"]


def test_the_records_option_typed_before_is_used(tmp_path):
    assert complete("bash", f"secretome show --records {tmp_path / 'none'} lung-") == []


def test_commands_complete(secretome):
    names = complete("bash", "secretome ")
    assert {"diff", "conflicts", "new", "validate", "search"} <= set(names)


@pytest.mark.parametrize("shell", SHELLS)
def test_any_case_completes_what_was_typed(shell, secretome):
    rows = secretome("vocab tissues --format json").json()
    name = next(r["name"] for r in rows if r["name"][0].isupper())
    typed = name[:2].lower()
    assert typed + name[2:] in complete(shell, f"secretome search --tissue {typed}")
    found = secretome("search", "--tissue", typed + name[2:], "--format", "json")
    assert found.ids() == secretome("search", "--tissue", name, "--format", "json").ids()
