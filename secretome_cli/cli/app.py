"""The command-line interface: flags in, a core call, a renderer out.

Each command turns its flags into arguments, calls one function of the core API
(`secretome_cli.api`), and hands the result to a renderer chosen by `--format` from a registry
of `output/`; what goes to stderr (notes, "no records match", "did you mean") is written here.
Heavy modules (PyYAML, pydantic, Rich tables, RapidFuzz) are imported inside the commands that
need them, so `secretome --help` and shell completion start fast.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from typer.models import DefaultPlaceholder

from secretome_cli import __version__
from secretome_cli.argv import command_of
from secretome_cli.cli import completion
from secretome_cli.cli.cache import HealingGroup, cache_app, quiet_broken_pipe
from secretome_cli.cli.early import answered_early
from secretome_cli.cli.options import (
    RecordsOption,
    check_query,
    fail,
    filter_options,
    output_options,
    registry_at,
    registry_option,
)
from secretome_cli.constants import EXIT_ERROR, EXIT_NO_MATCH, EXIT_OK, EXIT_PROBLEMS
from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.api import Missing, RecordSet, Selection
    from secretome_cli.index.scan import Scan
    from secretome_cli.search.rank import Filters, Outcome

P = ParamSpec("P")
T = TypeVar("T")
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
    cls=HealingGroup,
)
app.add_typer(cache_app)

# The registries each command's `--format` (and `--explode`, `--rows`, `--cols`) choose from,
# as `module:NAME`: the module is imported only by the command that uses it.
SEARCH_FORMATS = "secretome_cli.output.results:SEARCH_RENDERERS"
EXPORT_FORMATS = "secretome_cli.output.results:EXPORT_RENDERERS"
EXPLODE = "secretome_cli.output.results:EXPLODE"
SHOW_FORMATS = "secretome_cli.output.results:SHOW_RENDERERS"
VOCAB_FORMATS = "secretome_cli.output.results:VOCAB_RENDERERS"
CITE_FORMATS = "secretome_cli.output.citations:CITATION_FORMATS"
GRAPH_FORMATS = "secretome_cli.output.graph:GRAPH_FORMATS"
STATS_FORMATS = "secretome_cli.output.facet_tables:STATS_RENDERERS"
MATRIX_FORMATS = "secretome_cli.output.facet_tables:MATRIX_RENDERERS"
MATRIX_FACETS = "secretome_cli.summary.facets:MATRIX_FACETS"
VALIDATE_FORMATS = "secretome_cli.output.reporters:REPORTERS"


def _version(value: bool) -> None:
    if not value:
        return
    from secretome_cli import api
    from secretome_cli.files.layout import other_than_bundled

    try:
        info = api.describe()
        other = other_than_bundled(api.locate())
        where = f", record set {other}" if other is not None else ""
        typer.echo(
            f"secretome {__version__} (dataset {info.version}, {info.records} records{where})"
        )
    except RecordsError as exc:
        typer.echo(f"secretome {__version__} (no records: {exc})")
    raise typer.Exit(EXIT_OK)


@app.callback()
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


def _open(records: Path | None) -> RecordSet:
    """The record set, its index built with a progress bar when that takes a while; a
    warning when invalid record files were left out."""
    return _say_opened(_open_quietly(records))


def _open_quietly(records: Path | None, scanned: Scan | None = None) -> RecordSet:
    """The record set, its index built with a progress bar when that takes a while
    (`scanned`: its files as just scanned, see `api.open_records`)."""
    from secretome_cli import api
    from secretome_cli.output.results import BuildProgress

    progress = BuildProgress(sys.stderr)
    try:
        return api.open_records(records, progress, scanned)
    except RecordsError as exc:
        fail(str(exc))
    finally:
        progress.close()


def _say_opened(opened: RecordSet) -> RecordSet:
    """Say on stderr what opening the record set met: a cache file rebuilt, invalid record
    files left out."""
    for note in opened.index.notes:
        typer.echo(f"secretome: note: {note}", err=True)
    files = opened.skipped_files()
    if files:
        typer.echo(
            f"secretome: warning: skipped {files} invalid record file"
            f"{'s' * (files != 1)}; run `secretome validate` for details",
            err=True,
        )
    return opened


def _searching(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`call(...)` of the core API; a query that cannot be searched is a one-line error."""
    from secretome_cli import api

    try:
        return call(*args, **kwargs)
    except api.QueryError as exc:
        fail(str(exc))


