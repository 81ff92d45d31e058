"""`secretome cache`: what the index cache holds, and emptying it; and the command group that
rebuilds a damaged cache file once when a query meets it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from secretome_cli.cli.options import env, fail, output_options, say
from secretome_cli.constants import EXIT_ERROR, EXIT_OK
from secretome_cli.environment import Environment

cache_app = typer.Typer(
    name="cache",
    help="The index cache: what it holds (info) and emptying it (clear).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


CACHE_INFO_FORMATS = "secretome_cli.output.cache_info:CACHE_INFO_RENDERERS"


@cache_app.command()
@output_options(CACHE_INFO_FORMATS, pager=True)
def info(
    output: str = "",  # the format chosen (`output_options`)
) -> None:
    """List the index files of the cache: record set, records, index format, size, when
    built, and whether it is current."""
    from secretome_cli.cli.pager import write
    from secretome_cli.index.cache import cache_dir, entries
    from secretome_cli.output.cache_info import CACHE_INFO_RENDERERS, CacheListing
    from secretome_cli.output.renderer import made

    directory = _trusted(cache_dir())
    listing = CacheListing(directory, entries(directory), _record_set_in_use())
    here = env()
    write(made(CACHE_INFO_RENDERERS[output], here), listing, output == "table", here)
    raise typer.Exit(EXIT_OK)


@cache_app.command()
def clear() -> None:
    """Remove every index file from the cache (each is built again when next needed)."""
    from secretome_cli.index.cache import cache_dir
    from secretome_cli.index.cache import clear as clear_cache
    from secretome_cli.output.cache_info import count_text, megabytes

    cleared = clear_cache(_trusted(cache_dir()))
    env().echo(f"removed {count_text(cleared.files)} ({megabytes(cleared.size)})")
    raise typer.Exit(EXIT_OK)


def _trusted(directory: Path) -> Path:
    """The cache folder, when it is private to this user (else one line and exit 2)."""
    from secretome_cli.index.guard import trusted_dir
    from secretome_cli.model.problems import RecordsError

    try:
        trusted_dir(directory, create=False)
    except RecordsError as exc:
        fail(str(exc))
    return directory


def _record_set_in_use() -> Path | None:
    """The record set a command run here would use, when it is not the bundled one."""
    from secretome_cli.files.layout import locate, other_than_bundled
    from secretome_cli.model.problems import RecordsError

    try:
        return other_than_bundled(locate(None))
    except RecordsError:
        return None


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
                    quiet_broken_pipe(env())

            command.invoke = invoke  # type: ignore[method-assign,assignment]  # this object only
        return name, command, rest


def quiet_broken_pipe(env: Environment) -> NoReturn:
    """The reader went away (`| head -1`): stop quietly with exit 0, as the output was taken
    as far as it was wanted (stdout now goes nowhere, so the final flush cannot fail)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, env.stdout.fileno())
    sys.exit(EXIT_OK)


def _healing(run: Any, ctx: Any) -> Any:
    try:
        return run(ctx)
    except Exception as exc:
        import sqlite3

        if not isinstance(exc, sqlite3.DatabaseError):
            raise
        from pathlib import Path

        from secretome_cli.files.layout import locate
        from secretome_cli.index.cache import damaged_message
        from secretome_cli.index.opening import damaged_note, discard, environmental
        from secretome_cli.model.problems import RecordsError

        if environmental(exc):
            raise
        given = ctx.params.get("records")  # as Click read it: a str (Typer makes it a Path)
        try:
            discarded = discard(locate(None if given is None else Path(given)))
        except RecordsError:
            raise exc from None
        if discarded is None:
            raise
        say(f"secretome: note: {damaged_note(discarded, exc)}")
        try:
            return run(ctx)
        except Exception as again:
            if not isinstance(again, sqlite3.DatabaseError):
                raise
            say(f"secretome: error: {damaged_message(discarded, again)}")
            raise typer.Exit(EXIT_ERROR) from None
