"""`secretome show`: one record in full, as text (a Rich panel) or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from secretome_cli.model.document import RecordDoc, short_citation
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.output.rows import LIST_SEPARATOR, changed, clean, make_console, model_text

if TYPE_CHECKING:
    from secretome_cli.environment import Environment


def show_record(doc: RecordDoc, out: TextIO, env: Environment | None = None) -> None:
    """A record in full: claim, mechanism, factors/targets/pathways with arrows, model,
    provenance, notes and citations with DOI links."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, env)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def row(label: str, value: str | Text | None) -> None:
        if value:
            grid.add_row(label, value if isinstance(value, Text) else Text(clean(value)))

    row("Claim", doc["claim"])
    row("Topic", doc["topic"])
    row(
        "Diseases",
        LIST_SEPARATOR.join(
            d["name"]
            + (f" [{d['category']}]" if d["category"] else "")
            + (f" — {d['context']}" if d["context"] else "")
            for d in doc["diseases"]
        )
        or None,
    )
    row("Organs", LIST_SEPARATOR.join(doc["organs"]) or None)
    src = doc["source"]
    row(
        "Source",
        LIST_SEPARATOR.join(
            [
                ", ".join(src["tissues"]) or "tissue not stated",
                src["fraction"],
                *(f"preconditioned: {p['name']}" for p in src["preconditioning"]),
            ]
        ),
    )
    row(
        "Factors",
        "\n".join(
            f"{changed(f)}  ({f['class']}, {f['change']})"
            + (f" — {f['note']}" if f["note"] else "")
            for f in doc["factors"]
        ),
    )
    row(
        "Targets",
        "\n".join(
            f"{changed(t)}  ({t['change']})" + (f" — {t['note']}" if t["note"] else "")
            for t in doc["targets"]
        ),
    )
    row("Pathways", "\n".join(f"{changed(p)}  ({p['change']})" for p in doc["pathways"]))
    row("Drugs", ", ".join(doc["drugs"]))
    row("Outcomes", LIST_SEPARATOR.join(doc["outcomes"]))
    row("Mechanism", doc["mechanism"])
    model = doc["model"]
    row(
        "Model",
        LIST_SEPARATOR.join(
            p for p in [model_text(doc), ", ".join(model["cells"]), model["description"] or ""] if p
        ),
    )
    prov = doc["provenance"]
    where = [
        prov["section"] and f"section {prov['section']}",
        prov["table"] and f"{prov['table']}" + (f", row {prov['row']}" if prov["row"] else ""),
        prov["refs"] and "refs " + ", ".join(map(str, prov["refs"])),
    ]
    row(
        "Provenance",
        f"{short_citation(prov['source'])}: " + LIST_SEPARATOR.join(w for w in where if w),
    )
    row("Flags", ", ".join(doc["flags"]))
    row("Notes", "\n".join(f"• {n}" for n in doc["notes"]))
    cites = Text()
    for i, cite in enumerate(doc["citations"]):
        if i:
            cites.append("\n")
        cites.append(clean(f"{short_citation(cite)}. {cite['title']}. {cite['journal'] or ''}"))
        if cite.get("doi"):
            cites.append(" ")
            cites.append(clean(cite["url"]), style=f"link {cite['url']}")
        elif cite.get("identifier"):
            cites.append(clean(f" {cite['identifier']}"))
    row("Citations", cites if doc["citations"] else None)
    row("See also", ", ".join(doc["see_also"]))
    row("Revision", f"{doc['revision']} ({doc['updated']})")
    title = Text(clean(doc["id"]), style="bold")
    console.print(Panel(Group(grid), title=title, title_align="left", expand=True))


class ShowText(Renderer[Sequence[RecordDoc]]):
    """Each record in full, in a panel (`show_record`)."""

    name = "text"

    def write(self, docs: Sequence[RecordDoc], out: TextIO) -> None:
        for doc in docs:
            show_record(doc, out, self.env)


class ShowJson(Renderer[Sequence[RecordDoc]]):
    """The records' documents as an indented JSON array."""

    name = "json"
    raw = True

    def write(self, docs: Sequence[RecordDoc], out: TextIO) -> None:
        out.write(json.dumps(list(docs), ensure_ascii=False, indent=2) + "\n")


SHOW_RENDERERS = registry(ShowText, ShowJson)
"""Every `secretome show --format`, by name."""
