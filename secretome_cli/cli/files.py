"""Commands on the record files themselves: `validate` (check them), `fmt` (rewrite them in
their canonical form) and `schema` (the JSON Schema of a record). Added to the app by
`register`, which `cli/commands.py` calls.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from secretome_cli.cli.answers import VALIDATE_FORMATS, _write
from secretome_cli.cli.options import RecordsOption, env, fail, output_options, say
from secretome_cli.constants import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from secretome_cli.model.problems import RecordsError


def _validate_default() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@output_options(
    VALIDATE_FORMATS,
    default=_validate_default,
    default_help="github when GITHUB_ACTIONS=true, else text",
)
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or directories (default: the whole record set); - reads a "
            "record from standard input.",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
    output: str = "",  # the format chosen (`output_options`)
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List the acknowledged problems too (else only counted)."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print the problems only: no closing line."),
    ] = False,
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
    from secretome_cli.cli.stdin import STDIN, relabel, stdin_file

    try:
        if any(str(p) == STDIN for p in paths or ()):
            with stdin_file() as read:
                given = [read if str(p) == STDIN else p for p in paths or ()]
                report = relabel(api.validate(given, records, strict, since, True), read)
        else:
            report = api.validate(paths or (), records, strict, since)
    except RecordsError as exc:
        fail(str(exc))
    _write(VALIDATE_FORMATS, output, report, verbose=verbose, quiet=quiet)
    raise typer.Exit(EXIT_PROBLEMS if report.failed else EXIT_OK)


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to format (default: every file of the record set); - formats a record "
            "from standard input to standard output.",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print only the files (re)formatted; leave files that cannot be read as "
            "records to `secretome validate` (as its pre-commit hook does).",
        ),
    ] = False,
) -> None:
    """Rewrite record set files into their one canonical form (key order, style, sorting)."""
    from secretome_cli import api
    from secretome_cli.files.layout import display
    from secretome_cli.model.characters import escape

    if any(str(p) == "-" for p in paths or ()):
        _format_stdin(paths or [], check)
    try:
        result = api.format_files(paths or (), records, check)
    except RecordsError as exc:
        fail(str(exc))
    problems = [] if quiet else result.problems
    for problem in problems:
        say(
            f"{escape(problem.file)}:{problem.line}:{problem.column}: cannot format: "
            f"{problem.rule}: {problem.message}"
        )
    verb = "would be reformatted" if check else "reformatted"
    for path in result.changed:
        env().echo(f"{'would reformat' if check else 'reformatted'} {escape(display(path))}")
    if not quiet:
        say(
            f"{len(result.changed)} file{'s' * (len(result.changed) != 1)} {verb}, "
            f"{result.unchanged} already canonical"
        )
    if problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PROBLEMS if check and result.changed else EXIT_OK)


def _format_stdin(paths: list[Path], check: bool) -> None:
    """`fmt -`: the record on standard input in its canonical form on standard output; with
    `--check`, only whether it is canonical (exit 1 when not)."""
    from secretome_cli.cli.stdin import stdin_file
    from secretome_cli.files.canonical import canonical_text
    from secretome_cli.files.loading import read_model
    from secretome_cli.model.record import Record

    if len(paths) != 1:
        fail("- (standard input) is formatted alone, without other files")
    with stdin_file() as path:
        parsed = read_model(path, Record)
        text = path.read_text(encoding="utf-8")
    if parsed.model is None:
        for problem in parsed.problems:
            say(
                f"-:{problem.line}:{problem.column}: cannot format: {problem.rule}: "
                f"{problem.message}"
            )
        raise typer.Exit(EXIT_ERROR)
    canonical = canonical_text(parsed.model)
    if not check:
        env().stdout.write(canonical)
        raise typer.Exit(EXIT_OK)
    if canonical == text.lstrip("\ufeff"):
        raise typer.Exit(EXIT_OK)
    env().echo("would reformat -")
    raise typer.Exit(EXIT_PROBLEMS)


def schema() -> None:
    """Print the JSON Schema of an evidence record, generated from the record model."""
    from secretome_cli.model.schema import record_schema_text

    env().stdout.write(record_schema_text())


def register(app: typer.Typer) -> None:
    """Add the file commands to `app`, in the order help lists them."""
    for command in (validate, fmt, schema):
        app.command()(command)
