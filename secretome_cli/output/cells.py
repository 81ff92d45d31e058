"""TSV and CSV, written one way by every command.

A command whose answer is rows (stats, matrix, vocab, conflicts, cache info) describes its
rows once, as a function from its data to `(columns, rows)`; `delimited` makes its `tsv` and
`csv` renderers from that function. Every cell is made safe the same way: control characters
become spaces (`clean`); in TSV a tab, a line break or a backslash inside a value is written
as `\\t`, `\\n`, `\\r` or `\\\\` (so a value can never start a column or a row of its own, and
the text can be read back exactly); CSV quotes such values as RFC 4180 says.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO, TypeVar

from secretome_cli.output.renderer import Renderer

T = TypeVar("T")

Rows = tuple[Sequence[str], Iterable[Sequence[object]]]
"""The column names, then the rows (one cell per column)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def clean(text: object) -> str:
    """Text safe to print: control characters and escape sequences replaced by spaces (what
    every renderer does to record text; `output/results.py` and others import it)."""
    return _CONTROL.sub(" ", str(text))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def tsv_cell(value: object) -> str:
    """One TSV cell: `clean`, with tabs, line breaks and backslashes escaped."""
    return clean(_text(value).translate(_TSV_ESCAPES))


def tsv_line(cells: Iterable[object]) -> str:
    """One TSV row, ended by a line break."""
    return "\t".join(tsv_cell(c) for c in cells) + "\n"


def write_tsv(columns: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO) -> None:
    """A header line, then a line per row."""
    out.write(tsv_line(columns))
    out.writelines(tsv_line(row) for row in rows)


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]], out: TextIO) -> None:
    """RFC 4180 CSV: a header row, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([clean(_text(c)) for c in row] for row in rows)
    out.write(buffer.getvalue())


def delimited(
    rows_of: Callable[[T], Rows], what: str
) -> tuple[type[Renderer[T]], type[Renderer[T]]]:
    """The `tsv` and `csv` renderers of the rows `rows_of` makes of a command's data (`what`
    names the rows, for the classes' descriptions)."""

    class Tsv(Renderer[T]):
        __doc__ = f"{what}: tab-separated, with a header line."
        name = "tsv"

        def __init__(self, **_: Any) -> None:
            pass

        def write(self, data: T, out: TextIO) -> None:
            write_tsv(*rows_of(data), out)

    class Csv(Renderer[T]):
        __doc__ = f"{what}: CSV (RFC 4180), with a header row."
        name = "csv"

        def __init__(self, **_: Any) -> None:
            pass

        def write(self, data: T, out: TextIO) -> None:
            write_csv(*rows_of(data), out)

    return Tsv, Csv
