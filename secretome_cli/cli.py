"""The command-line interface: flags in, a core call, a renderer out.

Each command turns its flags into arguments, calls a core function that returns data, and
hands the result to a renderer. Heavy modules (PyYAML, pydantic, Rich tables, RapidFuzz) are
imported inside the commands that need them, so `secretome --help` and shell completion
start fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .constants import EXIT_ERROR, EXIT_NO_MATCH, EXIT_OK, EXIT_PROBLEMS
from .problems import RecordsError

app = typer.Typer(
    name="secretome",
    help="Evidence lookup for the therapeutic secretome of umbilical-cord and other "
    "post-partum mesenchymal stem cells: factors, diseases, targets, pathways, models "
    "and citations.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RecordsOption = Annotated[
    Path | None,
    typer.Option(
        "--records",
        help="Record set directory to use (default: $SECRETOME_RECORDS, else the bundled set).",
        show_default=False,
    ),
]


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print a one-line error on stderr and exit."""
    typer.echo(f"secretome: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if not value:
        return
    from .loading import locate
    from .stats import describe_set

    try:
        info = describe_set(locate(None))
        typer.echo(f"secretome {__version__} (dataset {info.version}, {info.records} records)")
    except RecordsError as exc:
        typer.echo(f"secretome {__version__} (no records: {exc})")
    raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Print the tool version, dataset version and record count."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something goes wrong.")
    ] = False,
) -> None:
    """Evidence lookup for the post-partum MSC secretome."""
    if debug:
        os.environ["SECRETOME_DEBUG"] = "1"


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Record files or directories (default: the whole record set).",
                       show_default=False),
    ] = None,
    records: RecordsOption = None,
    output: Annotated[
        ValidateFormat | None,
        typer.Option("--format", "-f", help="text, json or github (default: github when "
                     "GITHUB_ACTIONS=true, else text).", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check record files: every problem at once, as file:line:col. Exit 0 clean, 1 problems,
    2 could not run."""
    from .loading import locate
    from .report import REPORTERS, Summary, failed
    from .validation import check, check_paths

    try:
        root = locate(records)
        results = check_paths(paths, root) if paths else [check(root)]
    except RecordsError as exc:
        fail(str(exc))
    problems = sorted(p for r in results for p in r.problems)
    summary = Summary(
        records=sum(r.record_files for r in results),
        valid=sum(len(r.records) for r in results),
        files=len({p.file for p in problems}),
        strict=strict,
    )
    chosen = output.value if output else (
        "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")  # fmt: skip
    sys.stdout.write(REPORTERS[chosen]().render(problems, summary))
    raise typer.Exit(EXIT_PROBLEMS if failed(problems, strict) else EXIT_OK)


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files to format (default: every file of the record set).",
                       show_default=False),
    ] = None,
    records: RecordsOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite record set files into their one canonical form (key order, style, sorting)."""
    from .canonical import format_files
    from .loading import Layout, display, locate
    from .validation import set_root

    try:
        root = locate(records)
    except RecordsError as exc:
        fail(str(exc))
    targets = paths or [*Layout(root).data_files(), *Layout(root).record_files()]
    layout = Layout(root)
    for path in paths or []:
        if not path.is_file():
            fail(f"no such file: {path}")
        owner = set_root(path)
        if owner is None:
            fail(f"{path} is not inside a record set (no dataset.yaml above it)")
        layout = Layout(owner)
    result = format_files(layout, targets, check)
    for problem in result.problems:
        typer.echo(f"{problem.location()}: cannot format: {problem.rule}: {problem.message}",
                   err=True)
    verb = "would reformat" if check else "reformatted"
    for path in result.changed:
        typer.echo(f"{verb} {display(path)}")
    typer.echo(f"{len(result.changed)} file{'s' * (len(result.changed) != 1)} {verb}, "
               f"{result.unchanged} already canonical", err=True)  # fmt: skip
    if result.problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PROBLEMS if check and result.changed else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an evidence record, generated from the record model."""
    from .schema import record_schema_text

    sys.stdout.write(record_schema_text())


def main() -> None:
    """Console-script entry point: run the app; turn broken pipes and crashes into one line."""
    try:
        app()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except KeyboardInterrupt:
        typer.echo("secretome: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("SECRETOME_DEBUG"):
            raise
        typer.echo(f"secretome: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for a traceback)", err=True)  # fmt: skip
        sys.exit(EXIT_ERROR)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head -1`): stop quietly, as grep does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)


__all__ = ["EXIT_NO_MATCH", "app", "main"]
