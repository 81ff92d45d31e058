"""`secretome cache`: what the index cache holds, and emptying it; and the command group that
rebuilds a damaged cache file once when a query meets it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from secretome_cli.constants import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from secretome_cli.index.cachefiles import Entry

cache_app = typer.Typer(
    name="cache",
    help="The index cache: what it holds (info) and emptying it (clear).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class InfoFormat(StrEnum):
    table = "table"
    json = "json"


@cache_app.command()
def info(
    output: Annotated[
        InfoFormat, typer.Option("--format", "-f", help="table or json.")
    ] = InfoFormat.table,
) -> None:
    """List the index files of the cache: record set, records, index format, size, when
    built, and whether it is current."""
    import json

    from secretome_cli.index.cache import cache_dir
    from secretome_cli.index.cachefiles import entries

    directory = cache_dir()
    found = entries(directory)
    if output is InfoFormat.json:
        other = _record_set_in_use()
        data = {
            "directory": str(directory),
            "record_set": None if other is None else str(other),
            "size": sum(e.size for e in found),
            "indexes": [_entry_json(e) for e in found],
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        raise typer.Exit(EXIT_OK)
    total = sum(e.size for e in found)
    typer.echo(f"{directory}: {_count(len(found))}, {_megabytes(total)}")
    other = _record_set_in_use()
    if other is not None:
        typer.echo(f"record set in use here: {other}")
    if found:
        _table(found)
    raise typer.Exit(EXIT_OK)


@cache_app.command()
def clear() -> None:
    """Remove every index file from the cache (each is built again when next needed)."""
    from secretome_cli.index.cachefiles import clear as clear_cache

    cleared = clear_cache()
    typer.echo(f"removed {_count(cleared.files)} ({_megabytes(cleared.size)})")
    raise typer.Exit(EXIT_OK)


def _record_set_in_use() -> Path | None:
    """The record set a command run here would use, when it is not the bundled one."""
    from secretome_cli.files.layout import locate, other_than_bundled
    from secretome_cli.model.problems import RecordsError

    try:
        return other_than_bundled(locate(None))
    except RecordsError:
        return None


def _count(files: int) -> str:
    return f"{files} index file{'s' * (files != 1)}"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "file": str(entry.path),
        "record_set": entry.record_set,
        "records": entry.records,
        "format": entry.format,
        "size": entry.size,
        "built": entry.built,
        "updated": entry.updated,
        "state": entry.state,
    }


def _table(found: Sequence[Entry]) -> None:
    from rich.console import Console
    from rich.table import Table

    from secretome_cli.files.layout import display

    table = Table(box=None, pad_edge=False)
    for column in ("record set", "records", "format", "size", "built (UTC)", "state"):
        table.add_column(column, justify="right" if column in {"records", "size"} else "left")
    for entry in found:
        when = (entry.built or "")[:16].replace("T", " ")
        table.add_row(
            display(Path(entry.record_set)) if entry.record_set else entry.path.name,
            "" if entry.records is None else f"{entry.records:,}",
            "" if entry.format is None else str(entry.format),
            _megabytes(entry.size),
            when,
            entry.state,
        )
    Console(highlight=False, soft_wrap=True).print(table)


# --- a damaged cache file met by a query ----------------------------------------------------


class HealingGroup(TyperGroup):
    """Runs a command again, once, after it met a damaged index cache file (an SQLite error
    reading a page): the file is deleted, so the second run builds it anew. Every command
    reads what it needs from the index before it writes to stdout, so nothing is printed
    twice but the notes on stderr."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not hasattr(command, "commands"):  # a command, not a group
            run = command.invoke

            def invoke(sub_ctx: Any) -> Any:
                try:
                    return _healing(run, sub_ctx)
                except BrokenPipeError:  # before Typer, which would exit 1
                    quiet_broken_pipe()

            command.invoke = invoke  # type: ignore[method-assign,assignment]  # this object only
        return name, command, rest


def quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head -1`): stop quietly with exit 0, as the output was taken
    as far as it was wanted (stdout now goes nowhere, so the final flush cannot fail)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)


def _healing(run: Any, ctx: Any) -> Any:
    store = sys.modules.get("secretome_cli.index.store")
    if store is not None:  # an earlier command of this process (in tests) opened others
        store.forget_opened()
    try:
        return run(ctx)
    except Exception as exc:
        sqlite3 = sys.modules.get("sqlite3")
        if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
            raise
        from secretome_cli.index.cache import damaged_message
        from secretome_cli.index.store import damaged_note, discard_opened, environmental

        if environmental(exc):
            raise
        discarded = discard_opened()
        if not discarded:
            raise
        for path in discarded:
            typer.echo(f"secretome: note: {damaged_note(path, exc)}", err=True)
        try:
            return run(ctx)
        except Exception as again:
            if not isinstance(again, sqlite3.DatabaseError):
                raise
            typer.echo(f"secretome: error: {damaged_message(discarded[0], again)}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
