"""`secretome graph`: DOT read back by pydot (and drawn by Graphviz's `dot` where installed),
Mermaid checked line by line; awkward names survive both."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pydot
import pytest

from secretome_cli.output.graph import DotFormat, MermaidFormat
from secretome_cli.summary.graph import build

CROHN = '--disease "Crohn\'s disease"'

AWKWARD = [
    "Crohn's disease",
    "TNF-α/NF-κB",
    'a "quoted" name',
    "back\\slash",
    "IL-1β (mature)",
    "#1 <b>&amp; `tick`",
    "end",
]


def awkward_docs() -> list[dict]:
    """Documents whose names are every character the formats treat specially."""
    return [
        {
            "factors": [{"name": n, "change": "up"} for n in (AWKWARD[1], AWKWARD[5])],
            "targets": [{"name": n, "change": "down"} for n in (AWKWARD[2], AWKWARD[6])],
            "pathways": [{"name": AWKWARD[3], "change": "inhibited"}],
            "diseases": [{"name": AWKWARD[0]}, {"name": AWKWARD[4]}],
        },
        {"factors": [{"name": AWKWARD[1], "change": "up"}], "targets": [],
         "pathways": [{"name": AWKWARD[3], "change": "inhibited"}], "diseases": []},
    ]  # fmt: skip


def dot_labels(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node labels and edges (with labels) of a DOT text, as pydot parses them."""
    (parsed,) = pydot.graph_from_dot_data(text)

    def unquote(value: str) -> str:
        return html.unescape(re.sub(r"\\(.)", r"\1", value[1:-1]))

    nodes = {n.get_name().strip('"'): unquote(n.get("label")) for n in parsed.get_nodes()
             if n.get("label")}  # fmt: skip
    edges = [
        (e.get_source().strip('"'), e.get_destination().strip('"'),
         unquote(e.get("label")) if e.get("label") else "")
        for e in parsed.get_edges()
    ]  # fmt: skip
    return nodes, edges


_NODE = re.compile(
    r'^  (?P<id>[a-z]\d+)(?P<open>\(\[|\[|\{\{|\()"(?P<label>[^"]*)"(?P<close>\]\)|\]|\}\}|\))$'
)
_EDGE = re.compile(r'^  (?P<a>[a-z]\d+) -->(?:\|"(?P<label>[^"]*)"\|)? (?P<b>[a-z]\d+)$')


def mermaid_parts(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node labels and edges of a Mermaid flowchart; fails on any line it does not know."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges = []
    for line in lines[1:]:
        if m := _NODE.match(line):
            pairs = {"([": "])", "[": "]", "{{": "}}", "(": ")"}
            assert pairs[m["open"]] == m["close"], line
            nodes[m["id"]] = decode_mermaid(m["label"])
        elif m := _EDGE.match(line):
            assert m["a"] in nodes and m["b"] in nodes, line
            edges.append((m["a"], m["b"], decode_mermaid(m["label"] or "")))
        else:
            assert re.match(r"^  (classDef [a-z]+ [^ ]+|class [a-z0-9,]+ [a-z]+)$", line), line
    return nodes, edges


def decode_mermaid(label: str) -> str:
    """Mermaid's entity codes (#quot; #35; #lt; …) back to characters."""
    return html.unescape(
        re.sub(r"#(\w+);", lambda m: f"&#{m[1]};" if m[1].isdigit() else f"&{m[1]};", label)
    )


def test_graph_mermaid_of_a_search(secretome):
    run = secretome(f"graph {CROHN}")
    assert run.code == 0
    nodes, edges = mermaid_parts(run.stdout)
    assert sorted(nodes.values()) == sorted(
        ["miR-302d-3p", "AKT", "VEGFR3", "AKT signaling", "Crohn's disease"]
    )
    named = {(nodes[a], nodes[b], label) for a, b, label in edges}
    assert ("miR-302d-3p", "VEGFR3", "down") in named
    assert ("VEGFR3", "AKT signaling", "inhibited") in named
    assert ("AKT signaling", "Crohn's disease", "") in named


@pytest.mark.slow
def test_graph_dot_is_read_by_pydot_with_the_same_network(secretome):
    mermaid = mermaid_parts(secretome("graph --disease IBD").stdout)
    run = secretome("graph --disease IBD --format dot")
    assert run.code == 0
    nodes, edges = dot_labels(run.stdout)
    assert nodes == mermaid[0]
    assert sorted(edges) == sorted(mermaid[1])


def test_awkward_names_survive_both_formats():
    graph = build(awkward_docs())
    dot_nodes, dot_edges = dot_labels(DotFormat().render(graph))
    mermaid_nodes, mermaid_edges = mermaid_parts(MermaidFormat().render(graph))
    assert sorted(dot_nodes.values()) == sorted(AWKWARD)
    assert mermaid_nodes == dot_nodes
    assert sorted(mermaid_edges) == sorted(dot_edges)
    by_name = {v: k for k, v in dot_nodes.items()}
    assert (by_name['a "quoted" name'], by_name["back\\slash"], "inhibited") in dot_edges


def test_the_same_edge_from_two_records_is_drawn_once_with_the_count():
    graph = build(awkward_docs())
    labels = {(e.source, e.target): e.label for e in graph.edges}
    factor = next(n.id for n in graph.nodes if n.name == "TNF-α/NF-κB")
    pathway = next(n.id for n in graph.nodes if n.name == "back\\slash")
    assert labels[(factor, pathway)] == "inhibited"
    assert graph.records == 2


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_graphviz_draws_the_whole_network(secretome):
    run = secretome("graph --format dot")
    result = subprocess.run(["dot", "-Tsvg"], input=run.stdout, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Crohn&#39;s disease" in result.stdout


def test_graph_nothing_found_exits_1(secretome):
    run = secretome("graph psoriasis")
    assert run.code == 1
    assert run.stdout == "flowchart LR\n"
    assert "no records match 'psoriasis'" in run.stderr
