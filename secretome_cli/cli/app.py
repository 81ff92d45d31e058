"""The command-line interface: flags in, a core call, a renderer out.

Each command turns its flags into arguments, calls a core function that returns data, and
hands the result to a renderer. Heavy modules (PyYAML, pydantic, Rich tables, RapidFuzz) are
imported inside the commands that need them, so `secretome --help` and shell completion
start fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from secretome_cli import __version__
from secretome_cli.cli.cache import HealingGroup, cache_app
from secretome_cli.constants import EXIT_ERROR, EXIT_NO_MATCH, EXIT_OK, EXIT_PROBLEMS
from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.index.store import Index
    from secretome_cli.search.rank import Filters, Outcome

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

RecordsOption = Annotated[
    Path | None,
    typer.Option(
        "--records",
        help="Record set directory to use (default: $SECRETOME_RECORDS, else the bundled set).",
        show_default=False,
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"
    csv = "csv"


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    yaml = "yaml"
    markdown = "markdown"


class Explode(StrEnum):
    factors = "factors"


class CiteFormat(StrEnum):
    text = "text"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


class MatrixFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class MatrixFacet(StrEnum):
    disease = "disease"
    factor_class = "factor-class"
    pathway = "pathway"
    tissue = "tissue"
    fraction = "fraction"
    topic = "topic"


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class VocabFormat(StrEnum):
    table = "table"
    json = "json"
    tsv = "tsv"


class ValidateFormat(StrEnum):
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
    from secretome_cli.files.layout import locate
    from secretome_cli.summary.sets import describe_set

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
        typer.Option(
            "--version",
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


MAX_QUERY = 500
"""Longest query read, in characters."""


def _filters(
    disease: list[str] | None,
    factor: list[str] | None,
    factor_class: list[str] | None,
    pathway: list[str] | None,
    target: list[str] | None,
    tissue: list[str] | None,
    model: list[str] | None,
) -> Filters:
    from secretome_cli.search.rank import Filters

    values = {
        "--disease": disease,
        "--factor": factor,
        "--factor-class": factor_class,
        "--pathway": pathway,
        "--target": target,
        "--tissue": tissue,
        "--model": model,
    }
    for flag, given in values.items():
        for value in given or []:
            _check_text(value, f"{flag} value")
    return Filters(
        diseases=disease or [],
        factors=factor or [],
        factor_classes=factor_class or [],
        pathways=pathway or [],
        targets=target or [],
        tissues=tissue or [],
        models=model or [],
    )


def _query_filters(
    query: str | None,
    disease: list[str] | None,
    factor: list[str] | None,
    factor_class: list[str] | None,
    pathway: list[str] | None,
    target: list[str] | None,
    tissue: list[str] | None,
    model: list[str] | None,
) -> Filters:
    """The filters of the flags, after checking the query and every filter value."""
    if query is not None:
        _check_text(query, "query")
    return _filters(disease, factor, factor_class, pathway, target, tissue, model)


def _check_text(text: str, what: str) -> None:
    if not text.strip():
        fail(f"{what} is empty")
    if len(text) > MAX_QUERY:
        fail(f"{what} is too long ({len(text):,} characters; the limit is {MAX_QUERY})")
    if any(ord(c) < 32 and c not in "\t" for c in text):
        fail(f"{what} contains control characters")


def _open_index(records: Path | None) -> Index:
    from secretome_cli.files.layout import locate
    from secretome_cli.index.store import load
    from secretome_cli.output.results import BuildProgress

    progress = BuildProgress(sys.stderr)
    try:
        index = load(locate(records), progress)
    except RecordsError as exc:
        fail(str(exc))
    finally:
        progress.close()
    for note in index.notes:
        typer.echo(f"secretome: note: {note}", err=True)
    skipped = index.skipped()
    if skipped:
        files = len({p.file for p in skipped})
        typer.echo(
            f"secretome: warning: skipped {files} invalid record file"
            f"{'s' * (files != 1)}; run `secretome validate` for details",
            err=True,
        )
    return index


Disease = Annotated[
    list[str] | None,
    typer.Option(
        "--disease",
        "-d",
        help="Disease or condition (includes its sub-diseases); repeat for any of several.",
        show_default=False,
    ),
]
Factor = Annotated[
    list[str] | None,
    typer.Option("--factor", help="Secreted factor, e.g. miR-146a, TGF-β.", show_default=False),
]
FactorClass = Annotated[
    list[str] | None,
    typer.Option(
        "--factor-class",
        help="Factor class: miRNA, cytokine, chemokine, growth factor, ...",
        show_default=False,
    ),
]
Pathway = Annotated[
    list[str] | None,
    typer.Option("--pathway", help="Signalling pathway, e.g. NF-κB, PI3K/AKT.", show_default=False),
]
Target = Annotated[
    list[str] | None,
    typer.Option("--target", help="Molecular target, e.g. SOX4.", show_default=False),
]
Tissue = Annotated[
    list[str] | None,
    typer.Option(
        "--tissue",
        help="MSC tissue: umbilical cord, Wharton's jelly, cord blood, placenta, ...",
        show_default=False,
    ),
]
ModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        help="Model system (in vitro, in vivo, clinical) or organism (mouse, rat).",
        show_default=False,
    ),
]


@app.command()
def search(
    query: Annotated[
        str | None,
        typer.Argument(
            help="What to look for, in your own words: "
            "'which miRNAs act on colitis', 'TGF beta', 'Qiu 2020'.",
            show_default=False,
        ),
    ] = None,
    disease: Disease = None,
    factor: Factor = None,
    factor_class: FactorClass = None,
    pathway: Pathway = None,
    target: Target = None,
    tissue: Tissue = None,
    model: ModelOpt = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Show at most N results.", show_default=False),
    ] = None,
    output: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, jsonl, tsv or csv (default: table on a terminal, else tsv).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show how the query was read and why each result matched."),
    ] = False,
    records: RecordsOption = None,
) -> None:
    """Search the evidence: fuzzy, ranked; filters combine with AND. Exit 0 found, 1 nothing
    found, 2 error."""
    from secretome_cli.output.results import RENDERERS
    from secretome_cli.search.rank import QueryError, Searcher

    if query is not None:
        _check_text(query, "query")
    filters = _filters(disease, factor, factor_class, pathway, target, tissue, model)
    if query is None and not filters.items():
        fail(
            "nothing to search for: give a QUERY or a filter (`secretome export` lists every "
            "record)"
        )
    chosen = "json" if as_json else (output.value if output else _default_format())
    index = _open_index(records)
    try:
        outcome = Searcher(index).search(query, filters, limit)
    except QueryError as exc:
        fail(str(exc))
    _report_reading(outcome, explain)
    results: list[Any] = (
        list(outcome.results)
        if chosen in {"json", "jsonl"}
        else [r.as_dict() for r in outcome.results]
    )
    if results or chosen != "table":
        RENDERERS[chosen]().write(results, sys.stdout, explain)
    if not results:
        _report_nothing(query, filters, outcome)
        raise typer.Exit(EXIT_NO_MATCH)
    if chosen == "table" and sys.stdout.isatty():
        shown = len(results)
        more = f" (showing {shown}; --limit)" if shown < outcome.total else ""
        typer.echo(f"{outcome.total} record{'s' * (outcome.total != 1)}{more}", err=True)
    raise typer.Exit(EXIT_OK)


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "tsv"


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
            *(f"{flag} {' | '.join(values)}" for flag, values in filters.items()),
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


@app.command()
def show(
    ids: Annotated[list[str], typer.Argument(help="Record ids.", show_default=False)],
    output: Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")] = (
        ShowFormat.text
    ),
    records: RecordsOption = None,
) -> None:
    """Show records in full: claim, mechanism, factors, targets, pathways, model, provenance,
    notes and citations with DOIs. Exit 1 if an id is unknown."""
    import json

    from secretome_cli.output.results import show_record

    index = _open_index(records)
    docs = []
    missing = []
    for record_id in ids:
        rid = index.rid_of(record_id.strip())
        if rid is None:
            missing.append(record_id)
        else:
            docs.append(index.docs([rid])[rid])
    if output is ShowFormat.json:
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
    else:
        for doc in docs:
            show_record(doc, sys.stdout)
    if missing:
        _report_missing(index, missing)
        raise typer.Exit(EXIT_NO_MATCH)
    raise typer.Exit(EXIT_OK)


@app.command()
def export(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Export only the records this query finds (default: every record).",
            show_default=False,
        ),
    ] = None,
    disease: Disease = None,
    factor: Factor = None,
    factor_class: FactorClass = None,
    pathway: Pathway = None,
    target: Target = None,
    tissue: Tissue = None,
    model: ModelOpt = None,
    output: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json, jsonl, csv, tsv, yaml or markdown."),
    ] = ExportFormat.json,
    explode: Annotated[
        Explode | None,
        typer.Option(
            "--explode",
            help="csv/tsv: one row per factor instead of one per record.",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
) -> None:
    """Export records (all, or those a query and filters find) as JSON, JSONL, CSV, TSV, YAML
    or Markdown."""
    from secretome_cli.output.results import RENDERERS

    if explode is not None and output not in (ExportFormat.csv, ExportFormat.tsv):
        fail(f"--explode works with --format csv or tsv, not {output.value}")
    filters = _query_filters(query, disease, factor, factor_class, pathway, target, tissue, model)
    index = _open_index(records)
    docs, _ = _selected(index, query, filters)
    RENDERERS[output.value](explode.value if explode else None).write(docs, sys.stdout, False)
    raise typer.Exit(EXIT_OK if docs else EXIT_NO_MATCH)


def _selected(
    index: Index, query: str | None, filters: Filters, ids: list[str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The documents a command works on, and the ids that name no record: every record when
    no query, filter or id is given; else those the query and filters find, then those named
    by id. What was not found is reported on stderr."""
    from secretome_cli.search.rank import QueryError, Searcher

    if query is None and not filters.items() and not ids:
        return _every_doc(index), []
    docs: list[dict[str, Any]] = []
    if query is not None or filters.items():
        try:
            outcome = Searcher(index).search(query, filters)
        except QueryError as exc:
            fail(str(exc))
        docs = [r.doc for r in outcome.results]
        if not docs:
            _report_nothing(query, filters, outcome)
    seen = {doc["id"] for doc in docs}
    missing = []
    for given in ids or []:
        record_id = given.strip()
        rid = index.rid_of(record_id)
        if rid is None:
            missing.append(given)
        elif record_id not in seen:
            docs.append(index.docs([rid])[rid])
            seen.add(record_id)
    _report_missing(index, missing)
    return docs, missing


