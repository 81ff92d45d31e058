"""Commands that sum up records: `cite` (their references), `stats` and `matrix` (counts per
facet), `graph` (their network) and `vocab` (the vocabularies). Added to the app by
`register`, which `cli/commands.py` calls, after the commands of `app.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from secretome_cli.cli import completion
from secretome_cli.cli.answers import (
    CITE_FORMATS,
    GRAPH_FORMATS,
    MATRIX_FACETS,
    MATRIX_FORMATS,
    STATS_FORMATS,
    VOCAB_FORMATS,
    _open,
    _query_argument,
    _report_selection,
    _searching,
    _write,
)
from secretome_cli.cli.options import (
    AllOption,
    BroadOption,
    RawCellsOption,
    RecordsOption,
    breadth,
    check_query,
    fail,
    filter_options,
    output_options,
    registry_option,
    say,
)
from secretome_cli.constants import EXIT_NO_MATCH, EXIT_OK

if TYPE_CHECKING:
    from secretome_cli.search.rank import Filters


Ids = Annotated[
    list[str] | None,
    typer.Option(
        "--id",
        help="A record id to include (repeat for several; - reads them from standard input).",
        show_default=False,
        autocompletion=completion.record_ids,
    ),
]


@output_options(CITE_FORMATS, default="text", json="csl-json")
@filter_options
def cite(
    query: Annotated[str | None, _query_argument("Cite")] = None,
    *,
    filters: Filters,
    ids: Ids = None,
    output: str = "",  # the format chosen (`output_options`)
    broad: BroadOption = False,
    every: AllOption = False,
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
        say("secretome: no record ids on standard input")
        raise typer.Exit(EXIT_NO_MATCH)
    check_query(query, filters)
    wide = breadth(broad, every)
    cited = _searching(api.cite, _open(records), query, filters, picked, wide)
    _report_selection(cited.selection, query, filters)
    _write(CITE_FORMATS, output, cited.references)
    complete = bool(cited.references) and not cited.selection.missing
    raise typer.Exit(EXIT_OK if complete else EXIT_NO_MATCH)


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


@output_options(MATRIX_FORMATS, pager=True)
def matrix(
    rows: Annotated[str, _facet_option("--rows", "What the rows are.")] = "disease",
    cols: Annotated[str, _facet_option("--cols", "What the columns are.")] = "factor-class",
    output: str = "",  # the format chosen (`output_options`)
    raw_cells: RawCellsOption = False,
    records: RecordsOption = None,
) -> None:
    """How much evidence there is for each pair of two facets (disease, factor class, pathway,
    tissue, fraction, topic), split by model system: where the evidence is thin."""
    from secretome_cli import api

    if rows == cols:
        fail(f"--rows and --cols are both {rows}; choose two different facets")
    result = api.matrix(_open(records), rows, cols)
    _write(MATRIX_FORMATS, output, result, raw_cells=raw_cells)
    raise typer.Exit(EXIT_OK if result.cells else EXIT_NO_MATCH)


@output_options(GRAPH_FORMATS, default="mermaid", json=None)
@filter_options
def graph(
    query: Annotated[str | None, _query_argument("Draw")] = None,
    *,
    filters: Filters,
    output: str = "",  # the format chosen (`output_options`)
    broad: BroadOption = False,
    every: AllOption = False,
    records: RecordsOption = None,
) -> None:
    """Draw the factor → target → pathway → disease network behind records as a Mermaid
    flowchart or a Graphviz DOT graph, edges labelled with the change."""
    from secretome_cli import api

    check_query(query, filters)
    wide = breadth(broad, every)
    network = _searching(api.graph, _open(records), query, filters, wide)
    docs = network.selection.docs
    _report_selection(network.selection, query, filters)
    _write(GRAPH_FORMATS, output, network.graph)
    if docs and not network.graph.edges:
        say(
            f"secretome: note: the {len(docs)} record{'s' * (len(docs) != 1)} found link no "
            "factor, target, pathway or disease"
        )
    raise typer.Exit(EXIT_OK if network.graph.edges else EXIT_NO_MATCH)


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
    raw_cells: RawCellsOption = False,
    records: RecordsOption = None,
) -> None:
    """List the vocabularies, or the terms of one, with how many records use each."""
    from secretome_cli import api

    if name is not None:
        try:
            api.check_vocabulary(name)
        except ValueError as exc:
            fail(str(exc))
    _write(VOCAB_FORMATS, output, api.vocabulary(_open(records), name), raw_cells=raw_cells)
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add the summing-up commands to `app`, in the order help lists them."""
    for command in (cite, stats, matrix, graph, vocab):
        app.command()(command)
