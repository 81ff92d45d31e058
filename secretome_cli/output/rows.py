"""What every renderer of records shares: the columns of a row, a record's fields as
text (`changed`, `model_text`, `citations_of` ...), the TSV/CSV rows (`flat_rows`), the base
class of the result renderers, and the Rich console they draw on (`make_console`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from secretome_cli.model.controlled import ARROWS
from secretome_cli.model.document import CitationDoc, RecordDoc, short_citation
from secretome_cli.output.cells import clean as clean
from secretome_cli.output.renderer import Renderer

if TYPE_CHECKING:
    from secretome_cli.environment import Environment


COLUMNS = (
    "id",
    "score",
    "topic",
    "diseases",
    "factors",
    "targets",
    "pathways",
    "mechanism",
    "model",
    "citations",
)
"""The columns of TSV and CSV output, in order (see the README)."""

LIST_SEPARATOR = "; "
"""How TSV and CSV cells join the items of a list."""

EXPLODED_COLUMNS = (*COLUMNS, "factor", "factor_class", "factor_change")
"""The columns of `export --explode factors`: COLUMNS, then one factor of the record per row
(its name, class and change; empty for a record without factors)."""

EXPLODE = ("factors",)
"""What `export --explode` can spread over rows (its choices)."""


def found(doc: RecordDoc) -> Mapping[str, Any]:
    """A document with what search adds to it (`score`, `match`: SEARCH_KEYS) where it was
    found by a search; a plain record document has neither."""
    return doc


def changed(item: Mapping[str, Any]) -> str:
    """'↑ miR-23b-3p': an item with the symbol of its change."""
    return f"{ARROWS.get(item['change'], '')} {item['name']}".strip()


def model_text(doc: RecordDoc) -> str:
    """'in vivo; mouse' — the model in a few words, or 'not stated'."""
    model = doc["model"]
    parts = [", ".join(model["systems"]), ", ".join(model["organisms"])]
    text = "; ".join(p for p in parts if p)
    return text or "not stated"


def disease_text(doc: RecordDoc) -> str:
    """Diseases with their experimental context, or the topic for general records."""
    items = [d["name"] + (f" ({d['context']})" if d["context"] else "") for d in doc["diseases"]]
    return LIST_SEPARATOR.join(items) if items else f"({doc['topic']})"


def citation_text(cite: CitationDoc) -> str:
    """'Cai et al. 2021, doi:10.1186/…' — or the identifier, or the reference alone."""
    handle = f"doi:{cite['doi']}" if cite.get("doi") else (cite.get("identifier") or "")
    return short_citation(cite) + (f", {handle}" if handle else "")


def citations_of(doc: RecordDoc) -> list[str]:
    """The citations of a document as short texts; the review when it cites none, with its
    numbered references where it gives them."""
    cites = [citation_text(c) for c in doc["citations"]]
    if not cites or doc["provenance"]["refs"]:
        cites.append(via_text(doc))
    return cites


def via_text(doc: RecordDoc) -> str:
    """'via Udalamaththa et al. 2020, refs 45, 46': the review a record comes from."""
    prov = doc["provenance"]
    refs = prov["refs"]
    suffix = f", ref{'s' if len(refs) > 1 else ''} {', '.join(map(str, refs))}" if refs else ""
    return f"via {short_citation(prov['source'])}{suffix}"


def flat_rows(
    doc: RecordDoc, explode: str | None, cell: Callable[[object], str] | None = None
) -> list[list[str]]:
    """The TSV/CSV rows of a document: one of COLUMNS, or with `explode='factors'` one of
    EXPLODED_COLUMNS per factor (a single row with empty factor cells when it has none).
    `cell` makes each cell's text (default: control characters become spaces)."""
    cell = cell or _spaced
    row = flat_row(doc, found(doc).get("score"), cell)
    if explode is None:
        return [row]
    factors = [(f["name"], f["class"], f["change"]) for f in doc["factors"]] or [("", "", "")]
    return [[*row, *(cell(value or "") for value in factor)] for factor in factors]


_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
"""Compiled on first use (by `re`, which keeps it): a class holding characters past U+00FF is
slow to compile, and a JSON answer never needs it."""


def _spaced(text: object) -> str:
    """A CSV cell's text: control characters replaced by spaces (CSV is data: the output
    sanitizer leaves it alone)."""
    return re.sub(_CONTROL, " ", str(text))


def flat_row(
    doc: RecordDoc, score: float | None, cell: Callable[[object], str] | None = None
) -> list[str]:
    """One TSV/CSV row of COLUMNS."""
    sep = LIST_SEPARATOR
    cell = cell or _spaced
    return [
        cell(v)
        for v in (
            doc["id"],
            "" if score is None else f"{score:.3f}",
            doc["topic"],
            sep.join(d["name"] for d in doc["diseases"]),
            sep.join(f"{f['name']} ({f['change']})" for f in doc["factors"]),
            sep.join(f"{t['name']} ({t['change']})" for t in doc["targets"]),
            sep.join(f"{p['name']} ({p['change']})" for p in doc["pathways"]),
            doc["mechanism"],
            model_text(doc),
            sep.join(citations_of(doc)),
        )
    ]


# --- search results ----------------------------------------------------------------------


class ResultRenderer(Renderer[Sequence[Any]]):
    """Writes a list of (document, score, match) results in one format."""

    def __init__(
        self,
        explode: str | None = None,
        explain: bool = False,
        broad: bool = False,
        raw_cells: bool = False,
    ) -> None:
        self.explode = explode
        """'factors' for one TSV/CSV row per factor (`export --explode factors`)."""
        self.explain = explain
        """Add why each result matched (`search --explain`)."""
        self.raw_cells = raw_cells
        """TSV/CSV: write cells exactly, without the `'` before a formula start
        (`--raw-cells`; see output/cells.py)."""
        self.broad = broad
        """The results may hold related records (`search --broad`): TSV and CSV add the
        column `related`."""

    def columns(self, results: Sequence[Any]) -> tuple[str, ...]:
        """The TSV/CSV header: COLUMNS (or EXPLODED_COLUMNS), then `related` when some result
        may be a related record."""
        columns = EXPLODED_COLUMNS if self.explode else COLUMNS
        return (*columns, "related") if self.related_column(results) else columns

    def related_column(self, results: Sequence[Any]) -> bool:
        return self.broad or any(is_related(doc) for doc in results)

    def rows(
        self, doc: Any, related: bool, cell: Callable[[object], str] | None = None
    ) -> list[list[str]]:
        rows = flat_rows(doc, self.explode, cell)
        if related:
            mark = "related" if is_related(doc) else ""
            rows = [[*row, mark] for row in rows]
        return rows


def is_related(doc: Any) -> bool:
    """True for a search result that is related to the question rather than its answer."""
    return bool(isinstance(doc, Mapping) and doc.get("related"))


def make_console(out: TextIO, env: Environment | None = None) -> Any:
    """A Rich console writing to `out` for the terminal `env` (its width, no colour when the
    user asked for none); without one, Rich asks the process."""
    from secretome_cli.output.sanitize import safe_console

    return safe_console(
        file=out,
        width=None if env is None else env.width,
        no_color=None if env is None else not env.colors,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
