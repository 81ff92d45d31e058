"""What the commands that read records share: the renderer registries their `--format`
choices come from, opening the record set, asking the core, saying on stderr what was not
found, and writing the answer through the renderer the user chose.

`app.py` (`search`, `show`) and the modules of the other commands (`exporting.py`,
`overview.py`, `files.py`, `review.py`) import it; it imports none of them, so that `app.py`
can add those commands when first needed (`whole`) without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from secretome_cli.cli.options import env, fail, registry_at, say
from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.api import Missing, RecordSet, Selection
    from secretome_cli.search.rank import Filters, Outcome

P = ParamSpec("P")
T = TypeVar("T")

# The registries each command's `--format` (and `--explode`, `--rows`, `--cols`) choose from,
# as `module:NAME`: the module is imported only by the command that uses it.
SEARCH_FORMATS = "secretome_cli.output.results:SEARCH_RENDERERS"
GROUP_FORMATS = "secretome_cli.output.groups:GROUP_RENDERERS"
GROUP_KINDS = "secretome_cli.search.groups:KINDS"
EXPORT_FORMATS = "secretome_cli.output.exports:EXPORT_FORMATS"
EXPLODE = "secretome_cli.output.rows:EXPLODE"
SHOW_FORMATS = "secretome_cli.output.show:SHOW_RENDERERS"
VOCAB_FORMATS = "secretome_cli.output.vocab:VOCAB_RENDERERS"
CITE_FORMATS = "secretome_cli.output.citations:CITATION_FORMATS"
GRAPH_FORMATS = "secretome_cli.output.graph:GRAPH_FORMATS"
STATS_FORMATS = "secretome_cli.output.facet_tables:STATS_RENDERERS"
MATRIX_FORMATS = "secretome_cli.output.facet_tables:MATRIX_RENDERERS"
MATRIX_FACETS = "secretome_cli.summary.facets:MATRIX_FACETS"
VALIDATE_FORMATS = "secretome_cli.output.reporters:REPORTERS"


def _open(records: Path | None) -> RecordSet:
    """The record set, its index built with a progress bar when that takes a while; a
    warning when invalid record files were left out."""
    return _say_opened(_open_quietly(records))


def _open_quietly(records: Path | None) -> RecordSet:
    """The record set, its index built with a progress bar when that takes a while."""
    from secretome_cli import api
    from secretome_cli.output.progress import BuildProgress

    progress = BuildProgress(env().stderr)
    try:
        return api.open_records(records, progress)
    except RecordsError as exc:
        fail(str(exc))
    finally:
        progress.close()


def _say_opened(opened: RecordSet) -> RecordSet:
    """Say on stderr what opening the record set met: a cache file rebuilt, invalid record
    files left out."""
    for note in opened.index.notes:
        say(f"secretome: note: {note}")
    files = opened.skipped_files()
    if files:
        say(
            f"secretome: warning: skipped {files} invalid record file"
            f"{'s' * (files != 1)}; run `secretome validate` for details"
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
        for note in selection.searched.notes:
            say(f"secretome: note: {note}")
        _report_nothing(query, filters, selection.searched)
    _report_missing(selection.missing)


def _write(formats: str, name: str, data: Any, **options: Any) -> None:
    """Write `data` to stdout with the renderer `name` of the registry `formats`, for the
    running command's environment; a table through the pager when it is taller than the
    terminal (`cli/pager.py`)."""
    from secretome_cli.cli.pager import write
    from secretome_cli.output.renderer import made

    here = env()
    write(made(registry_at(formats)[name], here, **options), data, name == "table", here)


def _query_argument(what: str) -> Any:
    """The optional QUERY of a command that works on every record when given none."""
    return typer.Argument(
        help=f"{what} the records this query finds (default: every record).", show_default=False
    )


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
    say(message)
    for text, near in outcome.suggestions.items():
        say(f"secretome: did you mean {' or '.join(repr(n) for n in near)} for '{text}'?")


def _report_missing(missing: list[Missing]) -> None:
    """'no record X; did you mean …?' for every unknown id."""
    for item in missing:
        hint = f"; did you mean {' or '.join(item.near)}?" if item.near else ""
        say(f"secretome: no record {item.id!r}{hint}")
