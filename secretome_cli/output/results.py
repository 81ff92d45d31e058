"""Rendering: search results and exported records as tables, JSON, JSONL, TSV, CSV, YAML and
Markdown, and the helpers every renderer of records shares (`clean`, `make_console`, ...);
one record in full is `show.py`, the vocabularies `vocab.py`.

One renderer class per output format, chosen by name from the registry of each command
(`SEARCH_RENDERERS`, `EXPORT_RENDERERS`). Record text
is data, never markup: it reaches Rich only as `Text` objects (so `[bold]` prints literally)
and control characters are replaced before anything is printed. Rich is imported only by the
renderers that draw tables; JSON, JSONL, TSV, CSV, YAML and Markdown never import it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

from secretome_cli.model.controlled import ARROWS
from secretome_cli.model.document import CitationDoc, RecordDoc, short_citation
from secretome_cli.output.cells import cells
from secretome_cli.output.cells import clean as clean  # re-exported: renderers import it here
from secretome_cli.output.renderer import Renderer, registry

if TYPE_CHECKING:  # a search does not import the vocabulary listings
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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _spaced(text: object) -> str:
    """A CSV cell's text: control characters replaced by spaces (CSV is data: the output
    sanitizer leaves it alone)."""
    return _CONTROL.sub(" ", str(text))


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


def json_text(item: Any, ascii_only: bool = False) -> str:
    """One document as JSON text: a search result writes its stored text (no parsing);
    `ascii_only` escapes every other character (`\\u03ba`), for a stream that cannot write
    them."""
    if ascii_only:
        return json.dumps(item.as_dict() if hasattr(item, "as_dict") else item)
    if hasattr(item, "json_text"):
        return str(item.json_text())
    return json.dumps(item, ensure_ascii=False)


def _encoding(out: TextIO) -> str:
    return (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")


def writes_unicode(out: TextIO) -> bool:
    """True when `out` encodes text in a Unicode encoding (UTF-8, -16, -32), so that any
    character of a record can be written to it as it is (or when it names no encoding)."""
    encoding = _encoding(out)
    return not encoding or encoding.startswith("utf")


def binary_stream(out: TextIO, results: Sequence[Any]) -> BinaryIO | None:
    """The byte stream under `out` (flushed), when `out` writes UTF-8 and every result can
    write its own JSON bytes (search results: their stored documents are written as stored,
    never decoded and encoded again); else None."""
    binary = getattr(out, "buffer", None)
    if binary is None or _encoding(out) != "utf8":
        return None
    if not all(hasattr(item, "json_parts") for item in results):
        return None
    out.flush()
    return cast("BinaryIO", binary)


_BATCH = 2048
"""How many chunks the JSON renderers hand to a binary stream at a time."""


class JsonRenderer(ResultRenderer):
    """A JSON array of whole documents (the contract documented in the README): indented on
    a terminal, else one line, written document by document."""

    name = "json"
    raw = True

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        ascii_only = not writes_unicode(out)
        if out.isatty():
            items = [item.as_dict() if hasattr(item, "as_dict") else item for item in results]
            out.write(json.dumps(items, ensure_ascii=ascii_only, indent=2) + "\n")
            return
        binary = binary_stream(out, results)
        if binary is not None:
            last = len(results) - 1
            chunks: list[bytes | memoryview] = [b"["] if results else [b"[]\n"]
            for i, item in enumerate(results):
                chunks.extend(item.json_parts(b", " if i < last else b"]\n"))
                if len(chunks) >= _BATCH:  # handed on in batches: a stream that writes
                    binary.writelines(chunks)  # in a thread of its own starts writing
                    chunks = []
            binary.writelines(chunks)
            binary.flush()
            return
        out.write("[")
        for i, item in enumerate(results):
            out.write((", " if i else "") + json_text(item, ascii_only))
        out.write("]\n")


class JsonlRenderer(ResultRenderer):
    """One JSON document per line."""

    name = "jsonl"
    raw = True

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        binary = binary_stream(out, results)
        if binary is not None:
            for start in range(0, len(results), _BATCH // 2):
                batch = results[start : start + _BATCH // 2]
                binary.writelines([part for item in batch for part in item.json_parts(b"\n")])
            binary.flush()
            return
        ascii_only = not writes_unicode(out)
        for item in results:
            out.write(json_text(item, ascii_only) + "\n")


class TsvRenderer(ResultRenderer):
    """Tab-separated rows of COLUMNS with a header; lists joined by '; '."""

    name = "tsv"

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        from secretome_cli.output.cells import tsv_line

        out.write(tsv_line(self.columns(results), self.raw_cells))
        related = self.related_column(results)
        for doc in results:
            rows = self.rows(doc, related, clean)  # escapes shown, as the sanitizer does
            out.writelines(tsv_line(row, self.raw_cells) for row in rows)


class CsvRenderer(ResultRenderer):
    """CSV (RFC 4180) rows of COLUMNS with a header; lists joined by '; '."""

    name = "csv"
    raw = True

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns(results))
        related = self.related_column(results)
        for doc in results:
            writer.writerows(cells(row, self.raw_cells) for row in self.rows(doc, related))
        out.write(buffer.getvalue())


class YamlRenderer(ResultRenderer):
    """A YAML list of whole documents: the same data as JSON, for reading and diffing."""

    name = "yaml"
    raw = True

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        import yaml

        if not results:
            out.write("[]\n")
            return
        yaml.safe_dump(
            [dict(doc) for doc in results], out, allow_unicode=True, sort_keys=False, width=100
        )


class MarkdownRenderer(ResultRenderer):
    """A Markdown report: a section per record with its claim, fields and linked citations."""

    name = "markdown"

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        count = len(results)
        out.write(f"# Secretome evidence: {count} record{'s' * (count != 1)}\n")
        for doc in results:
            out.write("\n" + markdown_record(doc))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")


def md(text: object) -> str:
    """Text safe in Markdown: one line, with every character Markdown reads as markup
    backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))


