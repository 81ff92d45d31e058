"""One set of formats: every command that prints data takes `--format` with table, json and tsv
wherever it shows a table, `--json` as the same shorthand everywhere, TSV when piped where a
table is the terminal default, and TSV and CSV cells that can hold no forged column or row."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RECORDS, Run

from secretome_cli.output.cells import tsv_cell, tsv_line

TABLES = ["stats", "matrix", "vocab", "vocab factors", "conflicts", "cache info", "search colitis"]
"""Commands whose answer is a table on a terminal."""

JSON = {
    "search colitis": "json",
    "export colitis": "json",
    "show lung-cancer-mir-320a-sox4-wnt": "json",
    "cite colitis": "csl-json",
    "stats": "json",
    "matrix": "json",
    "vocab": "json",
    "conflicts": "json",
    "diff records records": "json",
    "validate": "json",
    "cache info": "json",
}
"""Every command that prints data, and the format its --json stands for."""


@pytest.mark.parametrize("command", sorted(JSON))
def test_json_is_the_same_shorthand_everywhere(secretome: Callable[..., Run], command: str) -> None:
    short = secretome(f"{command} --json")
    long = secretome(f"{command} --format {JSON[command]}")
    assert short.code == long.code
    assert short.code in (0, 1), short.stderr
    json.loads(short.stdout)
    assert short.stdout == long.stdout


@pytest.mark.parametrize("command", TABLES)
def test_a_table_is_tsv_when_piped(secretome: Callable[..., Run], command: str) -> None:
    secretome("stats --json")  # an index in the cache, for `cache info` to list
    piped = secretome(command)
    assert piped.stdout == secretome(f"{command} --format tsv").stdout
    header, *rows = piped.stdout.splitlines()
    assert rows and all(row.count("\t") == header.count("\t") for row in rows), command
    assert "│" not in piped.stdout and "─" not in piped.stdout


@pytest.mark.parametrize("command", ["stats", "matrix", "vocab factors", "conflicts", "export"])
def test_tsv_and_csv_read_back_as_the_same_rows(
    secretome: Callable[..., Run], command: str
) -> None:
    tsv = [line.split("\t") for line in secretome(f"{command} --format tsv").stdout.splitlines()]
    rows = list(csv.reader(io.StringIO(secretome(f"{command} --format csv").stdout)))
    assert len(rows) == len(tsv) > 1
    assert rows[0] == tsv[0]


def test_json_and_format_together_must_agree(secretome: Callable[..., Run]) -> None:
    assert secretome("stats --json --format json").code == 0
    run = secretome("stats --json --format tsv")
    assert run.code == 2
    assert run.stderr == "secretome: error: --json and --format tsv ask for two formats; give one\n"


def test_tsv_cells_escape_tabs_line_breaks_and_backslashes() -> None:
    assert tsv_cell("a\tb\nc\r\\d") == "a\\tb\\nc\\r\\\\d"
    assert tsv_line(["x\ty", 3, None]) == "x\\ty\t3\t\n"


@pytest.fixture
def forged(tmp_path: Path) -> Path:
    """A record set whose factor ADAM10 has aliases holding a tab and a line break."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    path = root / "vocab" / "factors.yaml"
    text = path.read_text(encoding="utf-8")
    old = "- name: ADAM10\n  class: enzyme\n"
    assert old in text
    path.write_text(
        text.replace(old, old + '  aliases:\n  - "tab\\there"\n  - "line\\nbreak"\n'),
        encoding="utf-8",
    )
    return root


def test_vocab_tsv_of_a_synonym_holding_a_tab_gives_no_extra_row(
    secretome: Callable[..., Run], forged: Path
) -> None:
    as_json = secretome(f"vocab factors --json --records {forged}").json()
    adam = next(row for row in as_json if row["name"] == "ADAM10")
    assert adam["aliases"] == ["tab\there", "line\nbreak"]
    lines = secretome(f"vocab factors --format tsv --records {forged}").stdout.splitlines()
    header = lines[0].split("\t")
    assert len(lines) == len(as_json) + 1
    assert all(line.count("\t") == len(header) - 1 for line in lines)
    row = dict(
        zip(header, next(x for x in lines if x.startswith("ADAM10\t")).split("\t"), strict=True)
    )
    assert row["aliases"] == "tab\\there, line\\nbreak"
    rows = list(
        csv.DictReader(io.StringIO(secretome(f"vocab factors -f csv --records {forged}").stdout))
    )
    assert len(rows) == len(as_json)
    assert next(r for r in rows if r["name"] == "ADAM10")["aliases"] == "tab\there, line\nbreak"
