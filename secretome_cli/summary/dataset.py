"""Facts about a record set: its name, version, release date and size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from secretome_cli.files.layout import Layout


@dataclass(frozen=True)
class SetInfo:
    """The dataset version and the number of record files of a record set."""

    name: str
    version: str
    released: str
    records: int


def describe_set(root: Path) -> SetInfo:
    """Read the dataset file and count the record files (without parsing the records); a
    dataset file that cannot be read gives '?' for what it would have said."""
    from secretome_cli.files import yamlfile

    layout = Layout(root)
    doc, _ = yamlfile.read(layout.dataset)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    return SetInfo(
        name=str(data.get("name", "?")),
        version=str(data.get("version", "?")),
        released=str(data.get("released", "?")),
        records=len(layout.record_files()),
    )
