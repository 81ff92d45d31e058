"""What several commands share: the environment they write to, the record-set option, the
query filters, `--format` choices taken from a renderer registry, and the one-line error.

The filters are declared once here (`FILTER_OPTIONS`, by the field each filters on) and
given to a command by `@filter_options`; the command receives them as one `Filters`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer._types import TyperChoice

from secretome_cli.cli import completion
from secretome_cli.constants import EXIT_ERROR
from secretome_cli.environment import Environment
from secretome_cli.model.fields import FILTERS

if TYPE_CHECKING:
    from secretome_cli.search.rank import Filters

F = TypeVar("F", bound=Callable[..., Any])


_WRITING_TO: ContextVar[Environment | None] = ContextVar("writing_to", default=None)


@contextlib.contextmanager
def writing_to(streams: Environment) -> Iterator[None]:
    """While inside, commands write to `streams`: the environment `cli/app.py: run` was
    handed, or the buffers of an early answer (`launch.py`)."""
    token = _WRITING_TO.set(streams)
    try:
        yield
    finally:
        _WRITING_TO.reset(token)


def env() -> Environment:
    """The environment the running command writes to (see `writing_to`); the process's
    for a command run without one (Typer's own test runner)."""
    return _WRITING_TO.get() or Environment.of_process()


def say(line: str) -> None:
    """Write one line to the running command's stderr."""
    env().say(line)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print a one-line error on stderr and exit."""
    say(f"secretome: error: {message}")
    raise typer.Exit(code)


RecordsOption = Annotated[
    Path | None,
    typer.Option(
        "--records",
        help="Record set directory to use (default: $SECRETOME_RECORDS, else ./records or the "
        "set the current folder lies in, else the bundled set).",
        show_default=False,
    ),
]

RawCellsOption = Annotated[
    bool,
    typer.Option(
        "--raw-cells",
        help="csv/tsv: write every cell exactly, without the ' put before a cell starting "
        "with = + - @ (what a spreadsheet would run as a formula).",
    ),
]


def registry_at(where: str) -> Any:
    """The registry (or tuple of names) at `where`, 'package.module:NAME'."""
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


class Formats(TyperChoice[str]):
    """The names of a registry (`module:NAME`), as the choices of an option. The module is
    imported when the choices are first needed (a value to check, help to show), so commands
    that do not ask import no renderer. (TyperChoice is the type Typer gives an Enum option,
    in every Typer this project allows: the same help and the same error messages.)"""

    def __init__(self, where: str) -> None:
        self.where = where
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(registry_at(self.where))


def registry_option(*decls: str, where: str, help: str, show_default: bool = True) -> Any:
    """An option whose choices are the keys of the registry at `where` (see `Formats`)."""
    return typer.Option(*decls, click_type=Formats(where), help=help, show_default=show_default)


def format_option(where: str, help: str, show_default: bool = True) -> Any:
    """The `--format/-f` option of a command whose formats are the registry at `where`."""
    return registry_option("--format", "-f", where=where, help=help, show_default=show_default)


TABLE_OR_TSV = "table on a terminal, else tsv"
"""The default format of a command whose answer is a table: for the eyes on a terminal, for
programs (one row a line) anywhere else."""


def output_options(
    where: str,
    default: str | Callable[[], str] | None = None,
    json: str | None = "json",
    default_help: str | None = None,
    pager: bool = False,
) -> Callable[[F], F]:
    """Give a command its output options in place of its `output: str` parameter:
    `--format/-f` (choices: the registry at `where`) and, when `json` names one of them,
    `--json`, the same as `--format JSON`. The command receives the name chosen: the
    `--format` given, else `json` for `--json`, else `default` (a name, or a function that
    gives one; `default_help` says which), else (None) table on a terminal and tsv
    elsewhere. With `pager` (a command that draws tables), `--no-pager` too."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    shown = default_help or (default if isinstance(default, str) else TABLE_OR_TSV)
    format_param = inspect.Parameter(
        "output",
        keyword,
        default=None,
        annotation=Annotated[
            str | None, format_option(where, f"Output format (default: {shown}).", False)
        ],
    )
    json_param = inspect.Parameter(
        "as_json",
        keyword,
        default=False,
        annotation=Annotated[bool, typer.Option("--json", help=f"Same as --format {json}.")],
    )

    pager_param = inspect.Parameter(
        "no_pager",
        keyword,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--no-pager", help="Never page a long table ($SECRETOME_PAGER, $PAGER, less)."
            ),
        ],
    )

    def decorate(command: F) -> F:
        params = []
        for param in inspect.signature(command).parameters.values():
            if param.name == "output":
                params += [format_param, *([json_param] if json else [])]
                params += [pager_param] if pager else []
                continue
            annotation = param.annotation
            if isinstance(annotation, str):  # `from __future__ import annotations`
                annotation = eval(annotation, command.__globals__)
            params.append(param.replace(kind=keyword, annotation=annotation))

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            from secretome_cli.cli import pager as paging
            from secretome_cli.cli.terminal import stdout_is_terminal

            given, as_json = kwargs.pop("output"), kwargs.pop("as_json", False)
            paging.wanted.set(not kwargs.pop("no_pager", False))
            if given is not None and as_json and given != json:
                fail(f"--json and --format {given} ask for two formats; give one")
            chosen = given or (json if as_json else None)
            if chosen is None and default is not None:
                chosen = default if isinstance(default, str) else default()
            if chosen is None:
                chosen = "table" if stdout_is_terminal(env()) else "tsv"
            return command(**kwargs, output=chosen)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper  # type: ignore[return-value]

    return decorate


