"""The command-line interface: flags in, a core call, a renderer out.

Each command turns its flags into arguments, calls one function of the core API
(`secretome_cli.api`), and hands the result to a renderer chosen by `--format` from a registry
of `output/`; what goes to stderr (notes, "no records match", "did you mean") is written here
and in `answers.py`, which the other commands' modules share with this one.
Heavy modules (PyYAML, pydantic, Rich tables, RapidFuzz) are imported inside the commands that
need them, so `secretome --help` and shell completion start fast.
"""

# Annotations here are objects, not strings (no `from __future__ import annotations`): Typer
# reads the signatures of the commands each time it builds them, and compiles each annotation
# that is a string (the app's callback several times a run).
import copy
import functools
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.models import DefaultPlaceholder

from secretome_cli import __version__
from secretome_cli.argv import command_of
from secretome_cli.cli import completion
from secretome_cli.cli.answers import (
    GROUP_FORMATS,
    GROUP_KINDS,
    SEARCH_FORMATS,
    SHOW_FORMATS,
    _open,
    _report_missing,
    _report_nothing,
    _searching,
    _write,
)
from secretome_cli.cli.cache import HealingGroup, cache_app, quiet_broken_pipe
from secretome_cli.cli.help import add_examples
from secretome_cli.cli.options import (
    AllOption,
    BroadOption,
    RawCellsOption,
    RecordsOption,
    breadth,
    check_query,
    env,
    fail,
    filter_options,
    output_options,
    registry_option,
    say,
    writing_to,
)
from secretome_cli.constants import EXIT_ERROR, EXIT_NO_MATCH, EXIT_OK
from secretome_cli.environment import Environment
from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.api import RecordSet
    from secretome_cli.search.rank import Filters, Outcome

root = typer.Typer(
    name="secretome",
    help="Evidence lookup for the therapeutic secretome of umbilical-cord and other "
    "post-partum mesenchymal stem cells: factors, diseases, targets, pathways, models "
    "and citations.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=HealingGroup,
)
"""The app, holding at first the commands of this module (`search`, `show`) and `cache`;
`whole` adds every other command to it. Import `app` for the whole app."""
root.add_typer(cache_app)


def _version(value: bool) -> None:
    if not value:
        return
    from secretome_cli import api
    from secretome_cli.files.layout import other_than_bundled

    try:
        info = api.describe()
        other = other_than_bundled(api.locate())
        where = f", record set {other}" if other is not None else ""
        env().echo(
            f"secretome {__version__} (dataset {info.version}, {info.records} records{where})"
        )
    except RecordsError as exc:
        env().echo(f"secretome {__version__} (no records: {exc})")
    raise typer.Exit(EXIT_OK)


@root.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the tool version, dataset version and record count.",
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something goes wrong.")
    ] = False,
) -> None:
    """Evidence lookup for the post-partum MSC secretome."""
    if debug:
        os.environ["SECRETOME_DEBUG"] = "1"


QueryArgument = Annotated[
    str | None,
    typer.Argument(
        help="What to look for, in your own words: "
        "'which miRNAs act on colitis', 'TGF beta', 'Qiu 2020'.",
        show_default=False,
    ),
]


