"""`secretome export` in YAML, Markdown and exploded CSV/TSV, each read back by a real parser."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from markdown_it import MarkdownIt

from secretome_cli.output.results import md
from secretome_cli.output.rows import COLUMNS, EXPLODED_COLUMNS

IBD = "--disease IBD"


@pytest.mark.slow
def test_yaml_export_holds_the_same_documents_as_json(secretome):
    as_json = secretome("export").json()
    run = secretome("export --format yaml")
    assert run.code == 0
    # libyaml's reader: the same documents as PyYAML's own, sooner.
    assert yaml.load(run.stdout, Loader=yaml.CSafeLoader) == as_json


def test_yaml_of_nothing_is_an_empty_list(secretome):
    run = secretome("export psoriasis --format yaml")
    assert (run.code, yaml.safe_load(run.stdout)) == (1, [])


def test_markdown_export_is_a_section_per_record(secretome):
    docs = secretome(f"export {IBD}").json()
    run = secretome(f"export {IBD} --format markdown")
    assert run.code == 0
    tokens = MarkdownIt("commonmark").parse(run.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h2" and
                t.type == "heading_open"]  # fmt: skip
    assert headings == [d["id"] for d in docs]
    title = next(tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h1")
    assert title == f"Secretome evidence: {len(docs)} records"
    html = MarkdownIt("commonmark").render(run.stdout)
    assert '<a href="https://doi.org/10.1016/j.intimp.2022.109066">' in html
    for doc in docs:
        assert doc["claim"].replace("'", "&#x27;").replace('"', "&quot;") in html or (
            doc["claim"] in html
        )


def test_markdown_text_is_escaped():
    nasty = "a *b* _c_ [d](e) <f> `g` | h # i ~j~ \\k"
    html = MarkdownIt("commonmark").render(md(nasty))
    assert html == f"<p>{nasty.replace('<', '&lt;').replace('>', '&gt;')}</p>\n"


def test_csv_explode_factors_gives_one_row_per_factor(secretome):
    docs = secretome(f"export {IBD}").json()
    run = secretome(f"export {IBD} --format csv --explode factors")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == list(EXPLODED_COLUMNS)
    assert len(rows) == sum(max(1, len(d["factors"])) for d in docs)
    mir = [r for r in rows if r["id"] == "inflammatory-bowel-disease-exosome-mirna-profile"]
    assert [(r["factor"], r["factor_class"], r["factor_change"]) for r in mir] == [
        ("miR-21-5p", "miRNA", "down"),
        ("let-7a-5p", "miRNA", "enriched"),
        ("let-7f-5p", "miRNA", "enriched"),
        ("miR-100-5p", "miRNA", "enriched"),
    ]
    bare = [r for r in rows if r["id"] == "inflammatory-bowel-disease-human-relevance-unclear"]
    assert [(r["factor"], r["factors"]) for r in bare] == [("", "")]


def test_tsv_explode_has_the_same_columns(secretome):
    run = secretome(f"export {IBD} --format tsv --explode factors")
    lines = run.stdout.splitlines()
    assert lines[0].split("\t") == list(EXPLODED_COLUMNS)
    assert all(len(line.split("\t")) == len(EXPLODED_COLUMNS) for line in lines)


def test_csv_without_explode_keeps_its_columns(secretome):
    run = secretome(f"export {IBD} --format csv")
    assert next(csv.reader(io.StringIO(run.stdout))) == list(COLUMNS)


def test_explode_needs_csv_or_tsv(secretome):
    run = secretome("export --format json --explode factors")
    assert run.code == 2
    assert run.stderr == "secretome: error: --explode works with --format csv or tsv, not json\n"
