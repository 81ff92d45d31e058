"""Search's table: a Rich table on a terminal whose record ids, DOIs and citation keys never
break (their columns get the width they need and the prose wraps; stacked, one record down
the screen, when they cannot stand side by side), with the related records after a
separator and the count of records found and shown on its last line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from secretome_cli.model.document import CitationDoc, RecordDoc, short_citation
from secretome_cli.output.rows import (
    ResultRenderer,
    changed,
    clean,
    disease_text,
    found,
    is_related,
    make_console,
    model_text,
)

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
