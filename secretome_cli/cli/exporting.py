"""`secretome export`, and where it writes its answer: stdout, or a file (`--output`).

A format made for a reader outside the terminal (`output/saving.FileFormat`: the SQLite
database, the HTML report) takes the whole export bundle from the core (`api.bundle`); the
others take the records. A file is written atomically and never over a file that is not an
earlier export, unless `--force` (`output/saving.py`); a database is never written to
stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from secretome_cli.cli.answers import (
    EXPLODE,
    EXPORT_FORMATS,
    _open,
    _query_argument,
    _report_selection,
    _searching,
)
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
    registry_at,
    registry_option,
)
from secretome_cli.constants import EXIT_NO_MATCH, EXIT_OK

if TYPE_CHECKING:
    from secretome_cli.api import RecordSet
    from secretome_cli.model.document import RecordDoc
    from secretome_cli.search.rank import Filters


def check_destination(formats: str, name: str, output: Path | None) -> None:
    """Fail, before any work, when the format `name` cannot go where it was asked to: a
    database to stdout."""
    renderer = registry_at(formats)[name]
    if getattr(renderer, "binary", False) and (output is None or str(output) == "-"):
        fail(f"--format {name} writes a database file, not text: give --output FILE.db")


def write_export(
    formats: str,
    name: str,
    opened: RecordSet,
    docs: list[RecordDoc],
    query: str | None,
    filters: Filters,
    output: Path | None,
    metadata: Path | None,
    force: bool,
    **options: Any,
) -> None:
    """Write the export of `docs` in the format `name` to `output` (None or '-': stdout)."""
    from secretome_cli import api
    from secretome_cli.output.renderer import made
    from secretome_cli.output.saving import (
        FileFormat,
        SaveError,
        check_target,
        save_all,
        save_text,
    )

    cls = registry_at(formats)[name]
    to_file = output is not None and str(output) != "-"
    bundled = issubclass(cls, FileFormat)
    if metadata is not None and not (bundled and to_file):
        fail(f"--metadata goes with --format sqlite and --output, not {name}")
    data: Any = api.bundle(opened, docs, query, filters) if bundled else docs
    renderer = made(cls, env()) if bundled else made(cls, env(), **options)
    if not to_file:  # stdout: a closed pipe is the caller's (`quiet_broken_pipe`), not ours
        renderer.emit(data, env().stdout)
        return
    assert output is not None
    try:
        if bundled:
            save_all(renderer.outputs(data, output, metadata), force)
        else:
            check_target(output, lambda _: False, force)
            save_text(output, renderer, data)
    except SaveError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {exc.filename or output}: {exc.strerror or exc}")


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
    raw_cells: RawCellsOption = False,
    to: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE, atomically (default: stdout; sqlite needs a file).",
            show_default=False,
        ),
    ] = None,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            help="sqlite: write the Datasette metadata to FILE (default: FILE.metadata.json "
            "beside the database).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite a file that is not an earlier export."),
    ] = False,
    broad: BroadOption = False,
    every: AllOption = False,
    records: RecordsOption = None,
) -> None:
    """Export records (all, or those a query and filters find: the same answer as `search`)
    as JSON, JSONL, CSV, TSV, YAML, Markdown, a SQLite database (for Datasette, sqlite-utils,
    DuckDB, pandas) or a one-file HTML report."""
    from secretome_cli import api
    from secretome_cli.cli.exporting import check_destination, write_export

    if explode is not None and output not in ("csv", "tsv"):
        fail(f"--explode works with --format csv or tsv, not {output}")
    check_query(query, filters)
    check_destination(EXPORT_FORMATS, output, to)
    opened = _open(records)
    wide = breadth(broad, every)
    selection = _searching(api.select, opened, query, filters, breadth=wide)
    _report_selection(selection, query, filters)
    write_export(
        EXPORT_FORMATS, output, opened, selection.docs, query, filters, to, metadata, force,
        explode=explode, raw_cells=raw_cells,
    )  # fmt: skip
    raise typer.Exit(EXIT_OK if selection.docs else EXIT_NO_MATCH)


def register(app: typer.Typer) -> None:
    """Add `export` to `app`."""
    app.command()(export)