def _report_selection(selection: Selection, query: str | None, filters: Filters) -> None:
    """Say on stderr what a selection did not find: no record for the query and filters, no
    record for an id."""
    if selection.searched is not None and selection.nothing_found:
        _report_nothing(query, filters, selection.searched)
    _report_missing(selection.missing)


def _write(formats: str, name: str, data: Any, **options: Any) -> None:
    """Write `data` to stdout with the renderer `name` of the registry `formats`; a table
    through the pager when it is taller than the terminal (`cli/pager.py`)."""
    from secretome_cli.cli.pager import write

    write(registry_at(formats)[name](**options), data, paged=name == "table")


QueryArgument = Annotated[
    str | None,
    typer.Argument(
        help="What to look for, in your own words: "
        "'which miRNAs act on colitis', 'TGF beta', 'Qiu 2020'.",
        show_default=False,
    ),
]


def _query_argument(what: str) -> Any:
    """The optional QUERY of a command that works on every record when given none."""
    return typer.Argument(
        help=f"{what} the records this query finds (default: every record).", show_default=False
    )


@app.command()
@output_options(SEARCH_FORMATS, pager=True)
@filter_options
def search(
    query: QueryArgument = None,
    *,
    filters: Filters,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Show at most N results.", show_default=False),
    ] = None,
    output: str = "",  # the format chosen (`output_options`)
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show how the query was read and why each result matched."),
    ] = False,
    records: RecordsOption = None,
) -> None:
    """Search the evidence: fuzzy, ranked; filters combine with AND. Exit 0 found, 1 nothing
    found, 2 error."""

    check_query(query, filters)
    if query is None and not filters.items():
        fail(
            "nothing to search for: give a QUERY or a filter (`secretome export` lists every "
            "record)"
        )

    def answer(opened: RecordSet) -> None:
        _answer_search(_say_opened(opened), query, filters, limit, output, explain)

    answered_early(lambda scanned: _open_quietly(records, scanned), answer, records)


def _answer_search(
    opened: RecordSet,
    query: str | None,
    filters: Filters,
    limit: int | None,
    chosen: str,
    explain: bool,
) -> None:
    """Search, write the results in the format `chosen` and end with the exit code."""
    from secretome_cli import api

    outcome = _searching(api.search, opened, query, filters, limit)
    _report_reading(outcome, explain)
    results: list[Any] = (
        list(outcome.results)
        if chosen in {"json", "jsonl"}
        else [r.as_dict() for r in outcome.results]
    )
    table = {"total": outcome.total} if chosen == "table" else {}  # its last line counts
    if results or chosen != "table":
        _write(SEARCH_FORMATS, chosen, results, explain=explain, **table)
    if not results:
        _report_nothing(query, filters, outcome)
        raise typer.Exit(EXIT_NO_MATCH)
    raise typer.Exit(EXIT_OK)


def _default_format() -> str:
    return "table" if _stdout_is_terminal() else "tsv"


def _stdout_is_terminal() -> bool:
    from secretome_cli.cli.terminal import stdout_is_terminal

    return stdout_is_terminal()


def _report_reading(outcome: Outcome, explain: bool) -> None:
    for note in outcome.notes:
        typer.echo(f"secretome: note: {note}", err=True)
    for reading in outcome.readings:
        if reading.expanded and not explain:
            typer.echo(
                f"secretome: note: '{reading.text}' includes {_some(reading.expanded)}", err=True
            )
    if not explain:
        return
    typer.echo("query read as:", err=True)
    for reading in outcome.readings:
        line = f"  {reading.text} → {reading.read_as} [{reading.how}]"
        if reading.expanded:
            line += f"; includes {', '.join(reading.expanded)}"
        typer.echo(line, err=True)
    if outcome.ignored:
        typer.echo(f"  ignored: {', '.join(outcome.ignored)}", err=True)