MAX_QUERY = 500
"""Longest query read, in characters."""


def check_text(text: str, what: str) -> None:
    """Fail on an empty, over-long or control-character query or filter value."""
    if not text.strip():
        fail(f"{what} is empty")
    if len(text) > MAX_QUERY:
        fail(f"{what} is too long ({len(text):,} characters; the limit is {MAX_QUERY})")
    if any(ord(c) < 32 and c not in "\t" for c in text):
        fail(f"{what} contains control characters")


def _filter(flag: str, help: str, *short: str) -> Any:
    complete = completion.VALUES[flag.removeprefix("--").replace("-", "_")]
    return Annotated[
        list[str] | None,
        typer.Option(flag, *short, help=help, show_default=False, autocompletion=complete),
    ]


FILTER_OPTIONS: dict[str, Any] = {
    name: _filter(
        "--" + name.replace("_", "-"),
        field.filter_help,
        *([field.filter_short] if field.filter_short else []),
    )
    for name, field in FILTERS.items()
}
"""The filter options, by the field each filters on (the names `Filters` takes), from the
field registry."""

FLAGS = {name: "--" + name.replace("_", "-") for name in FILTER_OPTIONS}
"""The flag of each filter, as messages name it ('--factor-class IBD')."""


def filter_options(command: F) -> F:
    """Give a command the filter options in place of its keyword-only `filters` parameter,
    which receives them as one `Filters`."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = []
    for param in inspect.signature(command).parameters.values():
        if param.name == "filters":
            params += [
                inspect.Parameter(name, keyword, default=None, annotation=option)
                for name, option in FILTER_OPTIONS.items()
            ]
        else:
            annotation = param.annotation
            if isinstance(annotation, str):  # `from __future__ import annotations`
                annotation = eval(annotation, command.__globals__)
            params.append(param.replace(kind=keyword, annotation=annotation))

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        from secretome_cli.search.rank import Filters

        given = {name: kwargs.pop(name) or [] for name in FILTER_OPTIONS}
        return command(**kwargs, filters=Filters(**given, labels=FLAGS))

    wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]


def check_query(query: str | None, filters: Filters) -> None:
    """Fail on a bad query or filter value (see `check_text`)."""
    if query is not None:
        check_text(query, "query")
    for name, values in filters.items():
        for value in values:
            check_text(value, f"{filters.labels.get(name, name)} value")


BroadOption = Annotated[
    bool,
    typer.Option(
        "--broad",
        help="Also show the related records, after the answer and marked as related: those "
        "matching part of the question but not its subject (the tissue, the fraction, a "
        "broader disease), or, when no record names the subject, those matching the rest.",
    ),
]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Only the records matching every part of the question."),
]


def breadth(broad: bool, every: bool) -> str:
    """The breadth of a search from --broad and --all (see `api.search`)."""
    if broad and every:
        fail("--broad and --all exclude each other")
    return "broad" if broad else ("all" if every else "answer")
