"""Commands on the record files themselves: `validate` (check them), `fmt` (rewrite them in
their canonical form) and `schema` (the JSON Schema of a record). Added to the app by
`register`, which the package calls on import (see `secretome_cli/cli/__init__.py`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from secretome_cli.cli.app import VALIDATE_FORMATS, _write
from secretome_cli.cli.options import RecordsOption, env, fail, format_option, say
from secretome_cli.constants import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from secretome_cli.model.problems import RecordsError


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or directories (default: the whole record set).", show_default=False
        ),
    ] = None,
    records: RecordsOption = None,
    output: Annotated[
        str | None,
        format_option(
            VALIDATE_FORMATS,
            "text, json or github (default: github when GITHUB_ACTIONS=true, else text).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Also check the history since git revision REV: changed records have a "
            "higher revision and a new changelog entry, the dataset version rises.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check record files: every problem at once, as file:line:col. Exit 0 clean, 1 problems,
    2 could not run."""
    from secretome_cli import api

    try:
        report = api.validate(paths or (), records, strict, since)
    except RecordsError as exc:
        fail(str(exc))
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = output or ("github" if github else "text")
    _write(VALIDATE_FORMATS, chosen, report)
    raise typer.Exit(EXIT_PROBLEMS if report.failed else EXIT_OK)


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to format (default: every file of the record set).", show_default=False
        ),
    ] = None,
    records: RecordsOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite record set files into their one canonical form (key order, style, sorting)."""
    from secretome_cli import api
    from secretome_cli.files.layout import display
    from secretome_cli.model.characters import escape

    try:
        result = api.format_files(paths or (), records, check)
    except RecordsError as exc:
        fail(str(exc))
    for problem in result.problems:
        say(
            f"{escape(problem.file)}:{problem.line}:{problem.column}: cannot format: "
            f"{problem.rule}: {problem.message}"
        )
    verb = "would be reformatted" if check else "reformatted"
    for path in result.changed:
        env().echo(f"{'would reformat' if check else 'reformatted'} {escape(display(path))}")
    say(
        f"{len(result.changed)} file{'s' * (len(result.changed) != 1)} {verb}, "
        f"{result.unchanged} already canonical"
    )
    if result.problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PROBLEMS if check and result.changed else EXIT_OK)


def schema() -> None:
    """Print the JSON Schema of an evidence record, generated from the record model."""
    from secretome_cli.model.schema import record_schema_text

    env().stdout.write(record_schema_text())


def register(app: typer.Typer) -> None:
    """Add the file commands to `app`, in the order help lists them."""
    for command in (validate, fmt, schema):
        app.command()(command)