def _some(names: list[str], shown: int = 5) -> str:
    """'a, b, c' or 'a, b, c, d, e and 9 more'."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _report_nothing(query: str | None, filters: Filters, outcome: Outcome) -> None:
    what = " ".join(
        [
            f"'{query}'" if query else "",
            *(filters.label(name, " | ".join(values)) for name, values in filters.items()),
        ]
    ).strip()
    message = f"secretome: no records match {what}"
    if outcome.unmatched and outcome.unmatched != [query]:
        message += f" (nothing for: {', '.join(outcome.unmatched)})"
    typer.echo(message, err=True)
    for text, near in outcome.suggestions.items():
        typer.echo(
            f"secretome: did you mean {' or '.join(repr(n) for n in near)} for '{text}'?", err=True
        )


def _report_missing(missing: list[Missing]) -> None:
    """'no record X; did you mean …?' for every unknown id."""
    for item in missing:
        hint = f"; did you mean {' or '.join(item.near)}?" if item.near else ""
        typer.echo(f"secretome: no record {item.id!r}{hint}", err=True)


@app.command()
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
        typer.echo("secretome: no record ids on standard input", err=True)
        raise typer.Exit(EXIT_NO_MATCH)
    selection = api.show(_open(records), ids)
    _write(SHOW_FORMATS, output, selection.docs)
    if selection.missing:
        _report_missing(selection.missing)
        raise typer.Exit(EXIT_NO_MATCH)
    raise typer.Exit(EXIT_OK)


@app.command()
@output_options(EXPORT_FORMATS, default="json")
@filter_options
def export(
    query: Annotated[str | None, _query_argument("Export only")] = None,
    *,
    filters: Filters,
    output: str = "",  # the format chosen (`output_options`)
    explode: Annotated[
        str | None,
        registry_option(
            "--explode",
            where=EXPLODE,
            help="csv/tsv: one row per factor instead of one per record.",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
) -> None:
    """Export records (all, or those a query and filters find) as JSON, JSONL, CSV, TSV, YAML
    or Markdown."""
    from secretome_cli import api

    if explode is not None and output not in ("csv", "tsv"):
        fail(f"--explode works with --format csv or tsv, not {output}")
    check_query(query, filters)
    selection = _searching(api.select, _open(records), query, filters)
    _report_selection(selection, query, filters)
    _write(EXPORT_FORMATS, output, selection.docs, explode=explode)
    raise typer.Exit(EXIT_OK if selection.docs else EXIT_NO_MATCH)


Ids = Annotated[
    list[str] | None,
    typer.Option(
        "--id",
        help="A record id to include (repeat for several; - reads them from standard input).",
        show_default=False,
        autocompletion=completion.record_ids,
    ),
]


@app.command()
@output_options(CITE_FORMATS, default="text", json="csl-json")
@filter_options
def cite(
    query: Annotated[str | None, _query_argument("Cite")] = None,
    *,
    filters: Filters,
    ids: Ids = None,
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """Print the references behind records (all, or those a query, filters and --id pick),
    de-duplicated and sorted by key, as text, BibTeX, RIS or CSL-JSON. QUERY - (or --id -)
    reads record ids from standard input, one a line."""
    from secretome_cli import api
    from secretome_cli.cli.stdin import STDIN, expand_ids

    if query == STDIN:
        query, ids = None, [*(ids or ()), STDIN]
    picked = expand_ids(ids or ())
    if ids and not picked:
        typer.echo("secretome: no record ids on standard input", err=True)
        raise typer.Exit(EXIT_NO_MATCH)
    check_query(query, filters)
    cited = _searching(api.cite, _open(records), query, filters, picked)
    _report_selection(cited.selection, query, filters)
    _write(CITE_FORMATS, output, cited.references)
    complete = bool(cited.references) and not cited.selection.missing
    raise typer.Exit(EXIT_OK if complete else EXIT_NO_MATCH)


@app.command()
@output_options(STATS_FORMATS, pager=True)
def stats(
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """Count the records per disease, factor class, pathway, MSC tissue, secretome fraction,
    model system and topic, with the dataset version and date."""
    from secretome_cli import api

    _write(STATS_FORMATS, output, api.stats(_open(records)))
    raise typer.Exit(EXIT_OK)


def _facet_option(flag: str, help: str) -> Any:
    return registry_option(flag, where=MATRIX_FACETS, help=help)


@app.command()
@output_options(MATRIX_FORMATS, pager=True)
def matrix(
    rows: Annotated[str, _facet_option("--rows", "What the rows are.")] = "disease",
    cols: Annotated[str, _facet_option("--cols", "What the columns are.")] = "factor-class",
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """How much evidence there is for each pair of two facets (disease, factor class, pathway,
    tissue, fraction, topic), split by model system: where the evidence is thin."""
    from secretome_cli import api

    if rows == cols:
        fail(f"--rows and --cols are both {rows}; choose two different facets")
    result = api.matrix(_open(records), rows, cols)
    _write(MATRIX_FORMATS, output, result)
    raise typer.Exit(EXIT_OK if result.cells else EXIT_NO_MATCH)


@app.command()
@output_options(GRAPH_FORMATS, default="mermaid", json=None)
@filter_options
def graph(
    query: Annotated[str | None, _query_argument("Draw")] = None,
    *,
    filters: Filters,
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """Draw the factor → target → pathway → disease network behind records as a Mermaid
    flowchart or a Graphviz DOT graph, edges labelled with the change."""
    from secretome_cli import api

    check_query(query, filters)
    network = _searching(api.graph, _open(records), query, filters)
    docs = network.selection.docs
    _report_selection(network.selection, query, filters)
    _write(GRAPH_FORMATS, output, network.graph)
    if docs and not network.graph.edges:
        typer.echo(
            f"secretome: note: the {len(docs)} record{'s' * (len(docs) != 1)} found link no "
            "factor, target, pathway or disease",
            err=True,
        )
    raise typer.Exit(EXIT_OK if network.graph.edges else EXIT_NO_MATCH)


@app.command()
@output_options(VOCAB_FORMATS, pager=True)
def vocab(
    name: Annotated[
        str | None,
        typer.Argument(
            help="diseases, factors, pathways, "
            "preconditioning, tissues, fractions, factor-classes or systems (default: a "
            "summary of all).",
            show_default=False,
        ),
    ] = None,
    output: str = "",  # the format chosen (`output_options`)
    records: RecordsOption = None,
) -> None:
    """List the vocabularies, or the terms of one, with how many records use each."""
    from secretome_cli import api

    if name is not None:
        try:
            api.check_vocabulary(name)
        except ValueError as exc:
            fail(str(exc))
    _write(VOCAB_FORMATS, output, api.vocabulary(_open(records), name))
    raise typer.Exit(EXIT_OK)


def _validate_default() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@app.command()
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


@app.command()
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

    if any(str(p) == "-" for p in paths or ()):
        _format_stdin(paths or [], check)
    try:
        result = api.format_files(paths or (), records, check)
    except RecordsError as exc:
        fail(str(exc))
    problems = [] if quiet else result.problems
    for problem in problems:
        typer.echo(
            f"{problem.location()}: cannot format: {problem.rule}: {problem.message}", err=True
        )
    verb = "would be reformatted" if check else "reformatted"
    for path in result.changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {display(path)}")
    if not quiet:
        typer.echo(
            f"{len(result.changed)} file{'s' * (len(result.changed) != 1)} {verb}, "
            f"{result.unchanged} already canonical",
            err=True,
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
            typer.echo(
                f"-:{problem.line}:{problem.column}: cannot format: {problem.rule}: "
                f"{problem.message}",
                err=True,
            )
        raise typer.Exit(EXIT_ERROR)
    canonical = canonical_text(parsed.model)
    if not check:
        sys.stdout.write(canonical)
        raise typer.Exit(EXIT_OK)
    if canonical == text.lstrip("\ufeff"):
        raise typer.Exit(EXIT_OK)
    typer.echo("would reformat -")
    raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an evidence record, generated from the record model."""
    from secretome_cli.model.schema import record_schema_text

    sys.stdout.write(record_schema_text())