def markdown_record(doc: RecordDoc) -> str:
    """One record as a Markdown section."""
    sep = LIST_SEPARATOR
    src = doc["source"]
    fields = [
        ("Topic", doc["topic"]),
        ("Diseases", sep.join(d["name"] for d in doc["diseases"])),
        ("Organs", sep.join(doc["organs"])),
        ("Source", sep.join([", ".join(src["tissues"]) or "tissue not stated", src["fraction"]])),
        ("Factors", sep.join(f"{f['name']} ({f['change']})" for f in doc["factors"])),
        ("Targets", sep.join(f"{t['name']} ({t['change']})" for t in doc["targets"])),
        ("Pathways", sep.join(f"{p['name']} ({p['change']})" for p in doc["pathways"])),
        ("Outcomes", sep.join(doc["outcomes"])),
        ("Mechanism", doc["mechanism"]),
        ("Model", model_text(doc)),
        ("Flags", ", ".join(doc["flags"])),
    ]
    lines = [f"## {md(doc['id'])}", "", md(doc["claim"]), ""]
    lines += [f"- **{label}:** {md(value)}" for label, value in fields if value]
    cites = [_markdown_citation(c) for c in doc["citations"]]
    prov = doc["provenance"]
    if not cites or prov["refs"]:
        cites.append(md(via_text(doc)))
    lines.append(f"- **Citations:** {sep.join(cites)}")
    return "\n".join(lines) + "\n"


def _markdown_citation(cite: CitationDoc) -> str:
    text = md(short_citation(cite))
    doi, url = cite["doi"], cite["url"]
    if doi and url and not re.search(r"[\s<>]", url):
        return f"{text}, [doi:{md(doi)}](<{url}>)"
    if cite.get("identifier"):
        return f"{text}, {md(cite['identifier'])}"
    return text


MECHANISM_MIN = 24
"""The narrowest the mechanism column of search's table gets before the table is stacked."""

WIDE = 120
"""From this width on, search's table gives factors and targets a column each."""


