"""The formats of the network behind a set of records (built by `summary/graph.py: build`).

Formats are one class each, chosen by name from `GRAPH_FORMATS`: Mermaid flowcharts and
Graphviz DOT, both with every label quoted and escaped so that any name (Greek letters,
slashes, apostrophes, parentheses, quotes) renders without edits.
"""

from __future__ import annotations

from typing import ClassVar

from secretome_cli.output.renderer import TextRenderer, registry
from secretome_cli.summary.graph import LAYERS, Graph

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