def main() -> None:
    """Console-script entry point: run the app; turn usage errors, broken pipes and crashes
    into one line on stderr and a documented exit code."""
    _unicode_or_escapes(sys.stdout)
    try:
        code = narrowed(sys.argv[1:])(standalone_mode=False)
    except BrokenPipeError:
        quiet_broken_pipe()
    except KeyboardInterrupt:
        typer.echo("secretome: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if _usage_error(exc):
            sys.exit(EXIT_ERROR)
        if os.environ.get("SECRETOME_DEBUG"):
            raise
        typer.echo(
            f"secretome: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for a traceback)",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


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
        return app
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if _group_name(g) == name]
    if not commands and not groups:
        return app
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def _command_name(info: Any) -> str | None:
    if info.name:
        return str(info.name)
    return None if info.callback is None else info.callback.__name__.lower().replace("_", "-")


def _group_name(info: Any) -> str | None:
    name = info.name or info.typer_instance.info.name
    return None if name is None or isinstance(name, DefaultPlaceholder) else str(name)


def _usage_error(exc: Exception) -> bool:
    """Report a command-line usage error (unknown option, bad value) in one line; False when
    `exc` is not one. Asking for nothing (`secretome` alone) shows the help instead."""
    if not (hasattr(exc, "format_message") and hasattr(exc, "ctx")):
        return False
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()  # type: ignore[attr-defined]
        return True
    ctx = exc.ctx
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    message = str(exc.format_message()).replace("Value error, ", "")
    typer.echo(f"secretome: error: {message[:1].lower()}{message[1:]}{where}", err=True)
    return True


__all__ = ["EXIT_NO_MATCH", "app", "main", "narrowed"]
