"""Output that cannot drive a terminal (issue 22, item 3, the display half): a record set
holding a terminal escape (set the window title, clear the screen) and a right-to-left
override in a note, a factor, a citation key, a see-also id and a file name. Every text and
table format shows them as escapes (`\\x1b`, `\\u202e`); JSON carries them as data."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import RECORDS

from secretome_cli.environment import Environment
from secretome_cli.index.cache import index_path
from secretome_cli.output.renderer import made
from secretome_cli.output.results import SEARCH_RENDERERS
from secretome_cli.output.show import SHOW_RENDERERS

SOX4 = "lung-cancer-mir-320a-sox4-wnt"
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e"
YAML_HOSTILE = "\\x1b]0;pwned\\x07\\x1b[2J\\u202e"  # the same, as a YAML double-quoted escape
HOSTILE_NAME = f"x{HOSTILE}.yaml"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal (a subset of what output/sanitize.py escapes)."""


def hostile(text: str) -> str:
    """A record file's text with the hostile string in a factor, a citation key, a see-also
    id and a note."""
    text = text.replace("- name: miR-320a\n", f'- name: "miR-320a{YAML_HOSTILE}"\n')
    text = text.replace("- xie2022\n", f'- "xie2022{YAML_HOSTILE}"\n', 1)
    text = text.replace(
        "- antitumor-oncogenic-pathway-suppression\n", f'- "antitumor{YAML_HOSTILE}"\n'
    )
    return text.replace("notes:\n- >-\n", f'notes:\n- "note {YAML_HOSTILE}"\n- >-\n', 1)


@pytest.fixture
def sets(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(RECORDS, old)
    shutil.copytree(RECORDS, new)
    record = new / "evidence" / f"{SOX4}.yaml"
    record.write_text(hostile(record.read_text()))
    (new / "evidence" / HOSTILE_NAME).write_text(record.read_text())
    return old, new


def assert_shown_escaped(text: str) -> None:
    assert RAW.search(text) is None, repr(RAW.search(text))
    assert "\\x1b]0;pwned" in text
    assert "\\u202e" in text


@pytest.mark.slow
def test_diff_text_shows_names_escaped(secretome, sets: tuple[Path, Path]):
    old, new = sets
    run = secretome("diff", str(old), str(new), "--format", "text")
    assert RAW.search(run.stderr) is None
    assert_shown_escaped(run.stdout)
    lines = run.stdout.splitlines()
    assert f"    factor miR-320a{escaped(HOSTILE, bel=False)} added (up)" in lines
    assert f"    related record antitumor{escaped(HOSTILE, bel=False)} added" in lines
    assert f"    note note {escaped(HOSTILE, bel=False)} added" in lines


def escaped(text: str, bel: bool = True) -> str:
    """The hostile string as shown (Rich drops the BEL of a styled text line itself)."""
    shown = text.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    return shown.replace("\x07", "\\x07" if bel else "")


def test_diff_json_carries_the_data(secretome, sets: tuple[Path, Path]):
    old, new = sets
    run = secretome("diff", str(old), str(new), "--format", "json")
    assert any(HOSTILE in text for text in strings(run.json()))


def strings(value: Any) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def test_validate_shows_file_names_and_values_escaped(secretome, sets: tuple[Path, Path]):
    _, new = sets
    run = secretome("validate", "--records", str(new))
    assert run.code == 1
    assert_shown_escaped(run.stdout)
    assert f"evidence/x{escaped(HOSTILE)}.yaml:2:5: error id-filename" in run.stdout


@pytest.mark.slow
def test_a_file_name_holding_a_newline_cannot_forge_a_line(secretome, tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    (root / "evidence" / "a\nok: 0 records checked, no problems.yaml").write_text("id: [\n")
    run = secretome("validate", "--records", str(root))
    assert run.code == 1
    assert "\nok: 0 records checked" not in run.stdout
    assert "evidence/a\\x0aok: 0 records checked, no problems.yaml:" in run.stdout


@pytest.fixture
def hostile_doc(secretome) -> dict[str, Any]:
    """A record document as the index holds it, with the hostile string in its fields."""
    (doc,) = secretome("show", SOX4, "--format", "json").json()
    doc["factors"][0]["name"] += HOSTILE
    doc["citations"][0]["key"] += HOSTILE
    doc["see_also"] = [f"antitumor{HOSTILE}"]
    doc["notes"] = [f"note {HOSTILE}", *doc["notes"]]
    doc["mechanism"] += HOSTILE
    return doc


@pytest.mark.parametrize("name", ["table", "tsv"])
def test_search_text_formats_show_escapes(hostile_doc: dict[str, Any], name: str):
    out = io.StringIO()
    # wide enough that no escape is wrapped across lines (it would be cut, never raw)
    wide = dataclasses.replace(Environment.of_process(), width=400)
    made(SEARCH_RENDERERS[name], wide).emit([hostile_doc], out)
    assert_shown_escaped(out.getvalue())


def test_show_text_shows_escapes(hostile_doc: dict[str, Any]):
    out = io.StringIO()
    made(SHOW_RENDERERS["text"], None).emit([hostile_doc], out)
    assert_shown_escaped(out.getvalue())


def test_search_json_is_not_altered(hostile_doc: dict[str, Any]):
    out = io.StringIO()
    made(SEARCH_RENDERERS["json"], None).emit([hostile_doc], out)
    assert json.loads(out.getvalue()) == [hostile_doc]


def test_search_csv_is_not_escaped(hostile_doc: dict[str, Any]):
    """CSV is data: the output sanitizer leaves it alone (its cells have their own rule)."""
    out = io.StringIO()
    made(SEARCH_RENDERERS["csv"], None).emit([hostile_doc], out)
    assert "]0;pwned" in out.getvalue() and "\\x1b" not in out.getvalue()


@pytest.mark.empty_cache  # the planted index is the only one listed
def test_cache_info_shows_meta_escaped(secretome, tmp_path: Path):
    root = tmp_path / "set"
    shutil.copytree(RECORDS, root)
    assert secretome("search", "SOX4", "--records", str(root), "--format", "json").code == 0
    conn = sqlite3.connect(index_path(root))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'root'", (f"{root}{HOSTILE}",))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'built'", (f"2026{HOSTILE}",))
    conn.commit()
    conn.close()
    table = secretome("cache", "info")
    assert (table.code, table.stderr) == (0, "")
    assert RAW.search(table.stdout) is None
    assert "\\x1b]0;" in table.stdout
    data = secretome("cache", "info", "--format", "json").json()
    assert data["indexes"][0]["built"] == f"2026{HOSTILE}"  # JSON: the data as it is