def _every_doc(index: Index) -> list[dict[str, Any]]:
    """Every record's document, in id order."""
    rids = index.all_rids()
    found = index.docs(rids)
    return [found[rid] for rid in rids]


def _report_missing(index: Index, missing: list[str]) -> None:
    """'no record X; did you mean …?' for every unknown id."""
    import difflib

    known = index.ids() if missing else []
    for record_id in missing:
        near = difflib.get_close_matches(record_id, known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        typer.echo(f"secretome: no record {record_id!r}{hint}", err=True)


Ids = Annotated[
    list[str] | None,
    typer.Option("--id", help="A record id to include (repeat for several).", show_default=False),
]


@app.command()
def cite(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Cite the records this query finds (default: every record).", show_default=False
        ),
    ] = None,
    disease: Disease = None,
    factor: Factor = None,
    factor_class: FactorClass = None,
    pathway: Pathway = None,
    target: Target = None,
    tissue: Tissue = None,
    model: ModelOpt = None,
    ids: Ids = None,
    output: Annotated[
        CiteFormat, typer.Option("--format", "-f", help="text, bibtex, ris or csl-json.")
    ] = CiteFormat.text,
    records: RecordsOption = None,
) -> None:
    """Print the references behind records (all, or those a query, filters and --id pick),
    de-duplicated and sorted by key, as text, BibTeX, RIS or CSL-JSON."""
    from secretome_cli.output.citations import CITATION_FORMATS, collect

    filters = _query_filters(query, disease, factor, factor_class, pathway, target, tissue, model)
    index = _open_index(records)
    docs, missing = _selected(index, query, filters, ids)
    found = collect(docs)
    sys.stdout.write(CITATION_FORMATS[output.value]().render(found))
    raise typer.Exit(EXIT_OK if found and not missing else EXIT_NO_MATCH)


