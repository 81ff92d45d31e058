"""The conventions of gh, ripgrep, git and httpie: -V, examples in --help, `help COMMAND`,
`--format ids` and `-` for standard input, `diff REV` answered with `--git REV`, the value that
means the same suggested first, every problem of a file in one run, and a pre-commit
configuration that works when pasted."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import RECORDS, ROOT, Run
from typer.testing import CliRunner

from secretome_cli.cli.app import app, narrowed
from secretome_cli.cli.help import EXAMPLES

LUNG = "lung-cancer-mir-320a-sox4-wnt"


def piped(command: str, stdin: str) -> Run:
    """`secretome COMMAND` with `stdin` on its standard input."""
    argv = shlex.split(command)
    result = CliRunner().invoke(narrowed(argv), argv, input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def test_dash_capital_v_is_version(secretome: Callable[..., Run]) -> None:
    assert secretome("-V").stdout == secretome("--version").stdout
    assert secretome("-V").stdout.startswith("secretome ")


def _commands() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    for group in app.registered_groups:
        sub = group.typer_instance
        assert sub is not None
        names += [
            f"{sub.info.name} {c.name or c.callback.__name__}"
            for c in sub.registered_commands
            if c.callback
        ]
    return names


def test_every_command_has_examples_that_name_it(secretome: Callable[..., Run]) -> None:
    commands = _commands()
    assert sorted(EXAMPLES) == sorted(commands)
    for command in commands:
        run = secretome(*command.split(), "--help")
        assert run.code == 0
        assert "Examples:" in run.stdout, command
        shown = re.findall(r"^\s+\$ (.*)$", run.stdout, re.MULTILINE)
        assert shown == [line for _, line in EXAMPLES[command]]
        for line in shown:  # the command, maybe after another one it reads from
            steps = [" ".join(step.split()) for step in line.split("|")]
            assert any(step.startswith(f"secretome {command}") for step in steps), line


def test_help_command_is_the_help_option(secretome: Callable[..., Run]) -> None:
    assert secretome("help search").stdout == secretome("search --help").stdout
    assert secretome("help cache info").stdout == secretome("cache info --help").stdout
    assert "Commands:" in secretome("help").stdout
    wrong = secretome("help serch")
    assert wrong.code == 2
    assert wrong.stderr == (
        "secretome: error: no command 'serch' (see 'secretome --help'); did you mean 'search'?\n"
    )


def test_format_ids_feeds_show_and_cite(secretome: Callable[..., Run]) -> None:
    found = secretome("search colitis --format ids")
    ids = found.stdout.splitlines()
    assert found.code == 0 and ids
    assert ids == [doc["id"] for doc in secretome("search colitis --json").json()]
    exported = secretome("export colitis -f ids").stdout.splitlines()
    assert sorted(exported) == sorted(ids)
    shown = piped("show - --format json", found.stdout)
    assert shown.code == 0
    assert [doc["id"] for doc in shown.json()] == ids
    cited = piped("cite - --format csl-json", found.stdout)
    with_ids = secretome("cite", *(a for i in ids for a in ("--id", i)), "--format", "csl-json")
    assert cited.code == 0
    assert cited.stdout == with_ids.stdout


def test_show_reads_the_ids_of_search_tsv(secretome: Callable[..., Run]) -> None:
    tsv = secretome("search colitis --format tsv").stdout
    shown = piped("show - --format json", tsv)
    assert [doc["id"] for doc in shown.json()] == [
        line.split("\t")[0] for line in tsv.splitlines()[1:]
    ]


def test_show_with_nothing_on_standard_input_finds_nothing() -> None:
    run = piped("show -", "")
    assert (run.code, run.stderr) == (1, "secretome: no record ids on standard input\n")


def test_validate_reads_a_record_from_standard_input() -> None:
    text = (RECORDS / "evidence" / f"{LUNG}.yaml").read_text(encoding="utf-8")
    clean = piped("validate -", text)
    assert clean.code == 0, clean.stdout
    assert clean.stdout == "ok: 1 record checked, no problems\n"
    broken = piped("validate -q -", text.replace("\nclaim:", "\nclaimx:", 1))
    assert broken.code == 1
    assert all(line.startswith("-:") for line in broken.stdout.splitlines())
    assert "unknown field 'claimx'" in broken.stdout


def test_fmt_reads_a_record_from_standard_input() -> None:
    text = (RECORDS / "evidence" / f"{LUNG}.yaml").read_text(encoding="utf-8")
    assert piped("fmt --check -", text).code == 0
    untidy = text.replace("\ntopic: ", "\ntopic:   ", 1)
    check = piped("fmt --check -", untidy)
    assert (check.code, check.stdout) == (1, "would reformat -\n")
    assert piped("fmt -", untidy).stdout == text


def test_diff_of_a_revision_suggests_git(
    secretome: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RECORDS, tmp_path / "records")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "records"]):
        subprocess.run(
            ["git", "-c", "user.name=c", "-c", "user.email=c@example.org", *args],
            cwd=tmp_path,
            check=True,
        )
    monkeypatch.chdir(tmp_path)
    run = secretome("diff HEAD")
    assert run.code == 2
    assert run.stderr == (
        "secretome: error: no directory 'HEAD'; to compare with git revision HEAD, use --git HEAD\n"
    )
    assert "use --git" not in secretome("diff no-such-thing").stderr


def test_a_value_is_suggested_by_its_meaning_first() -> None:
    text = (RECORDS / "evidence" / f"{LUNG}.yaml").read_text(encoding="utf-8")
    assert "  change: up\n" in text
    run = piped("validate -q -", text.replace("  change: up\n", "  change: increased\n", 1))
    assert "'increased' is not allowed; did you mean 'up'" in run.stdout


def test_terms_of_a_misspelt_field_are_checked_in_the_same_run() -> None:
    text = (RECORDS / "evidence" / f"{LUNG}.yaml").read_text(encoding="utf-8")
    assert "\nfactors:\n- name: miR-320a\n" in text
    broken = text.replace("\nfactors:\n- name: miR-320a\n", "\nfactorz:\n- name: NF-kB\n")
    broken = broken.replace("  change: up\n", "  change: increased\n", 1)
    lines = piped("validate -q -", broken).stdout.splitlines()
    assert any("unknown field 'factorz'; did you mean 'factors'?" in line for line in lines)
    assert any("factorz.0.name: 'NF-kB'" in line for line in lines)
    assert any(
        "factorz.0.change: 'increased' is not allowed; did you mean 'up'" in x for x in lines
    )


def test_the_pre_commit_configuration_in_the_docs_works_when_pasted() -> None:
    page = (ROOT / "docs" / "terminal.md").read_text(encoding="utf-8")
    block = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = yaml.safe_load(block)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    published = {
        hook["id"]: hook
        for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert [hook["id"] for hook in repo["hooks"]] == list(published)
    for hook in repo["hooks"]:
        assert hook["language"] == "system"  # the secretome on PATH, nothing to fetch
        for key in ("name", "entry", "args", "files", "pass_filenames", "require_serial"):
            assert hook.get(key) == published[hook["id"]].get(key), (hook["id"], key)
