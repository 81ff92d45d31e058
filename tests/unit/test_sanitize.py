"""The one sanitizer at the output edge (output/sanitize.py)."""

from __future__ import annotations

import io
import sys
import unicodedata

import pytest

from secretome_cli.output.sanitize import escape, safe_console, safe_stream

UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def test_every_control_format_and_separator_character_is_escaped():
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in UNSAFE_CATEGORIES
        and chr(code) not in "\t\n"
        and escape(chr(code)) == chr(code)
    ]
    assert missed == []


@pytest.mark.parametrize(
    "char",
    # the invisible characters the attack found passing validation (issue 22, finding 3)
    [
        *("\U000e0041", "\u2028", "\ufeff", "\u061c", "\u00ad", "\u2060", "\u3164", "\u115f"),
        *("\ufff9", "\ufffa", "\ufffb", "\u202e", "\x1b", "\x07", "\x9b", "\ud800"),
    ],
)
def test_the_characters_found_are_shown_as_escapes(char: str):
    shown = escape(f"a{char}b")
    assert shown.startswith("a\\") and shown.endswith("b")
    assert shown.isprintable()


def test_escapes_are_named_by_code_point():
    assert escape("\x1b]0;pwned\x07\x1b[2J") == "\\x1b]0;pwned\\x07\\x1b[2J"
    assert escape("x\u202ey\U000e0041") == "x\\u202ey\\U000e0041"


def test_text_itself_is_left_alone_and_escaping_twice_changes_nothing():
    text = "NF-κB ↑ miR-21 → PTEN ↓; β-catenin, 10 µg/mL\tnext\nline"
    assert escape(text) == text
    once = escape("\x1b[2J\u202e" + text)
    assert escape(once) == once


def test_a_value_on_one_line_escapes_tab_and_newline():
    assert escape("a.yaml\nok: forged\tline", line=True) == "a.yaml\\x0aok: forged\\x09line"


def test_a_safe_stream_writes_escaped():
    out = io.StringIO()
    safe = safe_stream(out)
    safe.write("a\x1b[2Jb\n")
    assert out.getvalue() == "a\\x1b[2Jb\n"
    assert safe_stream(safe) is safe


def test_a_safe_console_keeps_its_own_colours_and_escapes_the_text(
    monkeypatch: pytest.MonkeyPatch,
):
    from rich.table import Table
    from rich.text import Text

    monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    console = safe_console(file=out, force_terminal=True, color_system="standard", width=60)
    table = Table()
    table.add_column("name")
    table.add_row(Text("x\x1b]0;pwned\x07\x1b[2J", style="red"))
    console.print(table)
    console.print(Text("y\u202ez\x1b[2J", style="green"))
    console.print(Text("link", style="link http://e.example/\x1b]0;x\x07"))
    written = out.getvalue()
    assert "\x1b[31m" in written and "\x1b[32m" in written  # Rich's own colours
    assert "x\\x1b]0;" in written and "y\\u202ez\\x1b[2J" in written
    assert "\x1b]0;pwned" not in written and "\u202e" not in written
    assert "\x1b[2J" not in written and "\x1b]0;x" not in written