class TableRenderer(ResultRenderer):
    """A Rich table: the finding (id, disease, model, score), factors, targets and pathways
    with arrows, mechanism, and citations with DOIs; the last line counts the records.

    A record id and a DOI never break inside (they are copied and clicked): their columns
    get the width their longest needs, and the prose columns wrap instead. When the screen
    cannot hold them side by side, each record is stacked, one field under the other, across
    the whole width."""

    name = "table"

    def __init__(
        self,
        explode: str | None = None,
        explain: bool = False,
        broad: bool = False,
        raw_cells: bool = False,
        total: int | None = None,
    ) -> None:
        super().__init__(explode, explain, broad, raw_cells)
        self.total = total
        """How many records the search found (the table shows the first `len(results)`)."""

    def write(self, results: Sequence[RecordDoc], out: TextIO) -> None:
        from rich.text import Text

        console = make_console(out, self.env)
        id_width = max((len(clean(doc["id"])) for doc in results), default=10)
        doi_width = max(
            (len(_doi_text(c)) for doc in results for c in doc["citations"] if c.get("doi")),
            default=0,
        )
        labels = [changed(x) for doc in results for x in (*doc["factors"], *doc["targets"])]
        labels += [changed(p) for doc in results for p in doc["pathways"]]
        citations = max(doi_width, min(34, console.width // 5))
        # factors and targets in a column each on a wide screen, else in one, else stacked
        for narrow in (False, True) if console.width >= WIDE else (True,):
            item_width = min(16 if narrow else 22, max([len(x) for x in labels] + [10]))
            columns = (4 if narrow else 5) + self.explain
            needed = id_width + item_width * (1 if narrow else 2) + MECHANISM_MIN + citations
            needed += 3 * columns + 1  # a border and a space either side of every column
            needed += MECHANISM_MIN if self.explain else 0
            if needed <= console.width:
                table = self._side_by_side(results, id_width, citations, item_width, narrow)
                console.print(table)
                break
        else:
            console.print(self._stacked(results))
        if self.total is not None:
            shown = len(results)
            more = "all shown" if shown >= self.total else f"{shown} shown (--limit)"
            found = f"{self.total} record{'s' * (self.total != 1)} found"
            console.print(Text(f"{found}, {more}", style="dim"))

    def _side_by_side(
        self,
        results: Sequence[RecordDoc],
        id_width: int,
        citations: int,
        item_width: int,
        narrow: bool,
    ) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=True, expand=True, header_style="bold")
        table.add_column("Finding", width=id_width)
        if narrow:
            table.add_column("Factors → targets", width=item_width, overflow="fold")
        else:
            table.add_column("Factors", width=item_width, overflow="fold")
            table.add_column("Targets, pathways", width=item_width, overflow="fold")
        table.add_column("Mechanism", ratio=2, min_width=MECHANISM_MIN)
        table.add_column("Citations", width=citations)
        if self.explain:
            table.add_column("Why", width=MECHANISM_MIN)
        separated = False
        for doc in results:
            if is_related(doc) and not separated:
                separated = True
                table.add_section()
                table.add_row(
                    Text("Related records", style="bold"),
                    Text("they match part of the question, not its subject", style="dim"),
                )
            factors = Text(clean("\n".join(changed(f) for f in doc["factors"])))
            if not doc["factors"]:
                factors = Text(clean(doc["source"]["fraction"]), style="dim")
            targets = _targets_cell(doc)
            if narrow:
                combined = factors.copy()
                if targets.plain:
                    combined.append("\n→\n")
                    combined.append_text(targets)
                cells = [_finding(doc), combined]
            else:
                cells = [
                    _finding(doc),
                    factors,
                    targets if targets.plain else Text("—", style="dim"),
                ]
            cells += [Text(clean(doc["mechanism"])), _citation_cell(doc)]
            if self.explain:
                cells.append(Text(clean(why(found(doc)))))
            table.add_row(*cells)
        return table

    def _stacked(self, results: Sequence[RecordDoc]) -> Any:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(
            box=box.HORIZONTALS,
            show_header=False,
            show_edge=False,
            show_lines=True,
            expand=True,
            pad_edge=False,
            padding=(0, 0),
        )
        table.add_column("Finding")
        separated = False
        for doc in results:
            if is_related(doc) and not separated:
                separated = True
                related = Text("Related records", style="bold")
                related.append(" (they match part of the question, not its subject)", style="dim")
                table.add_row(related)
            cell = _finding(doc)
            for label, items in (
                ("factors", doc["factors"]),
                ("targets", doc["targets"]),
                ("pathways", doc["pathways"]),
            ):
                if items:
                    cell.append(f"\n{label}: ", style="dim")
                    cell.append(clean(", ".join(changed(x) for x in items)))
            cell.append("\n" + clean(doc["mechanism"]))
            cell.append("\n")
            cell.append_text(_citation_cell(doc))
            if self.explain:
                cell.append("\n" + clean(why(found(doc))), style="italic")
            table.add_row(cell)
        return table


def _finding(doc: RecordDoc) -> Any:
    """The id (whole, on a line of its own), the diseases, the model and the score."""
    from rich.text import Text

    finding = Text(clean(doc["id"]), style="bold")
    finding.append("\n" + clean(disease_text(doc)))
    finding.append("\n" + clean(model_text(doc)), style="dim")
    score = found(doc).get("score")
    if score is not None:
        finding.append(f"\nscore {score:.2f}", style="dim")
    return finding


def _doi_text(cite: CitationDoc) -> str:
    return clean(f"doi:{cite['doi']}")


def wrap_id(record_id: str, width: int) -> str:
    """An id broken into lines of at most `width` characters, after hyphens where possible."""
    parts = record_id.split("-")
    lines: list[str] = []
    current = parts[0]
    for part in parts[1:]:
        if len(current) + 1 + len(part) + 1 > width:
            lines.append(current + "-")
            current = part
        else:
            current += "-" + part
    lines.append(current)
    return "\n".join(lines)


def _targets_cell(doc: RecordDoc) -> Any:
    """Targets with arrows, then pathways under a dim 'pathways' label."""
    from rich.text import Text

    text = Text(clean("\n".join(changed(t) for t in doc["targets"])))
    if doc["pathways"]:
        if doc["targets"]:
            text.append("\n")
        text.append("pathways:\n", style="dim")
        text.append(clean("\n".join(changed(p) for p in doc["pathways"])))
    return text


def _citation_cell(doc: RecordDoc) -> Any:
    from rich.text import Text

    text = Text()
    for i, cite in enumerate(doc["citations"]):
        if i:
            text.append("\n")
        text.append(clean(short_citation(cite)))
        if cite.get("doi"):
            text.append("\n")
            text.append(_doi_text(cite), style=f"link {cite['url']}")
        elif cite.get("identifier"):
            text.append(clean(f"\n{cite['identifier']}"), style="dim")
    prov = doc["provenance"]
    if not doc["citations"] or prov["refs"]:
        refs = prov["refs"]
        suffix = f", ref{'s' if len(refs) > 1 else ''} {', '.join(map(str, refs))}" if refs else ""
        text.append(
            ("\n" if doc["citations"] else "") + f"via {short_citation(prov['source'])}" + suffix,
            style="dim",
        )
    return text


def why(doc: Mapping[str, Any]) -> str:
    """Why a result matched, one line per match ('colitis → diseases: ulcerative colitis'),
    then the parts of the question it does not match ('missing: zebrafish')."""
    lines = [f"{m['query']} → {m['field']}: {m['value']} ({m['how']})" for m in doc["match"]]
    if doc.get("unmatched"):
        lines.append(f"missing: {', '.join(doc['unmatched'])}")
    return "\n".join(lines)


class IdsRenderer(ResultRenderer):
    """One record id a line, and nothing else: what `show -` and `cite -` read."""

    name = "ids"

    def write(self, results: Sequence[Any], out: TextIO) -> None:
        out.writelines(clean(doc["id"]) + "\n" for doc in results)


SEARCH_RENDERERS = registry(
    TableRenderer, JsonRenderer, JsonlRenderer, TsvRenderer, CsvRenderer, IdsRenderer
)
"""Every `secretome search --format`, by name."""

EXPORT_RENDERERS = registry(
    JsonRenderer,
    JsonlRenderer,
    CsvRenderer,
    TsvRenderer,
    YamlRenderer,
    MarkdownRenderer,
    IdsRenderer,
)
"""Every `secretome export --format`, by name."""


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