@root.command()
@output_options(SEARCH_FORMATS, pager=True)
@filter_options
def search(
    query: QueryArgument = None,
    *,
    filters: "Filters",
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Show at most N results.", show_default=False),
    ] = None,
    output: str = "",  # the format chosen (`output_options`)
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show how the query was read (each part's weight, and why it is or is not the "
            "subject) and why each result matched.",
        ),
    ] = False,
    raw_cells: RawCellsOption = False,
    broad: BroadOption = False,
    every: AllOption = False,
    group_by: Annotated[
        str | None,
        registry_option(
            "--group-by",
            where=GROUP_KINDS,
            help="List the entities of this kind among the answer's records, each with its "
            "directions, record ids and first citation (a table opens with them, then the "
            "records; other formats give one object or row per entity). A 'which …' question "
            "opens its table so without this option.",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
) -> None:
    """Search the evidence: fuzzy, ranked; filters combine with AND. The answer is the records
    about the question's subject (a disease, organ, factor …); when no record names the
    subject, the answer is empty. Exit 0 found, 1 nothing found, 2 error."""

    check_query(query, filters)
    wide = breadth(broad, every)
    if query is None and not filters.items():
        fail(
            "nothing to search for: give a QUERY or a filter (`secretome export` lists every "
            "record)"
        )

    _answer_search(
        _open(records), query, filters, limit, output, explain, wide, group_by, raw_cells
    )


def _answer_search(
    opened: "RecordSet",
    query: str | None,
    filters: "Filters",
    limit: int | None,
    chosen: str,
    explain: bool,
    wide: str = "answer",
    group_by: str | None = None,
    raw_cells: bool = False,
) -> None:
    """Search, write the results in the format `chosen` and end with the exit code."""
    from secretome_cli import api

    outcome = _searching(api.search, opened, query, filters, limit, wide)
    _report_reading(outcome, explain)
    if group_by is not None or chosen == "table":  # the JSON of a search imports no more
        from secretome_cli.search.groups import asked_kind, group

        kind = group_by or asked_kind(query)
    else:
        kind = None
    if kind is not None and chosen != "ids":  # ids: the records' ids alone, for a pipe
        entities = group((r.doc for r in outcome.results if not r.related), kind)
        _write(GROUP_FORMATS, chosen, entities)
        if group_by is not None and chosen != "table":
            raise typer.Exit(EXIT_OK if entities else EXIT_NO_MATCH)
    results: list[Any] = (
        list(outcome.results)
        if chosen in {"json", "jsonl"}
        else [r.as_dict() for r in outcome.results]
    )
    table = {"total": outcome.total} if chosen == "table" else {}  # its last line counts
    if results or chosen != "table":
        _write(
            SEARCH_FORMATS,
            chosen,
            results,
            explain=explain,
            broad=wide == "broad",
            raw_cells=raw_cells,
            **table,
        )
    if not results:
        _report_nothing(query, filters, outcome)
        raise typer.Exit(EXIT_NO_MATCH)
    raise typer.Exit(EXIT_OK)


def _default_format() -> str:
    return "table" if env().stdout_isatty else "tsv"


def _report_reading(outcome: "Outcome", explain: bool) -> None:
    for note in outcome.notes:
        say(f"secretome: note: {note}")
    for reading in outcome.readings:
        if reading.expanded and not explain:
            say(f"secretome: note: '{reading.text}' includes {_some(reading.expanded)}")
    if not explain:
        return
    say("query read as:")
    for reading in outcome.readings:
        line = f"  {reading.text} → {reading.read_as} [{reading.how}]"
        if reading.expanded:
            line += f"; includes {', '.join(reading.expanded)}"
        if reading.weight is not None:
            role = "subject" if reading.subject else "not the subject"
            line += f"\n      weight {reading.weight:.2f}; {role}: {reading.why}"
        say(line)
    if outcome.ignored:
        say(f"  ignored: {', '.join(outcome.ignored)}")


def _some(names: list[str], shown: int = 5) -> str:
    """'a, b, c' or 'a, b, c, d, e and 9 more'."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


@root.command()
@output_options(SHOW_FORMATS, default="text")
def show(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Record ids; - reads them from standard input, one a line.",
            show_default=False,
            autocompletion=completion.record_ids,
        ),
    ],
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """Show records in full: claim, mechanism, factors, targets, pathways, model, provenance,
    notes and citations with DOIs. Exit 1 if an id is unknown."""
    from secretome_cli import api
    from secretome_cli.cli.stdin import expand_ids

    ids = expand_ids(ids)
    if not ids:
        say("secretome: no record ids on standard input")
        raise typer.Exit(EXIT_NO_MATCH)
    selection = api.show(_open(records), ids)
    _write(SHOW_FORMATS, output, selection.docs)
    if selection.missing:
        _report_missing(selection.missing)
        raise typer.Exit(EXIT_NO_MATCH)
    raise typer.Exit(EXIT_OK)


add_examples(root)  # of search, show and the cache commands (`cli/commands.py`: the rest)


@functools.cache
def whole() -> typer.Typer:
    """The app with every command: `root` once `cli/commands.py` has added the commands of
    the other modules to it (once: this is cached)."""
    from secretome_cli.cli.commands import add_every_command

    add_every_command(root)
    return root


app: typer.Typer
"""The whole app (`whole`), made when first imported (`__getattr__`, PEP 562): the command
line itself asks for no more of it than it runs (`narrowed`)."""


def __getattr__(name: str) -> typer.Typer:
    """`app` (above), made when first asked for."""
    if name == "app":
        return whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(args: list[str], env: Environment, prog_name: str | None = None) -> int:
    """Run the command line `args`, writing to `env`; its exit code. Usage errors, broken
    pipes and crashes become one line on stderr and a documented exit code. (`prog_name`:
    the name usage errors give the program, else Click's guess from `sys.argv`.)"""
    _unicode_or_escapes(env.stdout)
    try:
        with writing_to(env):
            code = narrowed(args)(args, prog_name, standalone_mode=False)
    except BrokenPipeError:
        quiet_broken_pipe(env)
    except KeyboardInterrupt:
        env.say("secretome: interrupted")
        return 130
    except Exception as exc:
        if _usage_error(exc, env):
            return EXIT_ERROR
        if os.environ.get("SECRETOME_DEBUG"):
            raise
        env.say(
            f"secretome: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for a traceback)"
        )
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_OK


def _unicode_or_escapes(stream: Any) -> None:
    """On a stream whose encoding cannot write every character of a record (PYTHONIOENCODING
    set to ASCII or Latin-1), write those it cannot as escapes ('NF-\\u03baB', which JSON
    reads back as 'NF-κB') instead of stopping half way with an error. Search and export
    JSON escape such characters themselves (see output/results.py)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")


def narrowed(args: list[str]) -> typer.Typer:
    """The app to run for the command line `args`: when it names a command (after at most
    the flags of `argv.GROUP_FLAGS`), a copy of the app that holds only that command, else the whole
    app. Typer builds a Click command for every command it holds, each from its signature,
    before it runs one; building one instead of sixteen is what keeps a query's start-up near
    the cost of importing its libraries. What runs, its help and its errors are the same:
    the app's callback, group class and settings are shared, and anything else (no command,
    `--help` before it, a misspelt name, shell completion) gets the whole app."""
    name, _ = command_of(args)
    if name is None or any(n.startswith("_") and n.endswith("_COMPLETE") for n in os.environ):
        return whole()
    commands, groups = _named(name)
    if not commands and not groups:  # not one of this module's: every command is imported
        commands, groups = _named(name, whole())
    if not commands and not groups:
        return whole()
    only = copy.copy(root)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def _named(name: str, app: typer.Typer = root) -> tuple[list[Any], list[Any]]:
    """The commands and the groups of `app` called `name`."""
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if _group_name(g) == name]
    return commands, groups


def _command_name(info: Any) -> str | None:
    if info.name:
        return str(info.name)
    return None if info.callback is None else info.callback.__name__.lower().replace("_", "-")


def _group_name(info: Any) -> str | None:
    name = info.name or info.typer_instance.info.name
    return None if name is None or isinstance(name, DefaultPlaceholder) else str(name)


def _usage_error(exc: Exception, env: Environment) -> bool:
    """Report a command-line usage error (unknown option, bad value) in one line; False when
    `exc` is not one. Asking for nothing (`secretome` alone) shows the help instead."""
    if not (hasattr(exc, "format_message") and hasattr(exc, "ctx")):
        return False
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show(env.stderr)  # type: ignore[attr-defined]
        return True
    ctx = exc.ctx
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    message = str(exc.format_message()).replace("Value error, ", "")
    env.say(f"secretome: error: {message[:1].lower()}{message[1:]}{where}")
    return True


__all__ = ["EXIT_NO_MATCH", "app", "narrowed", "root", "run", "whole"]
