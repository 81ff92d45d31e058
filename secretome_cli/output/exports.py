"""Every `secretome export --format`: the record formats of `results.py` and the formats made
for readers outside the terminal (the SQLite database, the HTML report), which take the whole
export bundle (`output/saving.FileFormat`). A module of its own so that a search, which
imports `results.py`, does not import the file formats."""

from __future__ import annotations

from typing import Any

from secretome_cli.output.html_report import HtmlFormat
from secretome_cli.output.renderer import Renderer, registry
from secretome_cli.output.results import EXPORT_RENDERERS as RECORD_FORMATS
from secretome_cli.output.sqlite_export import SqliteFormat

EXPORT_FORMATS: dict[str, type[Renderer[Any]]] = {
    **RECORD_FORMATS,
    **registry(SqliteFormat, HtmlFormat),
}
"""Every `secretome export --format`, by name."""
