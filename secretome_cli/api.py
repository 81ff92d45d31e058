"""The public core: what every command does, as functions that take options and return data.

A script uses it without the command line:

    from pathlib import Path
    from secretome_cli import api

    records = api.open_records(Path("records"))          # or None: the default record set
    found = api.search(records, "which miRNAs act on colitis")
    for result in found.results:
        print(result.doc["id"], result.score)

    picked = api.select(records, filters=api.Filters(disease=["IBD"]), ids=["some-id"])
    report = api.validate(records=Path("records"), strict=True)

Nothing here prints, exits or imports Typer or Rich: results are data, and failures are
exceptions (`RecordsError` when a record set or file cannot be used, `QueryError` when a
query cannot be searched, `ValueError` for an unknown name). The command line (`cli/`) turns
flags into these arguments, calls one function and hands its result to a renderer of
`output/`. Modules are imported inside the functions that need them, so importing this one
is cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from secretome_cli.model.problems import RecordsError

if TYPE_CHECKING:
    from secretome_cli.files.canonical import Formatted
    from secretome_cli.index.build import Progress
    from secretome_cli.index.store import Index
    from secretome_cli.model.document import RecordDoc
    from secretome_cli.search.outcome import Outcome, QueryError
    from secretome_cli.search.rank import Filters
    from secretome_cli.summary.bundle import Bundle
    from secretome_cli.summary.dataset import SetInfo
    from secretome_cli.summary.facets import Matrix, Stats
    from secretome_cli.summary.selection import Citations, Missing, Network, Selection
    from secretome_cli.summary.validation import Validation
    from secretome_cli.summary.vocabularies import VocabTable


_ELSEWHERE = {
    "Filters": "secretome_cli.search.rank",
    "QueryError": "secretome_cli.search.outcome",
    "Missing": "secretome_cli.summary.selection",
    "Selection": "secretome_cli.summary.selection",
    "Citations": "secretome_cli.summary.selection",
    "Network": "secretome_cli.summary.selection",
}
"""The module of each class this one offers by name but defines elsewhere: a search needs
none of them at start-up (`Filters` it imports with the search)."""


def __getattr__(name: str) -> Any:
    """`api.Filters`, `api.Selection` … (`_ELSEWHERE`), imported when first asked for."""
    if name in _ELSEWHERE:
        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- record sets -------------------------------------------------------------------------


@dataclass(eq=False, repr=False)  # an open index, never compared or printed
class RecordSet:
    """An opened record set: its directory and its search index."""

    root: Path
    index: Index

    def skipped_files(self) -> int:
        """How many record files were left out of the index because they are invalid."""
        return len({p.file for p in self.index.skipped()})


def locate(records: Path | None = None, writing: bool = False) -> Path:
    """The record set directory to use: `records`, else `$SECRETOME_RECORDS`, else the set
    the working directory lies in or beside, else (unless `writing`) the bundled set (see
    `files/layout.py: locate`)."""
    from secretome_cli.files.layout import locate as locate_set

    return locate_set(records, writing)


def open_records(records: Path | None = None, progress: Progress | None = None) -> RecordSet:
    """Open a record set (see `locate`), building or updating its index when needed;
    `progress(done, total)` hears how a build goes."""
    from secretome_cli.index.opening import load

    root = locate(records)
    return RecordSet(root, load(root, progress))


def describe(records: Path | None = None) -> SetInfo:
    """The dataset name, version and date and the number of record files, without reading
    the records."""
    from secretome_cli.summary.dataset import describe_set

    return describe_set(locate(records))


# --- search and selection ----------------------------------------------------------------


def search(
    records: RecordSet,
    query: str | None,
    filters: Filters | None = None,
    limit: int | None = None,
    breadth: str = "answer",
) -> Outcome:
    """Records matching `query` and `filters`, best first, with how the query was read.
    `breadth`: 'answer' (the records about the question's subject), 'broad' (and the related
    records, marked `related`), 'all' (only the records matching every part)."""
    from secretome_cli.search.rank import Filters, Searcher

    return Searcher(records.index).search(query, filters or Filters(), limit, breadth)


def select(
    records: RecordSet,
    query: str | None = None,
    filters: Filters | None = None,
    ids: Sequence[str] = (),
    breadth: str = "answer",
) -> Selection:
    """Every record when no query, filter or id is given; else the records the query and
    filters find (the answer, as `search` gives it with `breadth`; related records only with
    'broad'), then those named by id (each once)."""
    from secretome_cli.summary.selection import Selection

    if query is None and not (filters and filters.items()) and not ids:
        return Selection(every_doc(records))
    selection = Selection([])
    if query is not None or (filters and filters.items()):
        selection.searched = search(records, query, filters, breadth=breadth)
        # a search result's document is the same JSON the index stores (typed there)
        selection.docs = [
            cast("RecordDoc", r.doc)
            for r in selection.searched.results
            if breadth == "broad" or not r.related
        ]
        selection.answered = len(selection.docs)
    seen = {doc["id"] for doc in selection.docs}
    missing = []
    for given in ids:
        record_id = given.strip()
        rid = records.index.rid_of(record_id)
        if rid is None:
            missing.append(given)
        elif record_id not in seen:
            selection.docs.append(records.index.docs([rid])[rid])
            seen.add(record_id)
    selection.missing = _missing(records.index, missing)
    return selection


def show(records: RecordSet, ids: Sequence[str]) -> Selection:
    """The records named by `ids`, in the order given (an id given twice, twice)."""
    from secretome_cli.summary.selection import Selection

    docs: list[RecordDoc] = []
    missing: list[str] = []
    for given in ids:
        rid = records.index.rid_of(given.strip())
        if rid is None:
            missing.append(given)
        else:
            docs.append(records.index.docs([rid])[rid])
    return Selection(docs, _missing(records.index, missing))


def every_doc(records: RecordSet) -> list[RecordDoc]:
    """Every record's document, in id order."""
    rids = records.index.all_rids()
    found = records.index.docs(rids)
    return [found[rid] for rid in rids]