@app.command()
def stats(
    output: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="table or json.")
    ] = StatsFormat.table,
    records: RecordsOption = None,
) -> None:
    """Count the records per disease, factor class, pathway, MSC tissue, secretome fraction,
    model system and topic, with the dataset version and date."""
    from secretome_cli.output.facet_tables import STATS_RENDERERS
    from secretome_cli.summary import facets

    index = _open_index(records)
    result = facets.stats(_every_doc(index), index.meta, index.vocabulary)
    STATS_RENDERERS[output.value]().write(result, sys.stdout)
    raise typer.Exit(EXIT_OK)


@app.command()
def matrix(
    rows: Annotated[
        MatrixFacet, typer.Option("--rows", help="What the rows are.")
    ] = MatrixFacet.disease,
    cols: Annotated[
        MatrixFacet, typer.Option("--cols", help="What the columns are.")
    ] = MatrixFacet.factor_class,
    output: Annotated[
        MatrixFormat, typer.Option("--format", "-f", help="table, csv or json.")
    ] = MatrixFormat.table,
    records: RecordsOption = None,
) -> None:
    """How much evidence there is for each pair of two facets (disease, factor class, pathway,
    tissue, fraction, topic), split by model system: where the evidence is thin."""
    from secretome_cli.output.facet_tables import MATRIX_RENDERERS
    from secretome_cli.summary import facets

    if rows == cols:
        fail(f"--rows and --cols are both {rows.value}; choose two different facets")
    index = _open_index(records)
    result = facets.matrix(_every_doc(index), rows.value, cols.value)
    MATRIX_RENDERERS[output.value]().write(result, sys.stdout)
    raise typer.Exit(EXIT_OK if result.cells else EXIT_NO_MATCH)


