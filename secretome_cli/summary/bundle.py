"""What a file export carries besides the records: the question and filters it was made
from, the dataset's facts (name, version, date, description, licence) and the vocabularies.

`export --format sqlite` and `--format html` write files a reader opens without the tool (a
database for Datasette, sqlite-utils, DuckDB or pandas; a report for a browser), so the file
has to say what it holds and where it comes from. A `Bundle` is that whole content, made
here from an opened record set and a selection; the renderers of `output/` only lay it out.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secretome_cli.model.document import RecordDoc
    from secretome_cli.model.vocab import Vocabulary


@dataclass(frozen=True)
class DatasetFacts:
    """The record set an export comes from."""

    name: str
    version: str
    released: str
    description: str
    licence: str
    """The licence the records are distributed under (the package's: the records ship in it)."""
    tool: str
    """The version of secretome that made the export."""
    made: str
    """When the export was made (UTC, ISO 8601, to the second)."""


@dataclass(frozen=True)
class Bundle:
    """The content of a file export: the selected records, in the order of the answer, and
    what a reader needs to know about them."""

    docs: Sequence[RecordDoc]
    question: str | None
    """The QUERY given, if any."""
    filters: tuple[str, ...]
    """The filters given, as the caller names them ('--disease colitis')."""
    dataset: DatasetFacts
    vocabulary: Vocabulary

    @property
    def asked(self) -> str:
        """The question and filters in one line, or 'every record'."""
        parts = [f"'{self.question}'"] if self.question else []
        return " ".join([*parts, *self.filters]) or "every record"


def dataset_facts(root: Path, meta: dict[str, str]) -> DatasetFacts:
    """The facts of the record set at `root`, from its index's meta table and its dataset
    file (for the description, which the index does not keep)."""
    from importlib import metadata

    from secretome_cli import __version__
    from secretome_cli.files import yamlfile
    from secretome_cli.files.layout import Layout

    doc, _ = yamlfile.read(Layout(root).dataset)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    try:
        package = metadata.metadata("secretome")
        licence = package["License-Expression"] or package["License"] or "?"
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        licence = "?"
    return DatasetFacts(
        name=meta.get("dataset_name", "?"),
        version=meta.get("dataset_version", "?"),
        released=meta.get("dataset_released", "?"),
        description=" ".join(str(data.get("description") or "").split()),
        licence=str(licence),
        tool=__version__,
        made=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
