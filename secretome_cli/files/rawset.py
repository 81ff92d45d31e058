"""A record set read as plain data, for comparing two versions of it (`diff`, the history
rule of `validate --since`).

Nothing is validated here: a file that parses as a YAML mapping is taken as it is, so that
two versions can be compared even when one of them breaks a rule. Records are keyed by their
file name (the id they must have), vocabulary entries by name and references by key.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretome_cli.files.layout import Layout, require_layout
from secretome_cli.files.yamlfile import MAX_BYTES, read

VOCAB_LISTS = {
    "diseases": "diseases.yaml",
    "factors": "factors.yaml",
    "pathways": "pathways.yaml",
    "preconditioning": "preconditioning.yaml",
}
"""Vocabulary list key → file under vocab/."""


@dataclass
class RawSet:
    """A record set as plain data."""

    layout: Layout
    dataset: dict[str, Any] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Record id (file stem) → its data."""
    vocab: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Vocabulary (diseases, factors, ...) → term name → entry."""
    references: dict[str, dict[str, Any]] = field(default_factory=dict)
    changelog: str = ""
    """The text of CHANGELOG.md ('' when there is none)."""

    @property
    def version(self) -> str:
        """The dataset version, or '?' when the dataset file does not give one."""
        return str(self.dataset.get("version", "?"))


def _mapping(path: Path) -> dict[str, Any]:
    doc, _ = read(path)
    data = doc.data if doc is not None else None
    return data if isinstance(data, dict) else {}


def _by(entries: Any, key: str) -> dict[str, dict[str, Any]]:
    if not isinstance(entries, list):
        return {}
    return {str(e[key]): e for e in entries if isinstance(e, dict) and key in e}


def read_set(root: Path) -> RawSet:
    """Read every file of the record set at `root` (RecordsError when it is not one)."""
    layout = require_layout(root)
    raw = RawSet(layout, dataset=_mapping(layout.dataset))
    for path in layout.record_files():
        raw.records[path.stem] = _mapping(path)
    for listkey, filename in VOCAB_LISTS.items():
        data = _mapping(layout.vocab_dir / filename)
        raw.vocab[listkey] = _by(data.get(listkey), "name")
    raw.references = _by(_mapping(layout.bibliography).get("references"), "key")
    raw.changelog = _text(layout.changelog)
    return raw


def _text(path: Path) -> str:
    """The text of a regular file of at most MAX_BYTES (size checked before reading), or ''
    when it is missing, something else, larger or not UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as file:  # noqa: PTH123 (a descriptor, not a path)
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
                return ""
            return file.read(MAX_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