def _missing(index: Index, missing: list[str]) -> list[Missing]:
    """Each unknown id with up to three known ids that look like it."""
    if not missing:
        return []
    import difflib

    from secretome_cli.summary.selection import Missing

    known = index.ids()
    return [Missing(m, difflib.get_close_matches(m, known, n=3, cutoff=0.5)) for m in missing]


# --- what commands make of a selection ---------------------------------------------------


def cite(
    records: RecordSet,
    query: str | None = None,
    filters: Filters | None = None,
    ids: Sequence[str] = (),
    breadth: str = "answer",
) -> Citations:
    """The references behind the selected records (see `select`)."""
    from secretome_cli.summary.citations import collect
    from secretome_cli.summary.selection import Citations

    selection = select(records, query, filters, ids, breadth)
    return Citations(selection, collect(selection.docs))


def bundle(
    records: RecordSet,
    docs: Sequence[RecordDoc],
    query: str | None = None,
    filters: Filters | None = None,
) -> Bundle:
    """What a file export (a database, a report) holds: `docs` (a selection, see `select`)
    with the question and filters they answer, the dataset's facts and the vocabularies."""
    from secretome_cli.summary.bundle import Bundle, dataset_facts

    given = (
        tuple(filters.label(name, " | ".join(values)) for name, values in filters.items())
        if filters
        else ()
    )
    index = records.index
    facts = dataset_facts(records.root, index.meta)
    return Bundle(list(docs), query, given, facts, index.vocabulary)


def graph(
    records: RecordSet,
    query: str | None = None,
    filters: Filters | None = None,
    breadth: str = "answer",
) -> Network:
    """The network of the selected records (see `select`)."""
    from secretome_cli.summary.graph import build
    from secretome_cli.summary.selection import Network

    selection = select(records, query, filters, breadth=breadth)
    return Network(selection, build(selection.docs))


def stats(records: RecordSet) -> Stats:
    """Records per value of every facet, with the dataset's version and date."""
    from secretome_cli.summary import facets

    index = records.index
    return facets.stats(every_doc(records), index.meta, index.vocabulary)


def matrix(records: RecordSet, rows: str, cols: str) -> Matrix:
    """Records per pair of values of two facets (see summary/facets.py), split by model
    system."""
    from secretome_cli.summary import facets

    return facets.matrix(every_doc(records), rows, cols)


# --- vocabularies ------------------------------------------------------------------------


def vocabulary_names() -> list[str]:
    """The vocabularies `vocabulary` lists, by name."""
    from secretome_cli.summary.vocabularies import VOCABULARIES

    return list(VOCABULARIES)


def check_vocabulary(name: str) -> None:
    """Raise ValueError, with the nearest name, when `name` is no vocabulary."""
    names = vocabulary_names()
    if name in names:
        return
    import difflib

    near = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {near[0]!r}?" if near else f"; choose from {', '.join(names)}"
    raise ValueError(f"unknown vocabulary {name!r}{hint}")


def vocabulary(records: RecordSet, name: str | None = None) -> VocabTable:
    """The terms of one vocabulary with how many records use each, or (no name) one row per
    vocabulary."""
    from secretome_cli.summary.vocabularies import vocabulary_summary, vocabulary_terms

    if name is None:
        return vocabulary_summary(records.index)
    check_vocabulary(name)
    return vocabulary_terms(records.index, name)


# --- the files of a record set -----------------------------------------------------------


def validate(
    paths: Sequence[Path] = (),
    records: Path | None = None,
    strict: bool = False,
    since: str | None = None,
    stand_in: bool = False,
) -> Validation:
    """Check record files (default: the whole record set): every problem at once; with
    `since`, the history rule against that git revision too; with `stand_in`, a file outside
    the set is checked in place of the set's record file of its name (a draft of it)."""
    from secretome_cli.summary.validation import Validation
    from secretome_cli.validate.check import check, check_paths

    root = locate(records)
    results = (
        check_paths(paths, root, keep_records=False, stand_in=stand_in)
        if paths
        else [check(root, keep_records=False)]
    )
    history = []
    if since is not None:
        from secretome_cli.validate import history as rule

        history = rule.since(root, since)
    from secretome_cli.files.layout import other_than_bundled

    return Validation(
        problems=sorted([*(p for r in results for p in r.problems), *history]),
        records=sum(r.record_files for r in results),
        valid=sum(r.valid for r in results),
        strict=strict,
        record_set=None if paths else other_than_bundled(root),
    )


def format_files(
    paths: Sequence[Path] = (), records: Path | None = None, check: bool = False
) -> Formatted:
    """Rewrite files into their canonical form (default: every file of the record set), each
    in its own record set; with `check`, only report which would change. Raises RecordsError
    for a path that is no file of a record set, and, when no path is given and the files
    would be rewritten, when there is no record set but the bundled one to write into."""
    from secretome_cli.files.canonical import format_files as format_in

    return format_in(locate(records, writing=not (check or paths)), list(paths), check)


__all__ = [
    "Citations",
    "Filters",
    "Missing",
    "Network",
    "QueryError",
    "RecordSet",
    "RecordsError",
    "Selection",
    "check_vocabulary",
    "cite",
    "describe",
    "every_doc",
    "format_files",
    "graph",
    "locate",
    "matrix",
    "open_records",
    "search",
    "select",
    "show",
    "stats",
    "validate",
    "vocabulary",
    "vocabulary_names",
]