@app.command()
def graph(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Draw the records this query finds (default: every record).", show_default=False
        ),
    ] = None,
    disease: Disease = None,
    factor: Factor = None,
    factor_class: FactorClass = None,
    pathway: Pathway = None,
    target: Target = None,
    tissue: Tissue = None,
    model: ModelOpt = None,
    output: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="mermaid or dot.")
    ] = GraphFormat.mermaid,
    records: RecordsOption = None,
) -> None:
    """Draw the factor → target → pathway → disease network behind records as a Mermaid
    flowchart or a Graphviz DOT graph, edges labelled with the change."""
    from secretome_cli.output import graph as network

    filters = _query_filters(query, disease, factor, factor_class, pathway, target, tissue, model)
    index = _open_index(records)
    docs, _ = _selected(index, query, filters)
    drawn = network.build(docs)
    sys.stdout.write(network.GRAPH_FORMATS[output.value]().render(drawn))
    if docs and not drawn.edges:
        typer.echo(
            f"secretome: note: the {len(docs)} record{'s' * (len(docs) != 1)} found link no "
            "factor, target, pathway or disease",
            err=True,
        )
    raise typer.Exit(EXIT_OK if drawn.edges else EXIT_NO_MATCH)


@app.command()
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
    output: Annotated[
        VocabFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json or tsv (default: table on a terminal, else tsv).",
            show_default=False,
        ),
    ] = None,
    records: RecordsOption = None,
) -> None:
    """List the vocabularies, or the terms of one, with how many records use each."""
    from secretome_cli.output.results import vocab_rows
    from secretome_cli.summary.sets import VOCAB_KINDS, vocabulary_summary, vocabulary_terms

    chosen = output.value if output else ("table" if sys.stdout.isatty() else "tsv")
    if name is not None and name not in VOCAB_KINDS:
        import difflib

        near = difflib.get_close_matches(name, list(VOCAB_KINDS), n=1)
        fail(
            f"unknown vocabulary {name!r}"
            + (
                f"; did you mean {near[0]!r}?"
                if near
                else f"; choose from {', '.join(VOCAB_KINDS)}"
            )
        )
    index = _open_index(records)
    if name is None:
        rows = vocabulary_summary(index)
        vocab_rows(
            rows, ["vocabulary", "terms", "used", "records"], chosen, sys.stdout, "Vocabularies"
        )
    else:
        rows = vocabulary_terms(index, name)
        columns = list(rows[0]) if rows else ["name", "records"]
        vocab_rows(rows, columns, chosen, sys.stdout, name)
    raise typer.Exit(EXIT_OK)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or directories (default: the whole record set).", show_default=False
        ),
    ] = None,
    records: RecordsOption = None,
    output: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (default: github when GITHUB_ACTIONS=true, else text).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check record files: every problem at once, as file:line:col. Exit 0 clean, 1 problems,
    2 could not run."""
    from secretome_cli.files.layout import locate
    from secretome_cli.output.reporters import REPORTERS, Summary, failed
    from secretome_cli.validate.check import check, check_paths

    try:
        root = locate(records)
        results = (
            check_paths(paths, root, keep_records=False)
            if paths
            else [check(root, keep_records=False)]
        )
    except RecordsError as exc:
        fail(str(exc))
    problems = sorted(p for r in results for p in r.problems)
    summary = Summary(
        records=sum(r.record_files for r in results),
        valid=sum(r.valid for r in results),
        files=len({p.file for p in problems}),
        strict=strict,
    )
    chosen = (
        output.value
        if output
        else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    )
    sys.stdout.write(REPORTERS[chosen]().render(problems, summary))
    raise typer.Exit(EXIT_PROBLEMS if failed(problems, strict) else EXIT_OK)


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to format (default: every file of the record set).", show_default=False
        ),
    ] = None,
    records: RecordsOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite record set files into their one canonical form (key order, style, sorting)."""
    from secretome_cli.files.canonical import format_files
    from secretome_cli.files.layout import Layout, display, locate
    from secretome_cli.validate.check import set_root

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
        typer.echo(
            f"{problem.location()}: cannot format: {problem.rule}: {problem.message}", err=True
        )
    verb = "would be reformatted" if check else "reformatted"
    for path in result.changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {display(path)}")
    typer.echo(
        f"{len(result.changed)} file{'s' * (len(result.changed) != 1)} {verb}, "
        f"{result.unchanged} already canonical",
        err=True,
    )
    if result.problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PROBLEMS if check and result.changed else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an evidence record, generated from the record model."""
    from secretome_cli.model.schema import record_schema_text

    sys.stdout.write(record_schema_text())


def main() -> None:
    """Console-script entry point: run the app; turn usage errors, broken pipes and crashes
    into one line on stderr and a documented exit code."""
    try:
        code = app(standalone_mode=False)
    except BrokenPipeError:
        _quiet_broken_pipe()
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


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head -1`): stop quietly, as grep does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)


__all__ = ["EXIT_NO_MATCH", "app", "main"]
