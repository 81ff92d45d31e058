"""The network behind a set of records: factor → target → pathway → disease, and its formats.

`build` links, within each record, every factor to every target, every target to every pathway
and every pathway to every disease (skipping a layer the record leaves empty, so a factor with
no target links straight to the pathway). An edge is labelled with the change of the node it
points to (the target goes down, the pathway is inhibited); edges into a disease carry no
label. The same edge from several records is drawn once, with the number of records.

Formats are one class each, chosen by name from `GRAPH_FORMATS`: Mermaid flowcharts and
Graphviz DOT, both with every label quoted and escaped so that any name (Greek letters,
slashes, apostrophes, parentheses, quotes) renders without edits.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from secretome_cli.output.renderer import TextRenderer, registry

LAYERS = ("factor", "target", "pathway", "disease")
"""Node kinds, in the order edges run."""


@dataclass(frozen=True)
class Node:
    """A factor, target, pathway or disease; `id` is safe in Mermaid and DOT."""

    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class Edge:
    """A link between two nodes, the change of the second, and how many records show it."""

    source: str
    target: str
    change: str | None
    records: int

    @property
    def label(self) -> str:
        """'down', 'down ×3' (three records), or '' for an unlabelled edge."""
        count = f"×{self.records}" if self.records > 1 else ""
        return " ".join(p for p in (self.change or "", count) if p)


@dataclass
class Graph:
    """Nodes (in layer order, then by name) and edges of a record set."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    records: int = 0


def build(docs: Iterable[Mapping[str, Any]]) -> Graph:
    """The factor → target → pathway → disease network of `docs`."""
    names: dict[tuple[str, str], None] = {}
    counts: dict[tuple[tuple[str, str], tuple[str, str], str | None], int] = {}
    linked = 0
    for doc in docs:
        layers = [
            [(kind, item["name"], item.get("change")) for item in doc[kind + "s"]]
            for kind in LAYERS
        ]
        present = [layer for layer in layers if layer]
        pairs = list(itertools.pairwise(present))
        if pairs:
            linked += 1
        for tails, heads in pairs:
            for kind, name, _ in tails:
                for head_kind, head_name, change in heads:
                    key = ((kind, name), (head_kind, head_name), change)
                    counts[key] = counts.get(key, 0) + 1
                    names[(kind, name)] = None
                    names[(head_kind, head_name)] = None
    order = sorted(names, key=lambda n: (LAYERS.index(n[0]), n[1].casefold(), n[1]))
    position = {node: i for i, node in enumerate(order)}
    ids: dict[tuple[str, str], str] = {}
    per_kind: dict[str, int] = {}
    for kind, name in order:
        per_kind[kind] = per_kind.get(kind, 0) + 1
        ids[(kind, name)] = f"{kind[0]}{per_kind[kind]}"
    nodes = [Node(ids[node], node[0], node[1]) for node in order]
    ranked = sorted(
        counts.items(), key=lambda i: (position[i[0][0]], position[i[0][1]], i[0][2] or "")
    )
    edges = [Edge(ids[tail], ids[head], change, n) for (tail, head, change), n in ranked]
    return Graph(nodes, edges, linked)


# --- formats -------------------------------------------------------------------------------


class GraphFormat(TextRenderer[Graph]):
    """Writes a graph as text in one format."""

    def render(self, graph: Graph) -> str:
        raise NotImplementedError


class MermaidFormat(GraphFormat):
    """A Mermaid flowchart (left to right): factors as stadiums, targets as boxes, pathways
    as hexagons, diseases as circles-ish rounded boxes; labels quoted, with Mermaid's entity
    codes (#quot; #35; …) for the characters a quoted label cannot hold."""

    name = "mermaid"

    SHAPES: ClassVar[dict[str, tuple[str, str]]] = {
        "factor": ("([", "])"),
        "target": ("[", "]"),
        "pathway": ("{{", "}}"),
        "disease": ("(", ")"),
    }
    STYLES: ClassVar[dict[str, str]] = {
        "factor": "fill:#e8f1fb,stroke:#2f6db5",
        "target": "fill:#fdf0e2,stroke:#b5652f",
        "pathway": "fill:#eef7ea,stroke:#4b8a36",
        "disease": "fill:#f6e8f4,stroke:#8a367c",
    }

    def render(self, graph: Graph) -> str:
        lines = ["flowchart LR"]
        for node in graph.nodes:
            left, right = self.SHAPES[node.kind]
            lines.append(f'  {node.id}{left}"{mermaid_text(node.name)}"{right}')
        for edge in graph.edges:
            label = f'|"{mermaid_text(edge.label)}"|' if edge.label else ""
            lines.append(f"  {edge.source} -->{label} {edge.target}")
        for kind in LAYERS:
            members = [n.id for n in graph.nodes if n.kind == kind]
            if members:
                lines.append(f"  classDef {kind} {self.STYLES[kind]}")
                lines.append(f"  class {','.join(members)} {kind}")
        return "\n".join(lines) + "\n"


_MERMAID_ENTITIES = {'"': "#quot;", "#": "#35;", "&": "#38;", "<": "#lt;", ">": "#gt;", "`": "#96;"}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: one line, with entity codes for the characters
    Mermaid reads as syntax or markup."""
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in " ".join(text.split()))


class DotFormat(GraphFormat):
    """A Graphviz digraph (left to right), every id and label a double-quoted DOT string."""

    name = "dot"

    SHAPES: ClassVar[dict[str, str]] = {
        "factor": 'shape=box, style="rounded,filled", fillcolor="#e8f1fb", color="#2f6db5"',
        "target": 'shape=box, style=filled, fillcolor="#fdf0e2", color="#b5652f"',
        "pathway": 'shape=hexagon, style=filled, fillcolor="#eef7ea", color="#4b8a36"',
        "disease": 'shape=ellipse, style=filled, fillcolor="#f6e8f4", color="#8a367c"',
    }

    def render(self, graph: Graph) -> str:
        lines = [
            "digraph secretome {",
            "  rankdir=LR;",
            '  node [fontname="Helvetica"];',
            '  edge [fontname="Helvetica", fontsize=10];',
        ]
        for node in graph.nodes:
            lines.append(
                f'  "{node.id}" [label="{dot_text(node.name)}", {self.SHAPES[node.kind]}];'
            )
        for edge in graph.edges:
            attrs = f' [label="{dot_text(edge.label)}"]' if edge.label else ""
            lines.append(f'  "{edge.source}" -> "{edge.target}"{attrs};')
        lines.append("}")
        return "\n".join(lines) + "\n"


def dot_text(text: str) -> str:
    """Text safe inside a double-quoted DOT label: one line, backslashes and quotes escaped,
    and '&' written '&amp;' (Graphviz reads HTML entities in labels)."""
    one_line = " ".join(text.split()).replace("&", "&amp;")
    return one_line.replace("\\", "\\\\").replace('"', '\\"')


GRAPH_FORMATS = registry(MermaidFormat, DotFormat)
"""Every `secretome graph --format`, by name."""
