"""Facts about a record set: its version and size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .loading import Layout


@dataclass(frozen=True)
class SetInfo:
    """The dataset version and the number of record files of a record set."""

    name: str
    version: str
    released: str
    records: int


def describe_set(root: Path) -> SetInfo:
    """Read the dataset file and count the record files (without parsing the records)."""
    import yaml

    layout = Layout(root)
    try:
        data = yaml.safe_load(layout.dataset.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    return SetInfo(
        name=str(data.get("name", "?")),
        version=str(data.get("version", "?")),
        released=str(data.get("released", "?")),
        records=len(layout.record_files()),
    )
