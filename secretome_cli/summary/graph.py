"""The network behind a set of records: factor → target → pathway → disease (what `secretome
graph` draws, in `output/graph.py`).

`build` links, within each record, every factor to every target, every target to every pathway
and every pathway to every disease (skipping a layer the record leaves empty, so a factor with
no target links straight to the pathway). An edge is labelled with the change of the node it
points to (the target goes down, the pathway is inhibited); edges into a disease carry no
label. The same edge from several records is drawn once, with the number of records.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
